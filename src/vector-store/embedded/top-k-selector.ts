/**
 * Keeps the k best (row, score) pairs seen so far in a binary min-heap, so picking the top k
 * of n scores costs O(n log k) instead of sorting all n.
 *
 * Equal scores prefer the lower id when `ids` names each row, else the lower row. A row number
 * is where a point happens to sit in one process: deletes move the last row into the hole, and
 * a process that built a collection holds its rows in build order while the others load them in
 * id order. Cut by row, two replicas kept different points of a run of equal scores (dishes with
 * the same ingredients) at a list's end; cut by id, every process keeps the same ones. The ids
 * are compared only on equal scores.
 */
export class TopKSelector {
  private rows: Int32Array;
  private scores: Float64Array;
  private size = 0;
  private k = 0;

  constructor(
    capacity = 64,
    private ids: readonly string[] | null = null,
  ) {
    this.rows = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  /** Cuts ties as `other` does (the same rows' ids, or row numbers). */
  tiesAs(other: TopKSelector): void {
    this.ids = other.ids;
  }

  reset(k: number): void {
    if (k > this.rows.length) {
      this.rows = new Int32Array(k);
      this.scores = new Float64Array(k);
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
    if (this.size < this.k) {
      this.rows[this.size] = row;
      this.scores[this.size] = score;
      this.siftUp(this.size++);
      return;
    }
    if (!this.better(row, score, this.rows[0], this.scores[0])) return;
    this.rows[0] = row;
    this.scores[0] = score;
    this.siftDown(0);
  }

  /** Best first. Empties the selector. */
  drain(): Array<{ row: number; score: number }> {
    const out = new Array<{ row: number; score: number }>(this.size);
    for (let i = this.size - 1; i >= 0; i--) {
      out[i] = { row: this.rows[0], score: this.scores[0] };
      this.size--;
      this.rows[0] = this.rows[this.size];
      this.scores[0] = this.scores[this.size];
      this.siftDown(0);
    }
    return out;
  }

  private better(rowA: number, scoreA: number, rowB: number, scoreB: number): boolean {
    if (scoreA !== scoreB) return scoreA > scoreB;
    const { ids } = this;
    return ids === null ? rowA < rowB : ids[rowA] < ids[rowB];
  }

  private siftUp(i: number): void {
    const { rows, scores } = this;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.better(rows[parent], scores[parent], rows[i], scores[i])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const { rows, scores } = this;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < this.size && this.better(rows[worst], scores[worst], rows[left], scores[left])) worst = left;
      if (right < this.size && this.better(rows[worst], scores[worst], rows[right], scores[right])) worst = right;
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
  }
}
