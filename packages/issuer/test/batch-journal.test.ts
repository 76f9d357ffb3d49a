import { describe, expect, it } from '@jest/globals';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BatchJournal, type JournalHeader } from '../src/batch/journal.js';

const header: JournalHeader = {
  type: 'LawyerLicenceCredential',
  issuerDid: 'did:web:moj.gov.tw',
  inputSha256: 'ab'.repeat(32),
  rows: 3,
};

async function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'credledger-journal-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('BatchJournal', () => {
  it('restores signed and anchored rows when reopened', () =>
    withDir(async (dir) => {
      const path = join(dir, 'j');
      const first = await BatchJournal.open(path, header);
      await first.appendSigned([
        { row: 0, id: 'urn:uuid:a', jwt: 'jwt-a' },
        { row: 1, id: 'urn:uuid:b', jwt: 'jwt-b' },
      ]);
      await first.appendAnchored([0], 'tx1');
      await first.close();

      const again = await BatchJournal.open(path, header);
      expect([...again.signed.values()]).toEqual([
        { row: 0, id: 'urn:uuid:a', jwt: 'jwt-a' },
        { row: 1, id: 'urn:uuid:b', jwt: 'jwt-b' },
      ]);
      expect([...again.anchored]).toEqual([0]);
      expect(again.complete).toBe(false);
      await again.markComplete();
      await again.close();
      const third = await BatchJournal.open(path, header);
      expect(third.complete).toBe(true);
      await third.close();
    }));

  it('drops a torn last line and keeps appending on a line boundary', () =>
    withDir(async (dir) => {
      const path = join(dir, 'j');
      const first = await BatchJournal.open(path, header);
      await first.appendSigned([{ row: 0, id: 'urn:uuid:a', jwt: 'jwt-a' }]);
      await first.close();
      await appendFile(path, '{"k":"signed","row":1,"id":"urn:uu');

      const again = await BatchJournal.open(path, header);
      expect([...again.signed.keys()]).toEqual([0]);
      await again.appendSigned([{ row: 1, id: 'urn:uuid:c', jwt: 'jwt-c' }]);
      await again.close();

      const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
      expect(lines.map((line) => (JSON.parse(line) as { k: string }).k)).toEqual(['header', 'signed', 'signed']);
      const third = await BatchJournal.open(path, header);
      expect(third.signed.get(1)?.id).toBe('urn:uuid:c');
      await third.close();
    }));

  it('refuses a journal of another input', () =>
    withDir(async (dir) => {
      const path = join(dir, 'j');
      await (await BatchJournal.open(path, header)).close();
      await expect(BatchJournal.open(path, { ...header, inputSha256: 'cd'.repeat(32) })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { field: 'inputSha256' },
      });
    }));

  it('refuses a journal damaged before its last line', () =>
    withDir(async (dir) => {
      const path = join(dir, 'j');
      await (await BatchJournal.open(path, header)).close();
      await appendFile(path, 'garbage\n{"k":"complete"}\n');
      await expect(BatchJournal.open(path, header)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { line: 2 },
      });
    }));

  it('refuses to record a row under a second id', () =>
    withDir(async (dir) => {
      const path = join(dir, 'j');
      const journal = await BatchJournal.open(path, header);
      await journal.appendSigned([{ row: 0, id: 'urn:uuid:a', jwt: 'jwt-a' }]);
      await expect(journal.appendSigned([{ row: 0, id: 'urn:uuid:z', jwt: 'jwt-z' }])).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      await journal.close();
    }));

  it('refuses a file whose first line is no header', () =>
    withDir(async (dir) => {
      const path = join(dir, 'j');
      await writeFile(path, '{"k":"complete"}\n');
      await expect(BatchJournal.open(path, header)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }));
});
