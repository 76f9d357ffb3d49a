/**
 * A buffer the committer reuses from one block to the next for bytes it hands to LevelDB and then
 * drops: the envelopes, the block, and the keys and values of its writes (LevelDB copies each put into
 * its write batch at once). A block of 1,000 anchors needs a few MiB of each; a fresh buffer of that
 * size costs a page fault per 4 KiB page the first time it is written, which on a virtual machine can
 * cost more than the writing itself (bench/README.md, `ledger.embedded.batched`).
 */
export class Scratch {
  #buffer: Buffer | undefined;

  /** @param keepAtMost the largest buffer kept for the next block (a larger one is used once) */
  constructor(private readonly keepAtMost = 64 * 1024 * 1024) {}

  /**
   * A buffer of at least `size` bytes: the one kept from before when it is large enough. Whatever
   * an earlier `take` of this scratch returned is overwritten by the bytes written into this one.
   */
  take(size: number): Buffer {
    const kept = this.#buffer;
    if (kept !== undefined && kept.length >= size) return kept;
    // Room for a somewhat larger block next time; pages never written cost nothing.
    const fresh = Buffer.allocUnsafe(
      size <= this.keepAtMost ? Math.min(this.keepAtMost, Math.ceil(size * 1.25)) : size,
    );
    this.keep(fresh);
    return fresh;
  }

  /** Keeps `buffer` for the next `take` (a writer that outgrew what `take` gave it), within the limit. */
  keep(buffer: Buffer): void {
    if (buffer.length <= this.keepAtMost && buffer.length > (this.#buffer?.length ?? 0)) this.#buffer = buffer;
  }
}
