/**
 * A query's filter over the collection's rows, as the payload index evaluated it (one bit per
 * row). Scans read it per row; exact scans over the whole range ask for it as a byte mask.
 */
export class RowFilter {
  private expanded = false;

  /** `bits` holds rows [0, size); `bytes` is scratch of at least `size` bytes, owned by the collection. */
  constructor(
    private readonly bits: Uint32Array,
    readonly size: number,
    private readonly bytes: Uint8Array,
  ) {}

  test(row: number): boolean {
    return ((this.bits[row >>> 5] >>> (row & 31)) & 1) === 1;
  }

  /** 1 where the filter passes, 0 elsewhere, as the exact scans read it. */
  mask(): Uint8Array {
    if (!this.expanded) {
      const { bits, bytes, size } = this;
      for (let row = 0; row < size; row++) bytes[row] = (bits[row >>> 5] >>> (row & 31)) & 1;
      this.expanded = true;
    }
    return this.bytes;
  }

  /**
   * The rows that pass, ascending, written into `out` (at least {@link estimateMatches} long);
   * returns how many. Reads the bitset a word at a time, so a selective filter costs its matches
   * plus size / 32 words, not a byte per row.
   */
  rows(out: Int32Array): number {
    const { bits, size } = this;
    let n = 0;
    const words = Math.ceil(size / 32);
    for (let w = 0; w < words; w++) {
      let word = bits[w];
      while (word !== 0) {
        const low = word & -word;
        const row = w * 32 + 31 - Math.clz32(low);
        if (row >= size) break;
        out[n++] = row;
        word ^= low;
      }
    }
    return n;
  }

  /** How many rows pass (exact: a population count of the bitset). */
  estimateMatches(): number {
    return countRows(this.bits, this.size);
  }
}

/** Set bits among rows [0, size). */
export function countRows(bits: Uint32Array, size: number): number {
  let n = 0;
  const words = Math.ceil(size / 32);
  for (let w = 0; w < words; w++) {
    let v = bits[w];
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}
