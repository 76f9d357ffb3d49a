/**
 * A progress bar on stderr: count, rate and ETA. On a terminal it redraws one line (at most ~10 times
 * a second, so drawing never costs issuance time); into a file or pipe it writes a plain line every few
 * seconds, which reads well in CI logs.
 */
import type { I18n } from './i18n.js';

export interface ProgressBar extends Disposable {
  /** `done` counts units finished by this run; `total` the units this run has to do. */
  update(done: number, total: number): void;
  /** Draws the final state and ends the line. */
  finish(): void;
  /**
   * Ends a line a terminal redraw left open, without drawing (`using bar = progressBar(…)`): when the
   * run fails before `finish`, the error line then starts on a line of its own.
   */
  [Symbol.dispose](): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly t: I18n;
  /** Where to draw; default process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  /** Draw nothing (for --json or --quiet). */
  readonly silent?: boolean;
  /** Clock in ms (tests pass their own). */
  readonly now?: () => number;
}

const width = 28;

/** Seconds as `1m05s` / `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** `12345` → `12,345`, without Intl (loading ICU data costs ~0.2 s on a cold start). */
function grouped(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** One rendered line: `label [#####-----] 1,200/10,000 12% 3,050/s ETA 3s`. */
export function renderProgress(label: string, done: number, total: number, elapsedMs: number, etaWord: string): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? (total - done) / rate : Number.NaN;
  const count = `${grouped(done)}/${grouped(total)}`;
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count} ${Math.floor(fraction * 100)}% ${grouped(rate)}/s ${etaWord} ${formatDuration(eta)}`;
}

export function progressBar(options: ProgressOptions): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY;
  const started = now();
  let lastDraw = -Infinity;
  let last = { done: 0, total: 0 };
  let drawn = false;
  // A terminal redraw leaves the cursor at the end of the bar until the final draw ends the line.
  let lineOpen = false;

  const draw = (final: boolean): void => {
    if (options.silent) return;
    const line = renderProgress(options.label, last.done, last.total, now() - started, options.t.t('progress.eta'));
    if (tty) stream.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
    else stream.write(`${line}\n`);
    lineOpen = tty && !final;
    drawn = true;
  };

  return {
    update(done, total) {
      last = { done, total };
      const t = now();
      if (t - lastDraw >= (tty ? 100 : 2000)) {
        lastDraw = t;
        draw(false);
      }
    },
    finish() {
      if (!drawn && last.total === 0) return;
      draw(true);
    },
    [Symbol.dispose]() {
      if (lineOpen) stream.write('\n');
      lineOpen = false;
    },
  };
}
