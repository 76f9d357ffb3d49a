/**
 * Framing of the peer socket (peer-socket-server.ts, peer-socket-client.ts): each message is one JSON
 * document behind a 4-byte big-endian length, so a reader knows where a message ends without scanning
 * for a delimiter, and a message may hold any character. Binary fields travel as base64 strings.
 */

/** The largest frame either side accepts: a batch of 2,000 credentials is well under 10 MiB. */
export const maxFrameBytes = 64 * 1024 * 1024;

const headerBytes = 4;

/** Why a byte stream is not a sequence of frames; the connection cannot be read any further. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/** One message as a frame: length, then UTF-8 JSON. Throws FrameError when it exceeds {@link maxFrameBytes}. */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  if (body.length > maxFrameBytes)
    throw new FrameError(`a message of ${body.length} bytes exceeds the frame limit of ${maxFrameBytes}`);
  const frame = Buffer.allocUnsafe(headerBytes + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, headerBytes);
  return frame;
}

/**
 * Reassembles frames from the chunks a stream delivers, however the stream splits or joins them.
 * Throws FrameError on a frame over the limit or a body that is not JSON; after that it must not be fed.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Adds a chunk; returns every message it completes, in order. */
  push(chunk: Uint8Array): unknown[] {
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.byteLength;
    const messages: unknown[] = [];
    for (;;) {
      if (this.buffered < headerBytes) break;
      const head = this.peek(headerBytes);
      const length = head.readUInt32BE(0);
      // Refused before buffering it: a peer that announces a huge frame gets no memory for it.
      if (length > maxFrameBytes)
        throw new FrameError(`a frame of ${length} bytes exceeds the limit of ${maxFrameBytes}`);
      if (this.buffered < headerBytes + length) break;
      const frame = this.take(headerBytes + length);
      try {
        messages.push(JSON.parse(frame.toString('utf8', headerBytes)));
      } catch {
        throw new FrameError('a frame does not hold JSON');
      }
    }
    return messages;
  }

  /** Bytes of an unfinished frame still waiting for the rest. */
  get pending(): number {
    return this.buffered;
  }

  private peek(bytes: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= bytes) return first;
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }

  private take(bytes: number): Buffer {
    const joined = this.peek(bytes);
    const rest = joined.subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered -= bytes;
    return joined.subarray(0, bytes);
  }
}
