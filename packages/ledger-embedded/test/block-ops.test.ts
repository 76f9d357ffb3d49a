/**
 * `writeBlock` encodes a block's writes into one buffer; what it hands LevelDB must be byte for byte
 * what the layout's own encoders give (store.ts), which `verifyChain` re-derives: keys in any script,
 * deletes, metadata set, kept or removed, versions past 2^32, history pointers of valid transactions only.
 */
import { describe, expect, it } from '@jest/globals';
import { writeBlock } from '../src/block-ops.js';
import { Scratch } from '../src/scratch.js';
import {
  blockKey,
  encodeBlock,
  encodeMetadata,
  encodeState,
  historyKey,
  metaKey,
  stateKey,
  type StoredBlock,
  type TxEnvelope,
} from '../src/store.js';
import type { BlockValidation, KeyUpdate } from '../src/validator.js';

type Recorded = ['put', string, string] | ['del', string];

function recorder(): { put(k: Buffer, v: Buffer): void; del(k: Buffer): void; ops: Recorded[] } {
  const ops: Recorded[] = [];
  return {
    ops,
    put: (k, v) => ops.push(['put', k.toString('hex'), v.toString('hex')]),
    del: (k) => ops.push(['del', k.toString('hex')]),
  };
}

function tx(txId: string, writes: [string, Buffer][]): TxEnvelope {
  return {
    type: 'ENDORSER_TRANSACTION',
    txId,
    channel: 'credentials',
    chaincode: 'credledger',
    creatorMspId: 'MojMSP',
    timestamp: { seconds: 1, nanos: 0 },
    endorsers: ['MojMSP'],
    proposal: Buffer.from('proposal'),
    response: { status: 200, payload: Buffer.alloc(0) },
    event: null,
    rwset: { reads: [], ranges: [], writes, metaWrites: [] },
  };
}

describe('writeBlock', () => {
  it('hands LevelDB exactly the bytes of the layout encoders, for every kind of update', () => {
    const number = 2 ** 33 + 5;
    const policy = Buffer.from([0x12, 0x0c, 0x12, 0x0a, 0x08, 0x01]);
    const composite = '\u0000credential\u0000urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e\u0000';
    const unicode = 'ключ/中文/😀';
    const v7 = { block: number, tx: 7 };
    const v9 = { block: number, tx: 9 };
    const updates = new Map<string, KeyUpdate>([
      [
        composite,
        { version: v7, value: Buffer.from('{"status":"ACTIVE"}'), metadata: { VALIDATION_PARAMETER: policy } },
      ],
      // The same policy in another buffer, and another policy: each encoded by its content.
      ['second', { version: v7, value: Buffer.from('two'), metadata: { VALIDATION_PARAMETER: Buffer.from(policy) } }],
      [
        unicode,
        {
          version: v9,
          value: Buffer.from('ünïcödé'),
          metadata: { VALIDATION_PARAMETER: Buffer.from([1, 2, 3]), OTHER: Buffer.alloc(0) },
        },
      ],
      ['kept', { version: v9, value: Buffer.from('metadata unchanged'), metadata: undefined }],
      ['recreated', { version: v9, value: Buffer.from('after a delete'), metadata: null }],
      ['gone', { version: v9, value: null, metadata: null }],
    ]);
    const txs = [
      tx('a', [
        [composite, Buffer.from('x')],
        ['second', Buffer.from('y')],
      ]),
      tx('invalid', [['not in history', Buffer.from('z')]]),
      tx('b', [
        [unicode, Buffer.from('u')],
        ['gone', Buffer.alloc(0)],
      ]),
    ];
    const block: StoredBlock = {
      header: { number, previousHash: 'ab'.repeat(32), dataHash: 'cd'.repeat(32) },
      data: [Buffer.from('envelope bytes')],
      codes: [0, 11, 0],
    };
    const validation: BlockValidation = {
      codes: [0, 11, 0],
      updates,
      valid: [true, false, true],
      inLedger: [false, false, false],
    };

    const hex = (b: Buffer): string => b.toString('hex');
    const expected: Recorded[] = [['put', hex(blockKey(number)), hex(encodeBlock(block))]];
    for (const [key, upd] of updates) {
      if (upd.value === null) expected.push(['del', hex(stateKey(key))], ['del', hex(metaKey(key))]);
      else {
        expected.push(['put', hex(stateKey(key)), hex(encodeState(upd.version, upd.value))]);
        if (upd.metadata === null) expected.push(['del', hex(metaKey(key))]);
        else if (upd.metadata !== undefined)
          expected.push(['put', hex(metaKey(key)), hex(encodeMetadata(upd.metadata))]);
      }
    }
    txs.forEach((t, i) => {
      if (validation.valid[i])
        for (const [key] of t.rwset.writes) expected.push(['put', hex(historyKey(key, { block: number, tx: i })), '']);
    });

    const withHistory = recorder();
    writeBlock(withHistory, block, txs, validation, true);
    expect(withHistory.ops).toEqual(expected);

    const withoutHistory = recorder();
    writeBlock(withoutHistory, block, txs, validation, false);
    expect(withoutHistory.ops).toEqual(expected.filter((op) => !op[1].startsWith('68')));

    // Buffers reused block after block: each block's writes are still its own.
    const scratch = { block: new Scratch(), writes: new Scratch() };
    const small: BlockValidation = { ...validation, updates: new Map([...updates].slice(0, 2)) };
    const smallBlock: StoredBlock = { ...block, header: { ...block.header, number: 3 }, data: [Buffer.from('x')] };
    const smallExpected = recorder();
    writeBlock(smallExpected, smallBlock, txs, small, true);
    for (const [b, v, want] of [
      [block, validation, expected],
      [smallBlock, small, smallExpected.ops],
      [block, validation, expected],
    ] as const) {
      const reused = recorder();
      writeBlock(reused, b, txs, v, true, scratch);
      expect(reused.ops).toEqual(want);
    }
  });
});
