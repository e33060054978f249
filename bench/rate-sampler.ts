// Samples a growing count (a server's counter) at a fixed interval, until stopped: the highest rate
// over any one interval, where the mean over the whole stretch would hide how it varied.
export class RateSampler {
  private timer?: NodeJS.Timeout;
  private last?: { at: number; count: number };
  peakPerSecond = 0;

  constructor(
    private readonly read: () => Promise<number>,
    private readonly everyMs = 10_000,
  ) {}

  start(): void {
    const sample = () => void this.sample().catch(() => undefined);
    sample();
    this.timer = setInterval(sample, this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    const count = await this.read();
    const at = performance.now();
    if (this.last) {
      const rate = (count - this.last.count) / ((at - this.last.at) / 1000);
      this.peakPerSecond = Math.max(this.peakPerSecond, rate);
    }
    this.last = { at, count };
  }
}
