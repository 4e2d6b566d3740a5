import { normalizeIngredientName } from '../embedding/learned-concepts/ingredient-normalizer';
import { isLearnedConcept, learnedConceptId } from '../embedding/learned-concepts/learned-concepts';
import { Ingredient } from '../recipes/recipe.types';
import { compareIds } from './id-order';

export interface PantryMatch {
  /** Distinct things the cook would still need (staples and optional lines never count). */
  missingCount: number;
  /** The recipe's own names of those ingredients. */
  missingIngredients: string[];
  /** Pantry concepts the recipe uses. */
  used: string[];
  /** The recipe's own names of the lines the pantry covers. */
  coveredIngredients: string[];
}

/**
 * What a line the lexicon could not resolve is known by: the learned concept its name's normal
 * form would be ("2 cups hominy, drained" → learned:hominy), so a learned pantry item covers it
 * and two spellings of one food are one thing to buy; the raw name when nothing normalises.
 */
export function unresolvedLineKey(name: string): string {
  const normal = normalizeIngredientName(name);
  return normal ? learnedConceptId(normal) : `name:${name}`;
}

/**
 * What a recipe needs beyond a pantry. Coverage follows the concept hierarchy both ways: having
 * 鸡腿 (chicken) covers a recipe's 鸡肉, and having "chicken" covers a recipe's 鸡胸肉; a line the
 * lexicon could not resolve is missing unless it is optional or a learned concept in the pantry
 * names it ("learned:hominy" covers "2 cups hominy, drained"), since nothing else proves the cook has it.
 */
export class PantryMatcher {
  /**
   * Per pantry (one request matches one pantry array against thousands of recipes): which
   * pantry items cover each concept met so far, and whether it is a staple. The same few hundred
   * concepts recur across recipes; walking the hierarchy for every line of every candidate was
   * most of a pantry request at 100,000 recipes.
   */
  private readonly memo = new WeakMap<readonly string[], Map<string, { by: readonly string[]; staple: boolean }>>();

  constructor(private readonly lexicon: PantryRules) {}

  private conceptFacts(pantry: readonly string[], concept: string): { by: readonly string[]; staple: boolean } {
    let facts = this.memo.get(pantry);
    if (!facts) {
      facts = new Map();
      this.memo.set(pantry, facts);
    }
    let known = facts.get(concept);
    if (!known) {
      known = {
        by: pantry.filter((p) => this.lexicon.isA(p, concept) || this.lexicon.isA(concept, p)),
        staple: this.lexicon.isStaple(concept),
      };
      facts.set(concept, known);
    }
    return known;
  }

  match(pantry: readonly string[], ingredients: readonly Ingredient[]): PantryMatch {
    const missing = new Map<string, string[]>();
    const used = new Set<string>();
    const covered: string[] = [];
    for (const line of ingredients) {
      const concept = line.concept;
      const facts = concept ? this.conceptFacts(pantry, concept) : null;
      const unresolved = concept ? undefined : unresolvedLineKey(line.name);
      const by = facts?.by ?? (unresolved !== undefined && pantry.includes(unresolved) ? [unresolved] : []);
      if (by.length > 0) {
        by.forEach((p) => used.add(p));
        if (!covered.includes(line.name)) covered.push(line.name);
        continue;
      }
      if (line.optional || facts?.staple) continue;
      const key = concept ?? (unresolved as string);
      const names = missing.get(key) ?? [];
      if (!names.includes(line.name)) names.push(line.name);
      missing.set(key, names);
    }
    // A concept listed twice (熟花生 and 生花生) is one thing to buy; a line covered elsewhere is not missing.
    return {
      missingCount: missing.size,
      missingIngredients: [...missing.values()].flat().filter((name) => !covered.includes(name)),
      used: [...used],
      coveredIngredients: covered,
    };
  }
}

/**
 * Small integer keys for what pantry counting compares: a lexicon concept gets a positive key,
 * an unresolved line's name a negative one (it is missing unless optional, and two lines of the
 * same name are one thing to buy). The pantry index keeps one table per rebuild.
 */
export class PantryKeys {
  private readonly conceptKeys = new Map<string, number>();
  private readonly concepts: string[] = [''];
  /** Unresolved lines: by raw name (normalising once per distinct name), and by {@link unresolvedLineKey}. */
  private readonly rawKeys = new Map<string, number>();
  private readonly unresolvedKeys = new Map<string, number>();
  private readonly unresolved: string[] = [];

  /** A recipe's needed lines as `key * 2 + optional`, the form {@link PantryCounter} reads. */
  encode(lines: readonly Ingredient[]): Int32Array {
    const out = new Int32Array(lines.length);
    lines.forEach((line, i) => (out[i] = this.keyOf(line) * 2 + (line.optional ? 1 : 0)));
    return out;
  }

  concept(key: number): string {
    return this.concepts[key];
  }

  /** A negative key's {@link unresolvedLineKey}. */
  unresolvedText(key: number): string {
    return this.unresolved[-key - 1];
  }

  /** A concept's key, if a line of it was encoded. */
  conceptKey(concept: string): number | undefined {
    return this.conceptKeys.get(concept);
  }

  /** The key of unresolved lines known by `text` (an {@link unresolvedLineKey}), if one was encoded. */
  unresolvedKey(text: string): number | undefined {
    return this.unresolvedKeys.get(text);
  }

  /** Concept keys run from 1 to this. */
  get conceptCount(): number {
    return this.concepts.length - 1;
  }

  private keyOf(line: Ingredient): number {
    if (line.concept) {
      let key = this.conceptKeys.get(line.concept);
      if (key === undefined) {
        key = this.concepts.push(line.concept) - 1;
        this.conceptKeys.set(line.concept, key);
      }
      return key;
    }
    let key = this.rawKeys.get(line.name);
    if (key === undefined) {
      const text = unresolvedLineKey(line.name);
      key = this.unresolvedKeys.get(text);
      if (key === undefined) {
        key = -this.unresolved.push(text);
        this.unresolvedKeys.set(text, key);
      }
      this.rawKeys.set(line.name, key);
    }
    return key;
  }
}

/** The two questions of the lexicon pantry matching asks. */
export interface PantryRules {
  isA(id: string, ancestorId: string): boolean;
  isStaple(id: string): boolean;
}

/**
 * What ranking needs from {@link PantryMatcher.match} (how many things are missing, how many
 * pantry items are used, whether an anchor item is), counted over a recipe's encoded lines with
 * no allocation. A pantry request counts tens of thousands of candidates at 100,000 recipes and
 * builds the full match, with its name lists, only for the page: building it for every
 * candidate was 300 ms of a request, a third of it garbage collection (CPU profile of the
 * scale bench's pantry mix on the 100k catalog).
 */
export class PantryCounter {
  /**
   * Per concept key: 0 not looked at yet, STAPLE, UNCOVERED, or `COVERED + i` where
   * `covers[i]` lists the pantry items (by index) covering it. An array, not a map: a lookup
   * per line of every candidate.
   */
  private state: Int32Array;
  private readonly covers: number[][] = [];
  private readonly stamp: Uint32Array;
  private readonly anchor: Uint8Array;
  /** The pantry's learned items (by unresolved key → index); null when it has none, the usual case. */
  private readonly learned: Map<string, number> | null;
  private serial = 0;
  private scratch = new Int32Array(32);
  /** Of the last {@link count}: distinct pantry items used, and whether one of them is an anchor. */
  used = 0;
  anchored = false;

  constructor(
    private readonly lexicon: PantryRules,
    private readonly keys: PantryKeys,
    private readonly pantry: readonly string[],
    anchor: readonly string[],
  ) {
    this.state = new Int32Array(keys.conceptCount + 1);
    this.stamp = new Uint32Array(pantry.length);
    this.anchor = Uint8Array.from(pantry, (p) => (anchor.includes(p) ? 1 : 0));
    const learned = pantry.map((p, i) => [p, i] as const).filter(([p]) => isLearnedConcept(p));
    this.learned = learned.length > 0 ? new Map(learned) : null;
  }

  /**
   * Distinct missing things of a recipe's encoded lines (`lines[from..to)`); sets {@link used}
   * and {@link anchored}.
   */
  count(lines: Int32Array, from = 0, to = lines.length): number {
    const serial = (this.serial += 1);
    let used = 0;
    let anchored = false;
    let missing = 0;
    for (let i = from; i < to; i++) {
      const line = lines[i];
      const key = line >> 1;
      if (key > 0) {
        const state = this.stateOf(key);
        if (state >= COVERED) {
          for (const p of this.covers[state - COVERED]) {
            if (this.stamp[p] === serial) continue;
            this.stamp[p] = serial;
            used += 1;
            if (this.anchor[p] === 1) anchored = true;
          }
          continue;
        }
        if (state === STAPLE) continue;
      } else if (this.learned !== null) {
        const p = this.learned.get(this.keys.unresolvedText(key));
        if (p !== undefined) {
          if (this.stamp[p] !== serial) {
            this.stamp[p] = serial;
            used += 1;
            if (this.anchor[p] === 1) anchored = true;
          }
          continue;
        }
      }
      if ((line & 1) === 1) continue;
      let seen = false;
      for (let j = 0; j < missing && !seen; j++) seen = this.scratch[j] === key;
      if (seen) continue;
      if (missing === this.scratch.length) {
        const grown = new Int32Array(missing * 2);
        grown.set(this.scratch);
        this.scratch = grown;
      }
      this.scratch[missing++] = key;
    }
    this.used = used;
    this.anchored = anchored;
    return missing;
  }

  private stateOf(key: number): number {
    if (key >= this.state.length) {
      // A recipe changed since it was indexed brought a concept the table did not have.
      const grown = new Int32Array(Math.max(key + 1, this.state.length * 2));
      grown.set(this.state);
      this.state = grown;
    }
    let state = this.state[key];
    if (state === 0) {
      const concept = this.keys.concept(key);
      const by: number[] = [];
      this.pantry.forEach((p, i) => {
        if (this.lexicon.isA(p, concept) || this.lexicon.isA(concept, p)) by.push(i);
      });
      // As in match(): a covered staple counts as used; an uncovered one is never missing.
      if (by.length > 0) state = COVERED + this.covers.push(by) - 1;
      else state = this.lexicon.isStaple(concept) ? STAPLE : UNCOVERED;
      this.state[key] = state;
    }
    return state;
  }
}

const STAPLE = 1;
const UNCOVERED = 2;
const COVERED = 3;

export interface PantryCandidate {
  id: string;
  /** Distinct things the cook would still need. */
  missing: number;
  /** Distinct pantry items the recipe uses. */
  used: number;
  /** Similarity of the recipe to a dish made of the pantry; only needed to break ties. */
  similarity?: number;
}

/** Fewest missing first, then most pantry items used, then similarity, then id. */
export function comparePantryCandidates(a: PantryCandidate, b: PantryCandidate): number {
  return a.missing - b.missing || b.used - a.used || (b.similarity ?? 0) - (a.similarity ?? 0) || compareIds(a.id, b.id);
}

/** Same order without similarity: groups of candidates that only similarity can tell apart. */
export function samePantryRank(a: PantryCandidate, b: PantryCandidate): boolean {
  return a.missing === b.missing && a.used === b.used;
}

/**
 * Every candidate's rank, kept as numbers: a pantry of common ingredients has tens of thousands
 * of candidates at 100,000 recipes, and `total` needs them all counted, but only the head of
 * the ranking becomes objects and is sorted (sorting every candidate took ~75 ms; making an
 * object of each was most of the request's garbage).
 */
export class PantryTally {
  private n = 0;
  private ordinals: Int32Array<ArrayBuffer>;
  private ranks: Int32Array<ArrayBuffer>;
  /** Candidates by missing count (the last bucket: that many or more), kept as they are added. */
  private readonly byMissing = new Int32Array(MISSING_BUCKETS + 1);

  /**
   * `expected`: how many candidates will be added, when the caller knows (the ordinals a
   * pantry touched). Grown by doubling from 1,024 instead, the arrays were copied ~9 times for
   * a pantry touching 300,000 of 1,000,000 recipes: 4.5% of the route's CPU in a profile.
   */
  constructor(
    private readonly idOf: (ordinal: number) => string,
    expected = 1024,
  ) {
    this.ordinals = new Int32Array(Math.max(16, expected));
    this.ranks = new Int32Array(Math.max(16, expected));
  }

  get total(): number {
    return this.n;
  }

  add(ordinal: number, missing: number, used: number): void {
    if (this.n === this.ranks.length) {
      this.ordinals = grown(this.ordinals);
      this.ranks = grown(this.ranks);
    }
    this.ordinals[this.n] = ordinal;
    this.ranks[this.n] = rankOf(missing, used);
    this.byMissing[Math.min(MISSING_BUCKETS, missing)]++;
    this.n += 1;
  }

  /**
   * The candidates that can reach the first `end` places, with every candidate tied with the
   * last of them (same missing and used counts: only similarity can order those), sorted.
   */
  head(end: number): PantryCandidate[] {
    const n = this.n;
    const last = n > end ? this.rankAt(end) : Number.POSITIVE_INFINITY;
    const head: PantryCandidate[] = [];
    for (let i = 0; i < n; i++) {
      const rank = this.ranks[i];
      if (rank <= last) head.push({ id: this.idOf(this.ordinals[i]), missing: Math.floor(rank / 1024), used: 1023 - (rank % 1024) });
    }
    return head.sort(comparePantryCandidates);
  }

  /**
   * The rank of place `end` (1-based) among all candidates: which missing count reaches it, from
   * the histogram of missing counts kept by `add`, then which rank within that count, in one
   * pass over typed arrays; a map of rank sizes over ~30,000 candidates took ~0.9 ms a request.
   */
  private rankAt(end: number): number {
    const byMissing = this.byMissing;
    let reached = 0;
    let missing = 0;
    while (reached + byMissing[missing] < end) reached += byMissing[missing++];
    if (missing === MISSING_BUCKETS) {
      // Recipes missing that many things are never near a page; rank them exactly anyway.
      const rest = this.ranks.filter((rank, i) => i < this.n && rank >> 10 >= MISSING_BUCKETS).sort();
      return rest[end - reached - 1];
    }
    const byUsed = new Int32Array(1024);
    for (let i = 0; i < this.n; i++) if (this.ranks[i] >> 10 === missing) byUsed[this.ranks[i] & 1023]++;
    let low = 0;
    while (reached + byUsed[low] < end) reached += byUsed[low++];
    return (missing << 10) | low;
  }
}

/** Missing counts the histogram of {@link PantryTally.rankAt} tells apart; more go into one last bucket. */
const MISSING_BUCKETS = 64;

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(array.length * 2);
  out.set(array);
  return out;
}

/** Fewest missing, then most used, as one number (smaller ranks first). */
function rankOf(missing: number, used: number): number {
  return missing * 1024 + 1023 - Math.min(1023, used);
}

/**
 * Similarity only orders recipes that miss and use the same number of ingredients. `head` is
 * sorted without it and ends with the whole tie group of place `end`: groups before that one
 * need their full order by similarity, the last only its best members up to `end`, which one
 * vector query with that limit answers (the group can hold thousands of recipes). Scores tied
 * at the cut are asked again over the whole group, as the store keeps no order among ties.
 */
export async function orderTiesBySimilarity(
  head: PantryCandidate[],
  end: number,
  similar: (ids: string[], limit: number) => Promise<Array<{ id: string; score: number }>>,
): Promise<PantryCandidate[]> {
  const stop = Math.min(end, head.length);
  if (stop === 0) return head;
  let groupStart = stop - 1;
  while (groupStart > 0 && samePantryRank(head[groupStart - 1], head[stop - 1])) groupStart--;
  const inner = head.slice(0, groupStart);
  const group = head.slice(groupStart);
  if (inner.some((c, i) => i > 0 && samePantryRank(inner[i - 1], c))) {
    const hits = await similar(
      inner.map((c) => c.id),
      inner.length,
    );
    const scores = new Map(hits.map((h) => [h.id, h.score]));
    for (const c of inner) c.similarity = scores.get(c.id) ?? 0;
    inner.sort(comparePantryCandidates);
  }
  if (group.length === 1) return [...inner, ...group];
  const wanted = stop - groupStart;
  const ids = group.map((c) => c.id);
  let hits = await similar(ids, Math.min(group.length, wanted + 1));
  if (hits.length > wanted && hits[wanted - 1].score === hits[wanted].score) hits = await similar(ids, group.length);
  const scores = new Map(hits.map((h) => [h.id, h.score]));
  const scored = group.filter((c) => scores.has(c.id));
  for (const c of scored) c.similarity = scores.get(c.id);
  scored.sort(comparePantryCandidates);
  return [...inner, ...scored, ...group.filter((c) => !scores.has(c.id))];
}
