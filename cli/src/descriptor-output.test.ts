import { describe, expect, it } from '@jest/globals';

import { DescriptorWriter, type WriteSync } from './descriptor-output.js';

/** An error as `fs.writeSync` throws it. */
function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/** A descriptor that takes at most `chunk` bytes a call, then answers as `after` says once `limit` bytes are in. */
function fakeDescriptor(options: { chunk: number; limit?: number; after?: string }): {
  write: WriteSync;
  written: () => string;
  calls: () => number;
} {
  const bytes: number[] = [];
  let calls = 0;
  const write: WriteSync = (_fd, data) => {
    calls++;
    if (options.limit !== undefined && bytes.length >= options.limit) throw errno(options.after ?? 'EAGAIN');
    const taken = data.subarray(0, options.chunk);
    bytes.push(...taken);
    return taken.length;
  };
  return { write, written: () => Buffer.from(bytes).toString('utf8'), calls: () => calls };
}

/** A stream that records what is written, and the error listeners it was given. */
function fakeStream(): { stream: NodeJS.WriteStream; text: () => string; listeners: () => number } {
  const chunks: string[] = [];
  let listeners = 0;
  const stream = {
    write: (chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    },
    on: () => {
      listeners++;
      return stream;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join(''), listeners: () => listeners };
}

describe('DescriptorWriter', () => {
  it('writes everything, however few bytes each call takes (a multi-byte character split too)', () => {
    const descriptor = fakeDescriptor({ chunk: 3 });
    const { stream, text } = fakeStream();
    const writer = new DescriptorWriter(1, () => stream, descriptor.write);
    writer.print('用法：credledger [選項]\n');
    writer.print('done\n');
    expect(descriptor.written()).toBe('用法：credledger [選項]\ndone\n');
    expect(text()).toBe('');
  });

  it('drops the rest quietly once the reader has gone (EPIPE), and writes nothing more', () => {
    const descriptor = fakeDescriptor({ chunk: 4, limit: 4, after: 'EPIPE' });
    const { stream, text } = fakeStream();
    const writer = new DescriptorWriter(1, () => stream, descriptor.write);
    writer.print('Usage: credledger\n');
    const calls = descriptor.calls();
    writer.print('more\n');
    expect(descriptor.written()).toBe('Usag');
    expect(descriptor.calls()).toBe(calls);
    expect(text()).toBe('');
  });

  it('gives a full non-blocking pipe (EAGAIN) the rest, and all later text, through the stream, guarded', () => {
    const descriptor = fakeDescriptor({ chunk: 4, limit: 8 });
    const { stream, text, listeners } = fakeStream();
    const writer = new DescriptorWriter(1, () => stream, descriptor.write);
    writer.print('Usage: credledger\n');
    writer.print('more\n');
    expect(descriptor.written()).toBe('Usage: c');
    expect(text()).toBe('redledger\nmore\n');
    expect(listeners()).toBe(1);
  });

  it('throws any other error', () => {
    const writer = new DescriptorWriter(
      1,
      () => fakeStream().stream,
      () => {
        throw errno('EIO');
      },
    );
    expect(() => {
      writer.print('x');
    }).toThrow(expect.objectContaining({ code: 'EIO' }));
  });
});
