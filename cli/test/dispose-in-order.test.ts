/**
 * An issuing session closes its issuer, status index, ledger connection and token in order; a close
 * that fails must not leave the ones after it open (a ledger left open keeps its lock).
 */
import { describe, expect, it } from '@jest/globals';

import { disposeInOrder } from '../src/dispose-in-order.js';

describe('disposeInOrder', () => {
  it('runs every step in order and resolves when none fails', async () => {
    const ran: string[] = [];
    await disposeInOrder(['issuer', 'index', 'ledger', 'token'].map((name) => async () => void ran.push(name)));
    expect(ran).toEqual(['issuer', 'index', 'ledger', 'token']);
  });

  it('still closes the ledger and the token when the issuer and the index fail, and throws the first failure', async () => {
    const ran: string[] = [];
    const fail = (name: string) => async () => {
      ran.push(name);
      throw new Error(`${name} would not close`);
    };
    const close = (name: string) => async () => void ran.push(name);
    await expect(disposeInOrder([fail('issuer'), fail('index'), close('ledger'), close('token')])).rejects.toThrow(
      'issuer would not close',
    );
    expect(ran).toEqual(['issuer', 'index', 'ledger', 'token']);
  });
});
