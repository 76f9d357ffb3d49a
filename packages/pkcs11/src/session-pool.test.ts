import { describe, expect, it } from '@jest/globals';

import { createSessionPool } from './session-pool.js';

/** A promise settled from outside. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('a session pool', () => {
  it('runs at most one operation per session and hands a freed session to the next caller', async () => {
    const pool = createSessionPool(['a', 'b'], () => new Error('closed'));
    const busy = new Set<string>();
    let most = 0;
    const gates = Array.from({ length: 6 }, gate);
    const runs = gates.map((g, i) =>
      pool.run(async (session) => {
        expect(busy.has(session)).toBe(false);
        busy.add(session);
        most = Math.max(most, busy.size);
        await g.promise;
        busy.delete(session);
        return i;
      }),
    );
    for (const g of gates) {
      await Promise.resolve();
      g.open();
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('frees the session of an operation that fails', async () => {
    const pool = createSessionPool(['only'], () => new Error('closed'));
    await expect(pool.run(() => Promise.reject(new Error('token gone')))).rejects.toThrow('token gone');
    await expect(pool.run((session) => Promise.resolve(session))).resolves.toBe('only');
  });

  it('drains: running operations finish, waiting and later callers are refused', async () => {
    const pool = createSessionPool(['only'], () => new Error('closed'));
    const g = gate();
    const running = pool.run(async () => {
      await g.promise;
      return 'done';
    });
    const waiting = pool.run(() => Promise.resolve('never'));
    const drained = pool.drain();
    await expect(waiting).rejects.toThrow('closed');
    g.open();
    await expect(running).resolves.toBe('done');
    await expect(drained).resolves.toEqual(['only']);
    await expect(pool.run(() => Promise.resolve('late'))).rejects.toThrow('closed');
  });
});
