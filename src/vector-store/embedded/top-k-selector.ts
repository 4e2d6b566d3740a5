/**
 * The order equal scores are cut in: by a 32-bit hash of each row's id, then by the id. A row
 * number is where a point happens to sit in one process: deletes move the last row into the
 * hole, and a process that built a collection holds its rows in build order while the others
 * load them in id order. Cut by row, two replicas kept different points of a run of equal
 * scores (dishes with the same ingredients) at a list's end; cut by a function of the id, every
 * process keeps the same ones. Ties are frequent: at 100,000 recipes a search compares ~4,600
 * pairs of equal scores in its heaps, a similar-dish list ~1,000 (sparse terms and categorical
 * properties score alike), and a one-word query's sparse leg cuts inside a run of thousands.
 * Comparing the id strings there, each a cache miss away, cost a similar-dish list ~10% of its
 * CPU; so each row's hash is read once, when it is offered, and kept in the heap beside its
 * score: about 5% of a similar-dish list's CPU and of a search's over the row order (means of
 * four alternating 10-s rounds with one client against the code before: 3.38 against 3.21 ms
 * and 3.21 against 3.05 ms; two copies of the code before differed by 2% measured so).
 *
 * Exact cuts only: a partitioned space's candidates, picked by int8 scores, are cut by row.
 * Each process trains its partitions on a sample of its own rows, so approximate answers may
 * differ between processes anyway; the final cut among the rescored candidates is by this order.
 */
export class TieOrder {
  private keys = new Int32Array(0);
  private readonly ids: string[] = [];

  /** Row `row` now holds `id`. */
  set(row: number, id: string): void {
    if (row >= this.keys.length) {
      const grown = new Int32Array(Math.max(64, row + 1, this.keys.length * 2));
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[row] = hashOf(id);
    this.ids[row] = id;
  }

  /** Drops the rows from `size` on. */
  truncate(size: number): void {
    this.ids.length = Math.min(this.ids.length, size);
  }

  /** Row `row`'s key: a lower key comes first among equal scores. */
  keyOf(row: number): number {
    return this.keys[row];
  }

  /** Among equal scores and keys, whether row `a` comes before row `b`. */
  idBefore(a: number, b: number): boolean {
    return this.ids[a] < this.ids[b];
  }
}

/** FNV-1a over the id's UTF-16 code units: fixed for an id in every process. */
function hashOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * Keeps the k best (row, score) pairs seen so far in a binary min-heap, so picking the top k
 * of n scores costs O(n log k) instead of sorting all n. Equal scores are cut in `ties`'s order
 * when it is given (rows of a collection), else by row (centroids, item indices).
 */
export class TopKSelector {
  private rows: Int32Array;
  private scores: Float64Array;
  /** Each held entry's tie key (`ties`'s, else its row), beside it so sifting reads no other memory. */
  private keys: Int32Array;
  private size = 0;
  private k = 0;

  constructor(
    capacity = 64,
    private readonly ties: TieOrder | null = null,
  ) {
    this.rows = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
    this.keys = new Int32Array(capacity);
  }

  reset(k: number): void {
    if (k > this.rows.length) {
      this.rows = new Int32Array(k);
      this.scores = new Float64Array(k);
      this.keys = new Int32Array(k);
    }
    this.k = k;
    this.size = 0;
  }

  /** How many entries it keeps (the k of the last reset). */
  get capacity(): number {
    return this.k;
  }

  /** Entries held now (at most the capacity). */
  get held(): number {
    return this.size;
  }

  /** The row of held entry `i` (i < held), in no particular order. */
  rowAt(i: number): number {
    return this.rows[i];
  }

  /** The score of held entry `i` (i < held). */
  scoreAt(i: number): number {
    return this.scores[i];
  }

  /** The score a new entry must beat once the heap is full; -Infinity before that. */
  get floor(): number {
    return this.size < this.k ? -Infinity : this.scores[0];
  }

  offer(row: number, score: number): void {
    if (this.k === 0) return;
    const key = this.ties === null ? row : this.ties.keyOf(row);
    let slot = 0;
    if (this.size < this.k) slot = this.size++;
    else if (!this.beats(row, score, key, 0)) return;
    this.rows[slot] = row;
    this.scores[slot] = score;
    this.keys[slot] = key;
    if (slot === 0) this.siftDown(0);
    else this.siftUp(slot);
  }

  /** Best first. Empties the selector. */
  drain(): Array<{ row: number; score: number }> {
    const out = new Array<{ row: number; score: number }>(this.size);
    for (let i = this.size - 1; i >= 0; i--) {
      out[i] = { row: this.rows[0], score: this.scores[0] };
      this.size--;
      this.rows[0] = this.rows[this.size];
      this.scores[0] = this.scores[this.size];
      this.keys[0] = this.keys[this.size];
      this.siftDown(0);
    }
    return out;
  }

  /** Whether (row, score, key) ranks above held entry `slot`. */
  private beats(row: number, score: number, key: number, slot: number): boolean {
    const held = this.scores[slot];
    if (score !== held) return score > held;
    const heldKey = this.keys[slot];
    if (key !== heldKey) return key < heldKey;
    return this.ties !== null && this.ties.idBefore(row, this.rows[slot]);
  }

  private siftUp(i: number): void {
    const { rows, scores, keys } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.beats(rows[parent], scores[parent], keys[parent], i)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const { rows, scores, keys } = this;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < this.size && this.beats(rows[worst], scores[worst], keys[worst], left)) worst = left;
      if (right < this.size && this.beats(rows[worst], scores[worst], keys[worst], right)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  private swap(a: number, b: number): void {
    const row = this.rows[a];
    this.rows[a] = this.rows[b];
    this.rows[b] = row;
    const score = this.scores[a];
    this.scores[a] = this.scores[b];
    this.scores[b] = score;
    const key = this.keys[a];
    this.keys[a] = this.keys[b];
    this.keys[b] = key;
  }
}
