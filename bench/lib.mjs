// Shared helpers for figure scripts: warm-up, medians, and the one-line JSON output bench/run.mjs reads.

export const quick = process.argv.includes('--quick');

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value at quantile q (0..1) of a list of numbers. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Runs `fn` `warmups` times unmeasured, then `runs` times; returns each run's result. */
export async function repeat(fn, { runs = quick ? 3 : 5, warmups = 1 } = {}) {
  for (let i = 0; i < warmups; i++) await fn();
  const out = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  return out;
}

/** Prints the figures as the last stdout line, the format bench/run.mjs reads. */
export function report(figures) {
  process.stdout.write('\n' + JSON.stringify({ figures }) + '\n');
}
