/**
 * The peer side of one transaction: the handler fabric-shim's ChaincodeStub calls. Like Fabric's
 * transaction simulator it reads committed state only (one LevelDB snapshot, so no read-your-writes),
 * collects a read set with versions, range-query records for phantom checks and a write set where the
 * last write to a key wins, and answers queries in batches the way the peer streams them to the shim.
 */
import { randomUUID } from 'node:crypto';
import type { ClassicLevel } from 'classic-level';
import type { FabricShim } from './shim.js';
import type { MetaWriteEntry, RangeQueryRecord, ReadEntry, RwSet, Version, WriteEntry } from './store.js';
import {
  blockKey,
  decodeEnvelope,
  decodeMetadata,
  decodeState,
  envelopeAt,
  historyPrefix,
  metaKey,
  prefix,
  prefixEnd,
  stateKey,
} from './store.js';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- google-protobuf messages of the shim's protos are untyped */

type Db = ClassicLevel<Buffer, Buffer>;
type Snapshot = ReturnType<Db['snapshot']>;

/** Results per QueryResponse batch: Fabric's handler streams 100 at a time (maxResultLimit). */
const batchSize = 100;

export interface SimulatorOptions {
  readonly totalQueryLimit: number;
  readonly enableHistory: boolean;
}

interface OpenIterator {
  next(): Promise<{ results: Buffer[]; hasMore: boolean }>;
  close(): Promise<void>;
}

const empty = Buffer.alloc(0);

export class TxSimulator {
  private readonly reads = new Map<string, Version | null>();
  private readonly writes = new Map<string, Buffer>();
  private readonly metaWrites = new Map<string, Record<string, Buffer>>();
  private readonly ranges: RangeQueryRecord[] = [];
  private readonly iterators = new Map<string, OpenIterator>();
  private paginatedQueryDone = false;
  private writeDone = false;
  private finished = false;
  // A peer serialises the calls of one transaction; the shim may issue them concurrently.
  private queue: Promise<unknown> = Promise.resolve();
  /** Calls queued or running: with none, a call runs at once (see `serial`). */
  private busy = 0;

  constructor(
    private readonly shim: FabricShim,
    private readonly db: Db,
    private readonly snapshot: Snapshot,
    private readonly channel: string,
    private readonly chaincode: string,
    private readonly txId: string,
    private readonly options: SimulatorOptions,
  ) {}

  /**
   * Runs one handler call after the calls issued before it, as the peer serialises a transaction's
   * messages. The shim awaits each call, so usually none is in progress: then the call runs at once,
   * and a synchronous one (a point read or a write) costs no promise chain; otherwise it waits its turn.
   */
  private serial<T>(type: string, fn: () => T | Promise<T>): Promise<T> {
    const failed = (err: unknown): Error =>
      // The peer answers a failed call with an ERROR message the shim turns into `new Error(payload)`.
      new Error(`${type} failed: transaction ID: ${this.txId}: ${(err as Error).message}`);
    const call = (): T | Promise<T> => {
      if (this.finished) throw new Error('transaction context not found');
      return fn();
    };
    if (this.busy === 0) {
      let result: T | Promise<T>;
      try {
        result = call();
      } catch (err) {
        return Promise.reject(failed(err));
      }
      if (!(result instanceof Promise)) return Promise.resolve(result);
      this.busy++;
      const run = result.then(
        (value) => {
          this.busy--;
          return value;
        },
        (err: unknown) => {
          this.busy--;
          throw failed(err);
        },
      );
      this.queue = run.catch(() => undefined);
      return run;
    }
    this.busy++;
    const run = this.queue.then(async () => {
      try {
        return await call();
      } catch (err) {
        throw failed(err);
      } finally {
        this.busy--;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private publicOnly(collection: string): void {
    if (collection !== '')
      throw new Error(`private data is not supported by the embedded ledger (collection ${collection})`);
  }

  /**
   * A committed entry as of the snapshot. Read synchronously: a point read served from LevelDB's block
   * cache costs ~1 µs this way against ~30 µs through the thread pool, and a simulation's reads are
   * sequential (the shim awaits each), so the asynchronous round trip was most of an endorsement.
   */
  private committed(key: string): { version: Version; value: Buffer } | undefined {
    const raw = this.db.getSync(stateKey(key), { snapshot: this.snapshot });
    return raw === undefined ? undefined : decodeState(raw);
  }

  private checkWrite(): void {
    if (this.paginatedQueryDone)
      throw new Error(
        `txid [${this.txId}]: Transaction has already performed a paginated query. Writes are not allowed`,
      );
    this.writeDone = true;
  }

  // --- the handler interface fabric-shim's ChaincodeStub calls -----------------------------------------

  handleGetState(collection: string, key: string): Promise<Buffer> {
    return this.serial('GET_STATE', () => {
      this.publicOnly(collection);
      const rec = this.committed(key);
      this.reads.set(key, rec?.version ?? null);
      // A missing key comes back as an empty payload, which the shim turns into an empty Buffer. A
      // value is a view into the bytes this read alone got from LevelDB: nothing else holds them.
      return rec ? rec.value : Buffer.alloc(0);
    });
  }

  handlePutState(collection: string, key: string, value: Uint8Array | string): Promise<Buffer> {
    return this.serial('PUT_STATE', () => {
      this.publicOnly(collection);
      this.checkWrite();
      this.writes.set(key, Buffer.from(value as Uint8Array));
      return empty;
    });
  }

  handleDeleteState(collection: string, key: string): Promise<Buffer> {
    return this.serial('DEL_STATE', () => {
      this.publicOnly(collection);
      this.checkWrite();
      this.writes.set(key, empty);
      return empty;
    });
  }

  handlePurgeState(): Promise<Buffer> {
    return this.serial('PURGE_PRIVATE_DATA', () => {
      throw new Error('private data is not supported by the embedded ledger');
    });
  }

  handleGetPrivateDataHash(): Promise<Buffer> {
    return this.serial('GET_PRIVATE_DATA_HASH', () => {
      throw new Error('private data is not supported by the embedded ledger');
    });
  }

  handlePutStateMetadata(collection: string, key: string, metakey: string, value: Uint8Array): Promise<Buffer> {
    return this.serial('PUT_STATE_METADATA', () => {
      this.publicOnly(collection);
      this.checkWrite();
      // The peer's handler replaces the key's whole metadata map with this one entry.
      this.metaWrites.set(key, { [metakey]: Buffer.from(value) });
      return empty;
    });
  }

  handleGetStateMetadata(collection: string, key: string): Promise<Record<string, Uint8Array>> {
    return this.serial('GET_STATE_METADATA', () => {
      this.publicOnly(collection);
      const rec = this.committed(key);
      this.reads.set(key, rec?.version ?? null);
      if (!rec) return {};
      const raw = this.db.getSync(metaKey(key), { snapshot: this.snapshot });
      return raw === undefined ? {} : decodeMetadata(raw);
    });
  }

  handleGetStateByRange(
    collection: string,
    startKey: string,
    endKey: string,
    _channel: string,
    _txId: string,
    metadata?: Uint8Array,
  ): Promise<{ iterator: unknown; metadata?: { bookmark: string; fetchedRecordsCount: number } }> {
    return this.serial('GET_STATE_BY_RANGE', async () => {
      this.publicOnly(collection);
      let start = startKey;
      let pageSize: number | undefined;
      if (metadata && metadata.length > 0) {
        if (this.writeDone)
          throw new Error(`txid [${this.txId}]: Paginated queries are supported only in a read-only transaction`);
        this.paginatedQueryDone = true;
        const q = this.shim.protos.peer.QueryMetadata.deserializeBinary(metadata);
        pageSize = q.getPagesize();
        const bookmark: string = q.getBookmark();
        if (bookmark) start = bookmark;
      }
      const id = randomUUID();
      const scan = new RangeScan(this.db, this.snapshot, start, endKey, pageSize ?? this.options.totalQueryLimit);
      const record = { start, end: endKey, exhausted: false, results: [] as ReadEntry[] };
      this.ranges.push(record);
      const iter: OpenIterator = {
        next: async () => {
          // A paginated query returns its whole page at once, so the bookmark is known with the first response.
          const batch = await scan.batch(pageSize ?? batchSize);
          for (const [key, version] of batch.entries) record.results.push([key, version.block, version.tx]);
          if (scan.exhausted) record.exhausted = true;
          return { results: batch.entries.map(([key, , value]) => this.kv(key, value)), hasMore: batch.hasMore };
        },
        close: async () => {
          // Not read to the end: the phantom check covers [start, last key returned].
          if (!record.exhausted) (record as { end: string }).end = record.results.at(-1)?.[0] ?? start;
          await scan.close();
        },
      };
      this.iterators.set(id, iter);
      const first = await iter.next();
      // LevelDB's bookmark: the next unread key, or '' when the range is exhausted.
      const bookmark = pageSize === undefined ? undefined : await scan.nextKey();
      if (!first.hasMore) await this.closeIterator(id);
      const response = this.queryResponse(id, first.results, first.hasMore);
      if (pageSize === undefined)
        return { iterator: new this.shim.StateQueryIterator(this, this.channel, this.txId, response) };
      const meta = { bookmark: bookmark ?? '', fetchedRecordsCount: scan.fetched };
      const metaPb = new this.shim.protos.peer.QueryResponseMetadata();
      metaPb.setBookmark(meta.bookmark);
      metaPb.setFetchedRecordsCount(meta.fetchedRecordsCount);
      response.setMetadata(metaPb.serializeBinary());
      return { iterator: new this.shim.StateQueryIterator(this, this.channel, this.txId, response), metadata: meta };
    });
  }

  handleGetQueryResult(_collection: string, _query: string, metadata: Uint8Array | null): Promise<never> {
    return this.serial('GET_QUERY_RESULT', () => {
      // LevelDB state databases have no rich queries.
      throw new Error(
        metadata ? 'ExecuteQueryWithMetadata not supported for leveldb' : 'ExecuteQuery not supported for leveldb',
      );
    });
  }

  handleGetHistoryForKey(key: string): Promise<unknown> {
    return this.serial('GET_HISTORY_FOR_KEY', async () => {
      if (!this.options.enableHistory) throw new Error('history database is not enabled');
      const p = historyPrefix(key);
      const entries: Buffer[] = [];
      // Newest first, as Fabric 2.x returns history; limited like any non-paginated query. Each index
      // entry names (block, tx); the value, txid, timestamp and delete flag come from that transaction.
      let block: { number: number; bytes: Buffer } | undefined;
      for await (const indexKey of this.db.keys({
        gte: p,
        lt: Buffer.concat([p, Buffer.alloc(12, 0xff), Buffer.from([0xff])]),
        reverse: true,
        snapshot: this.snapshot,
        limit: this.options.totalQueryLimit,
      })) {
        const number = indexKey.readUInt32BE(p.length) * 0x1_0000_0000 + indexKey.readUInt32BE(p.length + 4);
        const txNum = indexKey.readUInt32BE(p.length + 8);
        if (block?.number !== number) {
          const bytes = this.db.getSync(blockKey(number), { snapshot: this.snapshot });
          if (bytes === undefined)
            throw new Error(`ledger corrupt: block ${number} named by the history index is missing`);
          block = { number, bytes };
        }
        const tx = decodeEnvelope(envelopeAt(block.bytes, txNum));
        const write = tx.rwset.writes.find((w) => w[0] === key);
        if (!write)
          throw new Error(`ledger corrupt: block ${number} tx ${txNum} does not write the key its history names`);
        const mod = new this.shim.protos.ledger.queryresult.KeyModification();
        mod.setTxId(tx.txId);
        mod.setValue(write[1]);
        mod.setIsDelete(write[1].length === 0);
        const ts = new this.shim.Timestamp();
        ts.setSeconds(tx.timestamp.seconds);
        ts.setNanos(tx.timestamp.nanos);
        mod.setTimestamp(ts);
        entries.push(Buffer.from(mod.serializeBinary()));
      }
      const id = randomUUID();
      let at = 0;
      const iter: OpenIterator = {
        next: () => {
          const results = entries.slice(at, at + batchSize);
          at += results.length;
          return Promise.resolve({ results, hasMore: at < entries.length });
        },
        close: () => Promise.resolve(),
      };
      this.iterators.set(id, iter);
      const first = await iter.next();
      if (!first.hasMore) await this.closeIterator(id);
      return new this.shim.HistoryQueryIterator(
        this,
        this.channel,
        this.txId,
        this.queryResponse(id, first.results, first.hasMore),
      );
    });
  }

  handleQueryStateNext(id: string): Promise<unknown> {
    return this.serial('QUERY_STATE_NEXT', async () => {
      const iter = this.iterators.get(id);
      if (!iter) throw new Error('query iterator not found');
      const batch = await iter.next();
      if (!batch.hasMore) await this.closeIterator(id);
      return this.queryResponse(id, batch.results, batch.hasMore);
    });
  }

  handleQueryStateClose(id: string): Promise<unknown> {
    return this.serial('QUERY_STATE_CLOSE', async () => {
      await this.closeIterator(id);
      return this.queryResponse(id, [], false);
    });
  }

  handleInvokeChaincode(): Promise<never> {
    return this.serial('INVOKE_CHAINCODE', () => {
      throw new Error('chaincode-to-chaincode invocation is not supported by the embedded ledger');
    });
  }

  // --- results --------------------------------------------------------------------------------------

  private kv(key: string, value: Buffer): Buffer {
    const kv = new this.shim.protos.ledger.queryresult.KV();
    kv.setNamespace(this.chaincode);
    kv.setKey(key);
    kv.setValue(value);
    return Buffer.from(kv.serializeBinary());
  }

  private queryResponse(id: string, results: Buffer[], hasMore: boolean): any {
    const { peer } = this.shim.protos;
    const response = new peer.QueryResponse();
    response.setResultsList(
      results.map((bytes) => {
        const r = new peer.QueryResultBytes();
        r.setResultbytes(bytes);
        return r;
      }),
    );
    response.setHasMore(hasMore);
    response.setId(id);
    return response;
  }

  private async closeIterator(id: string): Promise<void> {
    const iter = this.iterators.get(id);
    if (!iter) return;
    this.iterators.delete(id);
    await iter.close();
  }

  /** Ends the simulation (closing iterators the chaincode left open) and returns its read/write set. */
  async finish(): Promise<RwSet> {
    await this.queue;
    for (const id of [...this.iterators.keys()]) await this.closeIterator(id);
    this.finished = true;
    const reads: ReadEntry[] = [];
    for (const [key, v] of this.reads) reads.push(v ? [key, v.block, v.tx] : [key]);
    const writes: WriteEntry[] = [...this.writes];
    const metaWrites: MetaWriteEntry[] = [...this.metaWrites];
    return { reads, ranges: this.ranges, writes, metaWrites };
  }
}

/** A forward scan over committed state keys in [start, end) on a snapshot, with a result limit. */
class RangeScan {
  private readonly iterator;
  private buffer: [Buffer, Buffer][] = [];
  private dbDone = false;
  fetched = 0;
  exhausted = false;

  constructor(
    db: Db,
    snapshot: Snapshot,
    start: string,
    end: string,
    private readonly limit: number,
  ) {
    this.iterator = db.iterator({
      gte: stateKey(start),
      lt: end === '' ? prefixEnd(prefix.state) : stateKey(end),
      snapshot,
    });
  }

  private async fill(): Promise<void> {
    if (this.buffer.length > 0 || this.dbDone) return;
    const entries = await this.iterator.nextv(256);
    if (entries.length === 0) this.dbDone = true;
    else this.buffer = entries;
  }

  async batch(max: number): Promise<{ entries: [string, Version, Buffer][]; hasMore: boolean }> {
    const entries: [string, Version, Buffer][] = [];
    while (entries.length < max && this.fetched < this.limit) {
      await this.fill();
      const next = this.buffer.shift();
      if (!next) break;
      const { version, value } = decodeState(next[1]);
      entries.push([next[0].subarray(1).toString('utf8'), version, value]);
      this.fetched++;
    }
    await this.fill();
    const more = this.buffer.length > 0;
    if (!more) this.exhausted = true;
    return { entries, hasMore: more && this.fetched < this.limit && entries.length > 0 };
  }

  /** The next key not yet returned (the LevelDB bookmark), or undefined when there is none. */
  async nextKey(): Promise<string | undefined> {
    await this.fill();
    return this.buffer[0]?.[0].subarray(1).toString('utf8');
  }

  async close(): Promise<void> {
    await this.iterator.close();
  }
}
