/**
 * A reader that goes away (`credledger … | head -1`, a closed terminal) is not an error of ours: from
 * then on that stream's output is dropped quietly, and the command finishes its work and exit code.
 * Installed where output goes through `process.stdout` and `process.stderr` (a command's action, an error
 * report), not at start: creating those streams is what `--help` no longer does (decision 0043).
 */

/** Drops the rest of `stream`'s output once its reader has gone (EPIPE); any other error is thrown. */
export function dropOutputWhenReaderGoes(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.write = () => true;
  });
}

/** The guard on both of the process's output streams. */
export function guardOutputStreams(): void {
  for (const stream of [process.stdout, process.stderr]) dropOutputWhenReaderGoes(stream);
}
