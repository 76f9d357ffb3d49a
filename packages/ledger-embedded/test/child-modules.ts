/**
 * Runs an ES module source in a child Node and returns the JSON it reported, with the files in Node's
 * module cache when it ended: what a start really loads, without jest's own module registry in between.
 */
import { spawn } from 'node:child_process';

/**
 * @param source ES module code that ends by calling `report(value)` once (given to it, with JSON values)
 * @param cwd where its bare imports resolve from (a package's folder)
 * @param args `process.argv[1]` onwards in the child
 */
export async function runReporting<T>(
  source: string,
  cwd: string,
  args: readonly string[] = [],
): Promise<T & { readonly files: string[] }> {
  const program = `
import { createRequire } from 'node:module';
const report = (value) =>
  process.stdout.write(JSON.stringify({ ...value, files: Object.keys(createRequire(import.meta.url).cache) }));
${source}`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', program, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
  if (code !== 0) throw new Error(`the child exited with ${String(code)}: ${err}`);
  return JSON.parse(out) as T & { files: string[] };
}
