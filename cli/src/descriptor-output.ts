/**
 * What commander writes itself — help, the version, its messages — goes to file descriptors 1 and 2
 * with `fs.writeSync`, not through `process.stdout` and `process.stderr`: over a pipe, making stdout a
 * stream loads Node's net and stream modules, about 3 ms of a start that only prints help (decision
 * 0043; bench: cli.coldstart.help). The same path serves a terminal, a file and a pipe. A command's own
 * output still goes through the streams (context.ts), guarded where the command runs (reader-gone.ts).
 */
import { fstatSync, writeSync } from 'node:fs';
import { Command, type OutputConfiguration } from 'commander';

import { dropOutputWhenReaderGoes } from './reader-gone.js';

/** How a writer writes to its descriptor: `fs.writeSync`'s shape (bytes written, or it throws). */
export type WriteSync = (fd: number, bytes: Uint8Array) => number;

/**
 * Text written to one descriptor as it comes. A reader that has gone (EPIPE) drops the rest quietly, as
 * the stream guard does; a non-blocking pipe that is full (EAGAIN) gets the rest, and everything after,
 * through the stream, which waits for room (and is guarded the same way).
 */
export class DescriptorWriter {
  #to: 'descriptor' | 'stream' | 'nowhere' = 'descriptor';

  constructor(
    private readonly fd: number,
    private readonly stream: () => NodeJS.WriteStream,
    private readonly write: WriteSync = writeSync,
  ) {}

  print(text: string): void {
    if (this.#to === 'nowhere') return;
    if (this.#to === 'stream') {
      this.stream().write(text);
      return;
    }
    let rest = Buffer.from(text);
    while (rest.length > 0) {
      try {
        rest = rest.subarray(this.write(this.fd, rest));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          this.#to = 'nowhere';
          return;
        }
        if (code !== 'EAGAIN') throw error;
        this.#to = 'stream';
        const stream = this.stream();
        dropOutputWhenReaderGoes(stream);
        stream.write(rest);
        return;
      }
    }
  }
}

/** Only a character device can be a terminal: a pipe or a file is known not to be one without asking a stream. */
function mayBeTerminal(fd: number): boolean {
  return fstatSync(fd).isCharacterDevice();
}

/**
 * Colours as commander's `useColor` reads them from the environment (NO_COLOR, FORCE_COLOR,
 * CLICOLOR_FORCE); undefined when it leaves them to the terminal.
 */
function colourByEnvironment(env: NodeJS.ProcessEnv): boolean | undefined {
  if (env.NO_COLOR || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  if (env.FORCE_COLOR || env.CLICOLOR_FORCE !== undefined) return true;
  return undefined;
}

/**
 * commander's output settings for a start: its text written through `DescriptorWriter`s on 1 and 2;
 * the help's width and colours as commander's own settings give them when the descriptor may be a
 * terminal, and as they give them for a pipe or a file (80 columns, colours only when the environment
 * forces them) otherwise, without making the stream to ask it.
 */
export function descriptorOutput(): OutputConfiguration {
  const out = new DescriptorWriter(1, () => process.stdout);
  const err = new DescriptorWriter(2, () => process.stderr);
  // commander's defaults, which read the streams: made only for a descriptor that may be a terminal.
  const commanders = (): OutputConfiguration => new Command().configureOutput();
  const width = (fd: number, own: 'getOutHelpWidth' | 'getErrHelpWidth'): number =>
    (mayBeTerminal(fd) ? commanders()[own]?.() : undefined) ?? 80;
  const colours = (fd: number, own: 'getOutHasColors' | 'getErrHasColors'): boolean =>
    mayBeTerminal(fd) ? commanders()[own]?.() === true : (colourByEnvironment(process.env) ?? false);
  return {
    writeOut: (text) => {
      out.print(text);
    },
    writeErr: (text) => {
      err.print(text);
    },
    getOutHelpWidth: () => width(1, 'getOutHelpWidth'),
    getErrHelpWidth: () => width(2, 'getErrHelpWidth'),
    getOutHasColors: () => colours(1, 'getOutHasColors'),
    getErrHasColors: () => colours(2, 'getErrHasColors'),
  };
}
