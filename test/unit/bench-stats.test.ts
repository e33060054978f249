import { describe, expect, it } from 'vitest';
import { summaryLine } from '../../bench/report.js';
import { formatRatio, formatSpread, median, ratio, spread } from '../../bench/stats.js';

describe('bench figures', () => {
  it('takes the median of odd and even counts, whatever the order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('gives no ratio without something to compare with', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(undefined, 2)).toBeUndefined();
    expect(formatRatio(undefined)).toBe('n/a');
    expect(formatRatio(1.4567)).toBe('1.46');
  });

  it('prints a median with its range and count', () => {
    expect(formatSpread(spread([2530, 2410, 2800]))).toBe('2.53 s (2.41–2.80 s, n=3)');
    expect(formatSpread(spread([1000]))).toBe('1.00 s (n=1)');
  });

  it('ends with the one summary line, n/a for what was not measured', () => {
    expect(summaryLine({ single: 1.456, concurrent: 1.2, peer: 3.85, rssMb: 299.6 })).toBe(
      'single=1.46 concurrent=1.20 peer=3.85 rss_mb=300 clone=n/a',
    );
  });
});
