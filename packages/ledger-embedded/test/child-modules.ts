/**
 * Runs an ES module source in a child Node and returns the JSON it reported, with the files in Node's
 * module cache when it ended: what a start really loads, without jest's own module registry in between.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * @param source ES module code that ends by calling `report(value)` once (given to it, with JSON values)
 * @param cwd where its bare imports resolve from (a package's folder)
 * @param args `process.argv[1]` onwards in the child
 * Fails with the child's stderr when it exits with another code than 0.
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
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', program, ...args], { cwd });
  return JSON.parse(stdout) as T & { files: string[] };
}
