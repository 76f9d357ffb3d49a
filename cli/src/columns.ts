/** Terminal columns of text: East Asian wide characters take two, so tables line up in Chinese. */

const wide =
  /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;

/** The columns `text` takes in a terminal (terminal styling takes none). */
export function columns(text: string): number {
  let n = 0;
  // eslint-disable-next-line no-control-regex -- the escape sequences of terminal styling
  for (const c of text.replace(/\u001b\[[0-9;]*m/g, '')) n += wide.test(c) ? 2 : 1;
  return n;
}

/** `text` padded with spaces to `width` columns. */
export function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columns(text)));
}
