import { describe, expect, it } from '@jest/globals';

import { i18n } from './i18n.js';
import { progressBar } from './progress.js';

/** A stream that records what is written, a terminal or not. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    write: (chunk: string) => {
      chunks.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

describe('progressBar on a terminal', () => {
  let clock = 0;
  const options = (stream: NodeJS.WriteStream) => ({ label: 'issuing', t: i18n('en'), stream, now: () => clock });

  it('ends the line it redraws when the run fails before finish, so an error line starts on its own', () => {
    const { stream, text } = fakeStream(true);
    {
      using bar = progressBar(options(stream));
      clock += 1000;
      bar.update(10, 100);
      expect(text().endsWith('\n')).toBe(false);
      // (a failure here leaves the block without finish())
    }
    expect(text().endsWith('\n')).toBe(true);
    expect(text().match(/\n/g)).toHaveLength(1);
  });

  it('ends the line once when the run finishes', () => {
    const { stream, text } = fakeStream(true);
    {
      using bar = progressBar(options(stream));
      clock += 1000;
      bar.update(10, 100);
      bar.update(100, 100);
      bar.finish();
    }
    expect(text().endsWith('\n')).toBe(true);
    expect(text().match(/\n/g)).toHaveLength(1);
  });

  it('writes whole lines into a file or pipe', () => {
    const { stream, text } = fakeStream(false);
    {
      using bar = progressBar(options(stream));
      clock += 3000;
      bar.update(10, 100);
    }
    expect(text()).toMatch(/^issuing \[.*\] 10\/100 10% .*\n$/);
  });
});
