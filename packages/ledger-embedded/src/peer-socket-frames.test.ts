import { describe, expect, it } from '@jest/globals';
import { encodeFrame, FrameError, FrameReader, maxFrameBytes } from './peer-socket-frames.js';

const messages = [
  { id: 1, op: 'hello', protocol: 1 },
  { id: 2, result: { payload: Buffer.from([0, 1, 2, 255]).toString('base64'), text: '法務部 ✓ \n"quoted"' } },
  { id: 3, end: true },
];

describe('peer socket frames', () => {
  it('puts a 4-byte big-endian length before the UTF-8 JSON', () => {
    const frame = encodeFrame({ a: '律' });
    const body = Buffer.from('{"a":"律"}', 'utf8');
    expect(frame.readUInt32BE(0)).toBe(body.length);
    expect(frame.subarray(4)).toEqual(body);
  });

  it('reads back messages however the stream splits them: byte by byte, or many in one chunk', () => {
    const stream = Buffer.concat(messages.map(encodeFrame));
    const byteByByte = new FrameReader();
    const read: unknown[] = [];
    for (const byte of stream) read.push(...byteByByte.push(Uint8Array.of(byte)));
    expect(read).toEqual(messages);
    expect(byteByByte.pending).toBe(0);
    expect(new FrameReader().push(stream)).toEqual(messages);
  });

  it('keeps an unfinished frame until the rest arrives, and reads on from the frame after it', () => {
    const [first, second] = [encodeFrame(messages[0]), encodeFrame(messages[1])];
    const reader = new FrameReader();
    expect(reader.push(Buffer.concat([first, second.subarray(0, 7)]))).toEqual([messages[0]]);
    expect(reader.pending).toBe(7);
    expect(reader.push(second.subarray(7))).toEqual([messages[1]]);
    expect(reader.pending).toBe(0);
  });

  it('refuses a frame announcing more than the limit as soon as its length is read', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(maxFrameBytes + 1);
    expect(() => new FrameReader().push(header)).toThrow(FrameError);
  });

  it('refuses a frame whose body is not JSON', () => {
    const body = Buffer.from('{not json', 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(body.length);
    expect(() => new FrameReader().push(Buffer.concat([header, body]))).toThrow(FrameError);
  });

  it('reads an empty-string message and a frame at exactly the split of a length header', () => {
    const frames = Buffer.concat([encodeFrame(''), encodeFrame({ id: 9 })]);
    const reader = new FrameReader();
    const boundary = encodeFrame('').length + 2;
    expect(reader.push(frames.subarray(0, boundary))).toEqual(['']);
    expect(reader.push(frames.subarray(boundary))).toEqual([{ id: 9 }]);
  });
});
