// `npm run bench:load [-- --runs=50] [-- --delay=60] [-- --phases=specify,plan,tasks] [-- --keep]`.

export interface LoadOptions {
  /** Runs started at once. */
  runs: number;
  /** How long each agent phase takes: the scripted agent's delaySeconds test hook. */
  delaySeconds: number;
  phases: string[];
  /** Keep the temporary directory (workspaces, the worker's log) for a look afterwards. */
  keep: boolean;
}

export function parseLoadOptions(argv: string[]): LoadOptions {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const number = (name: string, fallback: number) => {
    const n = Number(value(name) ?? fallback);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a positive whole number`);
    return n;
  };
  const known = /^--(runs|delay|phases)=|^--keep$/;
  const unknown = argv.filter((a) => !known.test(a));
  if (unknown.length) {
    throw new Error(
      `unknown arguments: ${unknown.join(' ')} (--runs=<n>, --delay=<s>, --phases=<list>, --keep)`,
    );
  }
  return {
    runs: number('runs', 50),
    delaySeconds: number('delay', 60),
    phases: (value('phases') ?? 'specify,plan,tasks').split(','),
    keep: argv.includes('--keep'),
  };
}
