import { Injectable } from '@nestjs/common';
import { TextThread } from '../../text/text-thread';
import type { PreparedBulk } from './bulk-preparation';

/**
 * Prepares bulk bodies (parse, check, normalise: see prepareBulk) in the text thread; the event
 * loop only sends the bytes and gets flat rows back. On the load bench a 1,000 × 250-ingredient
 * bulk kept the main thread busy for about 4 s in slices, and its JSON.parse (~100 ms) and the
 * garbage collections of its object graph could not be sliced at all: the one-word searches
 * beside it reached a p99 of 257 ms.
 */
@Injectable()
export class BulkPreparer {
  constructor(private readonly thread: TextThread) {}

  prepare(bytes: Uint8Array | undefined): Promise<PreparedBulk> {
    const owned = bytes && ownsItsBuffer(bytes) ? bytes : bytes && Uint8Array.from(bytes);
    return this.thread.run({ kind: 'bulk', bytes: owned }, owned ? [owned.buffer as ArrayBuffer] : []);
  }
}

/** Whether the view spans its whole buffer, which can then move to the thread instead of being copied. */
function ownsItsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}
