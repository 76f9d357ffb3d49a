/**
 * A signing pool never keeps a program alive while it has nothing to sign: a program that signed one
 * slice on a pool of two workers, and left the pool open, exits by itself. (Each worker was unref'd
 * before its message listener was added, which refs it again, so the idle second worker held the
 * process until it was killed.)
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

describe('createSignPool', () => {
  it('lets a program that leaves its pool open exit once nothing is being signed', async () => {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/sign-pool-child.mjs', import.meta.url))], {
      stdio: ['ignore', 'pipe', 'inherit'],
      // A child still running after 20 s is the defect: it is stopped, and the signal fails the test.
      timeout: 20_000,
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        resolve({ code, signal });
      });
    });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(JSON.parse(stdout)).toEqual({ parts: 3 });
  }, 30_000);
});
