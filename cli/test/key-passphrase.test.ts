/**
 * The issuer key passphrase belongs to one command's context: read once however many keys the command
 * opens, read anew by the next command in the same process (a context is made per command action).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { createContext } from '../src/context.js';
import { passphraseEnv } from '../src/passphrase.js';

const options = { json: false, debug: false } as const;

let saved: string | undefined;
beforeEach(() => {
  saved = process.env[passphraseEnv];
});
afterEach(() => {
  if (saved === undefined) Reflect.deleteProperty(process.env, passphraseEnv);
  else process.env[passphraseEnv] = saved;
});

describe('the key passphrase of a command', () => {
  it('is read once per command context, and anew by the next command', async () => {
    process.env[passphraseEnv] = 'first command';
    const first = createContext(options);
    expect(await first.keyPassphrase.read()).toBe('first command');
    process.env[passphraseEnv] = 'second command';
    // The same command opening another key uses what it read.
    expect(await first.keyPassphrase.read()).toBe('first command');
    // Another command in this process reads it again.
    const second = createContext(options);
    expect(await second.keyPassphrase.read()).toBe('second command');
  });

  it('keeps no failure: with no variable and no terminal it says so each time, and reads a variable set since', async () => {
    Reflect.deleteProperty(process.env, passphraseEnv);
    // No terminal, whatever runs the tests (a prompt would wait for a person).
    const isTTY = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
    Object.defineProperty(process.stdin, 'isTTY', { value: undefined, configurable: true });
    try {
      const ctx = createContext(options);
      await expect(ctx.keyPassphrase.read()).rejects.toMatchObject({ code: 'PASSPHRASE_REQUIRED' });
      await expect(ctx.keyPassphrase.read()).rejects.toMatchObject({ code: 'PASSPHRASE_REQUIRED' });
      process.env[passphraseEnv] = 'set since';
      expect(await ctx.keyPassphrase.read()).toBe('set since');
    } finally {
      if (isTTY) Object.defineProperty(process.stdin, 'isTTY', isTTY);
      else delete (process.stdin as { isTTY?: boolean }).isTTY;
    }
  });
});
