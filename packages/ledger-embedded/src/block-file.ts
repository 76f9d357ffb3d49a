/**
 * The embedded ledger's block store: blocks appended in order to files of at most 64 MiB
 * (`blocks/blockfile_000000`, `blockfile_000001`, …), outside LevelDB, as a Fabric peer keeps its chain
 * (`chains/chains/<channel>/blockfile_*`). Each record is u32 length ‖ block bytes. LevelDB keeps, for
 * each block, where it is (decision 0045): a 16-byte location written in the same atomic batch as the
 * block's state, history and index updates. The blocks are most of a ledger's bytes and their numbers
 * only grow: in LevelDB's tree every table flushed from memory mixed them with state keys, and background
 * compaction rewrote them once per level, on the cores the committer needs.
 *
 * A block is appended and made durable before its batch is written, so a crash leaves at most a tail of
 * blocks no batch names: opening truncates it (those transactions were never reported committed).
 */
import { constants, promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CredledgerError } from '@credledger/verify';

/** Where a block is: its file's number, and its bytes' offset and length in that file. */
export interface BlockLocation {
  readonly file: number;
  readonly offset: number;
  readonly length: number;
}

/** A file is closed for appends once the next record would take it past this size (Fabric's default). */
export const blockFileBytes = 64 * 1024 * 1024;

const locationBytes = 16;
const headerBytes = 4;

/** file u32 ‖ offset u64 ‖ length u32. */
export function encodeLocation(at: BlockLocation): Buffer {
  const b = Buffer.allocUnsafe(locationBytes);
  b.writeUInt32BE(at.file, 0);
  b.writeUInt32BE(Math.floor(at.offset / 0x1_0000_0000), 4);
  b.writeUInt32BE(at.offset >>> 0, 8);
  b.writeUInt32BE(at.length, 12);
  return b;
}

/** Reads a location; throws on anything else (a block kept inline by an older storage format, damage). */
export function decodeLocation(b: Uint8Array): BlockLocation {
  if (b.length !== locationBytes) throw new Error(`a block location is ${locationBytes} bytes, not ${b.length}`);
  const v = Buffer.from(b.buffer, b.byteOffset, b.length);
  return {
    file: v.readUInt32BE(0),
    offset: v.readUInt32BE(4) * 0x1_0000_0000 + v.readUInt32BE(8),
    length: v.readUInt32BE(12),
  };
}

/** The block files' folder in a ledger's directory. */
export function blocksDirectory(ledgerDirectory: string): string {
  return join(ledgerDirectory, 'blocks');
}

export function blockFileName(file: number): string {
  return `blockfile_${String(file).padStart(6, '0')}`;
}

const write = promisify(fs.write);
const writev = promisify(fs.writev);
const read = promisify(fs.read);

/** The block files of one ledger: one appender, reads from any file. */
export class BlockFiles {
  /** Read descriptors, opened on first read of a file. */
  private readonly readers = new Map<number, number>();
  /** Not durable: descriptors written since `sync`, and whether a file was created. */
  private readonly unsynced = new Set<number>();
  private created = false;
  private closed = false;

  private constructor(
    private readonly directory: string,
    private readonly durable: boolean,
    private readonly fileBytes: number,
    private file: number,
    private size: number,
    private fd: number,
  ) {}

  /**
   * Opens the block files in `directory` whose last block the ledger names is `last` (undefined: a new
   * ledger, no block yet). Bytes after it — blocks appended by a process that stopped before their batch
   * was written — are cut off. `durable`: each append is on disk when it returns (O_DSYNC). A file takes
   * blocks up to `fileBytes`.
   * Fails: LEDGER_CORRUPT when the files hold less than the ledger names.
   */
  static async open(
    directory: string,
    last: BlockLocation | undefined,
    durable: boolean,
    fileBytes = blockFileBytes,
  ): Promise<BlockFiles> {
    await fsp.mkdir(directory, { recursive: true });
    const file = last?.file ?? 0;
    const end = last === undefined ? 0 : last.offset + last.length;
    for (const name of await fsp.readdir(directory)) {
      const m = /^blockfile_(\d{6,})$/.exec(name);
      if (m && Number(m[1]) > file) await fsp.rm(join(directory, name), { force: true });
    }
    const path = join(directory, blockFileName(file));
    const size = await fsp.stat(path).then(
      (s) => s.size,
      () => 0,
    );
    if (size < end)
      throw new CredledgerError(
        'LEDGER_CORRUPT',
        `block file ${path} has ${size} bytes, and the ledger's last block ends at ${end}: blocks are missing`,
        { details: { path, size, end } },
      );
    const fd = fs.openSync(path, constants.O_RDWR | constants.O_CREAT | (durable ? constants.O_DSYNC : 0), 0o600);
    if (size > end) {
      fs.ftruncateSync(fd, end);
      if (durable) fs.fdatasyncSync(fd);
    }
    const files = new BlockFiles(directory, durable, fileBytes, file, end, fd);
    if (size === 0) files.fileCreated();
    return files;
  }

  /** Appends a block; when it returns, the block is on disk (if durable). */
  async append(block: Uint8Array): Promise<BlockLocation> {
    if (this.closed) throw new Error('block files are closed');
    if (this.size > 0 && this.size + headerBytes + block.length > this.fileBytes) this.next();
    const header = Buffer.allocUnsafe(headerBytes);
    header.writeUInt32BE(block.length, 0);
    const at = this.size;
    // Taken before the write: after a failed append the next block goes past it (no location names
    // those bytes; a later open cuts them if they are last).
    this.size += headerBytes + block.length;
    if (!this.durable) this.unsynced.add(this.fd);
    await writeAll(this.fd, [header, block], at);
    return { file: this.file, offset: at + headerBytes, length: block.length };
  }

  /** Makes the appends so far durable, when the files were opened not durable. */
  sync(): void {
    for (const fd of this.unsynced) fs.fdatasyncSync(fd);
    this.unsynced.clear();
    if (this.created) this.syncDirectory();
    this.created = false;
  }

  async read(at: BlockLocation): Promise<Buffer> {
    const out = Buffer.allocUnsafe(at.length);
    const { bytesRead } = await read(this.reader(at.file), out, 0, at.length, at.offset);
    return checkRead(out, bytesRead, at);
  }

  readSync(at: BlockLocation): Buffer {
    const out = Buffer.allocUnsafe(at.length);
    return checkRead(out, fs.readSync(this.reader(at.file), out, 0, at.length, at.offset), at);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fd of this.readers.values()) fs.closeSync(fd);
    this.readers.clear();
    fs.closeSync(this.fd);
  }

  private reader(file: number): number {
    if (this.closed) throw new Error('block files are closed');
    if (file === this.file) return this.fd;
    let fd = this.readers.get(file);
    if (fd === undefined) {
      fd = fs.openSync(join(this.directory, blockFileName(file)), 'r');
      this.readers.set(file, fd);
    }
    return fd;
  }

  /** Starts the next file: the current one stays open for reads. */
  private next(): void {
    this.readers.set(this.file, this.fd);
    this.file++;
    this.size = 0;
    const path = join(this.directory, blockFileName(this.file));
    this.fd = fs.openSync(
      path,
      constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | (this.durable ? constants.O_DSYNC : 0),
      0o600,
    );
    this.fileCreated();
  }

  /** A new file's name is durable once its directory is synced: now, or at `sync`. */
  private fileCreated(): void {
    if (this.durable) this.syncDirectory();
    else this.created = true;
  }

  /** A new file's name is durable once its directory is synced. */
  private syncDirectory(): void {
    const dir = fs.openSync(this.directory, 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  }
}

/** One positioned writev (one synchronous write with O_DSYNC), continued if the kernel wrote less. */
async function writeAll(fd: number, parts: readonly Uint8Array[], position: number): Promise<void> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const { bytesWritten } = await writev(fd, parts as Uint8Array[], position);
  if (bytesWritten === total) return;
  const rest = Buffer.concat(parts).subarray(bytesWritten);
  let done = 0;
  while (done < rest.length) {
    const written = await write(fd, rest, done, rest.length - done, position + bytesWritten + done);
    done += written.bytesWritten;
  }
}

function checkRead(out: Buffer, bytesRead: number, at: BlockLocation): Buffer {
  if (bytesRead !== at.length)
    throw new Error(`block file ${blockFileName(at.file)} ends before the block at ${at.offset} (${at.length} bytes)`);
  return out;
}
