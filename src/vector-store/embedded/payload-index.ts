import type { RecipeFilter, RecipePayload } from '../vector-store.port';

type KeywordField = 'source' | 'language' | 'category' | 'cuisine' | 'diets' | 'allergens' | 'concepts';

const KEYWORD_FIELDS: readonly KeywordField[] = ['source', 'language', 'category', 'cuisine', 'diets', 'allergens', 'concepts'];

/** A row's values of one keyword field, whether the payload holds one value, none or a list. */
function valuesOf(payload: RecipePayload, field: KeywordField): readonly string[] {
  const value = payload[field];
  if (value === null) return [];
  return typeof value === 'string' ? [value] : value;
}

/**
 * Qdrant-style payload indexes for the embedded store: one bitset of rows per keyword value
 * (source, language, category, cuisine, diets, allergens, ingredient concepts) and the minutes
 * per row, so a query's filter becomes a few word-wide ANDs over the collection instead of a
 * closure run on every payload. At 100,000 recipes the closure cost a search 13 ms and a similar
 * dishes request 25 ms (an `excludeIds` Set lookup per row); the bitsets take a few hundred
 * microseconds for any filter.
 *
 * Memory: one bit per row per distinct value, about 12 KiB per value at 100,000 rows (a few
 * hundred concepts and labels there: ~10 MiB). Rows move like the collection's (swap-remove).
 *
 * Minutes are kept as bitsets too: rows of unknown time, rows of known time, and rows taking
 * at most each of MINUTE_STEPS, so "at most 30 minutes" is one word-wide AND and a limit
 * between two steps checks only the rows between them. Testing every passing row's minutes
 * cost a session recommendation with a time limit ~2.5 ms at 100,000 recipes.
 */
export class PayloadIndex {
  private readonly bitsets: Record<KeywordField, Map<string, Uint32Array>>;
  private minutes: Float64Array;
  /** Rows of unknown time, rows of known time, and per MINUTE_STEPS[i] the rows taking at most that. */
  private unknownMinutes: Uint32Array;
  private knownMinutes: Uint32Array;
  private withinSteps: Uint32Array[];
  private words: number;
  private scratch: Uint32Array;
  private work: Uint32Array;

  constructor(capacity: number) {
    this.words = wordsFor(capacity);
    this.bitsets = Object.fromEntries(KEYWORD_FIELDS.map((f) => [f, new Map<string, Uint32Array>()])) as PayloadIndex['bitsets'];
    this.minutes = new Float64Array(capacity).fill(Number.NaN);
    this.unknownMinutes = new Uint32Array(this.words);
    this.knownMinutes = new Uint32Array(this.words);
    this.withinSteps = MINUTE_STEPS.map(() => new Uint32Array(this.words));
    this.scratch = new Uint32Array(this.words);
    this.work = new Uint32Array(this.words);
  }

  grow(capacity: number): void {
    const words = wordsFor(capacity);
    for (const field of KEYWORD_FIELDS) {
      for (const [value, bits] of this.bitsets[field]) {
        const grown = new Uint32Array(words);
        grown.set(bits);
        this.bitsets[field].set(value, grown);
      }
    }
    const minutes = new Float64Array(capacity).fill(Number.NaN);
    minutes.set(this.minutes);
    this.minutes = minutes;
    const grown = (bits: Uint32Array) => {
      const out = new Uint32Array(words);
      out.set(bits);
      return out;
    };
    this.unknownMinutes = grown(this.unknownMinutes);
    this.knownMinutes = grown(this.knownMinutes);
    this.withinSteps = this.withinSteps.map(grown);
    this.words = words;
    this.scratch = new Uint32Array(words);
    this.work = new Uint32Array(words);
  }

  /** Indexes `payload` at `row`; `previous` is what the row held (null for a new row). */
  set(row: number, payload: RecipePayload | null, previous: RecipePayload | null): void {
    if (previous) this.toggle(row, previous, false);
    if (payload) this.toggle(row, payload, true);
    if (previous) this.toggleMinutes(row, previous.totalMinutes, false);
    if (payload) this.toggleMinutes(row, payload.totalMinutes, true);
    this.minutes[row] = payload?.totalMinutes ?? Number.NaN;
  }

  private toggleMinutes(row: number, minutes: number | null, on: boolean): void {
    const word = row >>> 5;
    const bit = 1 << (row & 31);
    const flip = (bits: Uint32Array) => {
      if (on) bits[word] |= bit;
      else bits[word] &= ~bit;
    };
    if (minutes === null || Number.isNaN(minutes)) {
      flip(this.unknownMinutes);
      return;
    }
    flip(this.knownMinutes);
    for (let i = MINUTE_STEPS.length - 1; i >= 0 && MINUTE_STEPS[i] >= minutes; i--) flip(this.withinSteps[i]);
  }

  /**
   * The rows in [0, size) the filter lets through, as a bitset valid until the next call, or
   * null when the filter constrains nothing. `rowOf` resolves `ids` and `excludeIds`.
   */
  evaluate(filter: RecipeFilter | undefined, size: number, rowOf: (id: string) => number | undefined): Uint32Array | null {
    if (!filter || !constrains(filter)) return null;
    const out = this.scratch;
    const words = wordsFor(size);
    if (filter.ids !== undefined) {
      out.fill(0);
      for (const id of filter.ids) {
        const row = rowOf(id);
        if (row !== undefined && row < size) out[row >>> 5] |= 1 << (row & 31);
      }
    } else {
      out.fill(0xffffffff, 0, words);
      out.fill(0, words);
      const tail = size & 31;
      if (tail !== 0) out[words - 1] = (1 << tail) - 1;
    }
    this.andAnyOf(out, words, 'source', filter.sources);
    this.andAnyOf(out, words, 'language', filter.languages);
    this.andAnyOf(out, words, 'category', filter.categories);
    this.andAnyOf(out, words, 'cuisine', filter.cuisines);
    for (const diet of new Set(filter.diets ?? [])) {
      const bits = this.bitsets.diets.get(diet);
      if (!bits) out.fill(0);
      else for (let w = 0; w < words; w++) out[w] &= bits[w];
    }
    this.andNoneOf(out, words, 'allergens', filter.excludeAllergens);
    this.andNoneOf(out, words, 'concepts', filter.excludeConcepts);
    for (const id of filter.excludeIds ?? []) {
      const row = rowOf(id);
      if (row !== undefined) out[row >>> 5] &= ~(1 << (row & 31));
    }
    const max = filter.maxMinutes;
    if (max !== undefined) this.andWithin(out, words, max, filter.requireMinutes === true);
    else if (filter.requireMinutes === true) for (let w = 0; w < words; w++) out[w] &= ~this.unknownMinutes[w];
    return out;
  }

  /** Keeps the rows taking at most `max` minutes, and those of unknown time unless `requireMinutes`. */
  private andWithin(out: Uint32Array, words: number, max: number, requireMinutes: boolean): void {
    let step = -1;
    while (step + 1 < MINUTE_STEPS.length && MINUTE_STEPS[step + 1] <= max) step++;
    const allowed = this.work;
    if (step >= 0) allowed.set(this.withinSteps[step].subarray(0, words));
    else allowed.fill(0, 0, words);
    if (step < 0 || MINUTE_STEPS[step] < max) {
      // Rows between the step below and the limit: within the next step (or of any known time), not the one below.
      const upper = step + 1 < MINUTE_STEPS.length ? this.withinSteps[step + 1] : this.knownMinutes;
      const lower = step >= 0 ? this.withinSteps[step] : null;
      for (let w = 0; w < words; w++) {
        let word = upper[w] & (lower === null ? 0xffffffff : ~lower[w]) & out[w];
        while (word !== 0) {
          const bit = word & -word;
          if (this.minutes[(w << 5) + (31 - Math.clz32(bit))] <= max) allowed[w] |= bit;
          word ^= bit;
        }
      }
    }
    if (!requireMinutes) for (let w = 0; w < words; w++) allowed[w] |= this.unknownMinutes[w];
    for (let w = 0; w < words; w++) out[w] &= allowed[w];
  }

  private andAnyOf(out: Uint32Array, words: number, field: KeywordField, values: readonly string[] | undefined): void {
    if (!values || values.length === 0) return;
    const union = this.work;
    union.fill(0, 0, words);
    for (const value of new Set(values)) {
      const bits = this.bitsets[field].get(value);
      if (bits) for (let w = 0; w < words; w++) union[w] |= bits[w];
    }
    for (let w = 0; w < words; w++) out[w] &= union[w];
  }

  private andNoneOf(out: Uint32Array, words: number, field: KeywordField, values: readonly string[] | undefined): void {
    if (!values) return;
    for (const value of new Set(values)) {
      const bits = this.bitsets[field].get(value);
      if (bits) for (let w = 0; w < words; w++) out[w] &= ~bits[w];
    }
  }

  private toggle(row: number, payload: RecipePayload, on: boolean): void {
    const word = row >>> 5;
    const bit = 1 << (row & 31);
    for (const field of KEYWORD_FIELDS) {
      const index = this.bitsets[field];
      for (const value of valuesOf(payload, field)) {
        let bits = index.get(value);
        if (!bits) {
          if (!on) continue;
          bits = new Uint32Array(this.words);
          index.set(value, bits);
        }
        if (on) bits[word] |= bit;
        else bits[word] &= ~bit;
      }
    }
  }
}

/** Time limits kept as bitsets (minutes); a limit between two is answered from the next one up. */
const MINUTE_STEPS = [5, 10, 15, 20, 25, 30, 40, 45, 50, 60, 75, 90, 120, 150, 180, 240, 360, 480, 720, 1440];

function wordsFor(rows: number): number {
  return Math.max(1, Math.ceil(rows / 32));
}

function constrains(filter: RecipeFilter): boolean {
  const some = (list: readonly string[] | undefined) => list !== undefined && list.length > 0;
  return (
    filter.ids !== undefined ||
    some(filter.excludeIds) ||
    some(filter.sources) ||
    some(filter.languages) ||
    some(filter.categories) ||
    some(filter.cuisines) ||
    some(filter.diets) ||
    some(filter.excludeAllergens) ||
    some(filter.excludeConcepts) ||
    filter.maxMinutes !== undefined ||
    filter.requireMinutes === true
  );
}
