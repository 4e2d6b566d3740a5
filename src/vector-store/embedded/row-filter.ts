import type { RecipePredicate } from '../recipe-filter';
import type { RecipePayload } from '../vector-store.port';

const FAIL = 0;
const PASS = 1;
const UNKNOWN = 2;
/** Rows looked at to estimate how many match. */
const ESTIMATE_SAMPLE = 1024;

/**
 * A query's filter over the collection's rows, evaluated at most once per row and only for the
 * rows a search looks at: the partitioned index tests the members of the lists it probes, an
 * exact scan asks for the whole mask. Either way a row is checked before it is scored.
 */
export class RowFilter {
  private complete = false;

  /** `states` is scratch space of at least `size` bytes, owned by the collection. */
  constructor(
    private readonly predicate: RecipePredicate,
    private readonly ids: readonly string[],
    private readonly payloads: readonly RecipePayload[],
    private readonly states: Uint8Array,
    readonly size: number,
  ) {
    states.fill(UNKNOWN, 0, size);
  }

  test(row: number): boolean {
    let state = this.states[row];
    if (state === UNKNOWN) {
      state = this.predicate(this.ids[row], this.payloads[row]) ? PASS : FAIL;
      this.states[row] = state;
    }
    return state === PASS;
  }

  /** Every row evaluated: 1 where the filter passes, 0 elsewhere, as the exact scans read it. */
  mask(): Uint8Array {
    if (!this.complete) {
      for (let row = 0; row < this.size; row++) this.test(row);
      this.complete = true;
    }
    return this.states;
  }

  /** Matching rows, counted exactly when the mask is complete, else estimated from evenly spaced rows. */
  estimateMatches(): number {
    const step = Math.max(1, Math.floor(this.size / ESTIMATE_SAMPLE));
    let seen = 0;
    let passed = 0;
    for (let row = 0; row < this.size; row += step) {
      seen++;
      if (this.test(row)) passed++;
    }
    return seen === 0 ? 0 : (passed / seen) * this.size;
  }
}
