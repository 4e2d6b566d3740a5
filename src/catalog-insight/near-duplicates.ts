import { dot } from './spherical-kmeans';
import { pushTo } from './push-to';

/** One recipe as duplicate detection reads it. */
export interface DuplicateCandidate {
  id: string;
  name: string;
  source: string;
  language: string;
  /** The same-dish name key (src/search/same-dish.ts). */
  nameKey: string;
  /** Unit dish vector over both spaces. */
  vector: Float64Array;
  /** Listed ingredient concepts, staples left out. */
  ingredients: readonly string[];
  /** Ingredient concepts the name itself names (宫保鸡丁 → chicken). */
  nameConcepts: readonly string[];
  /** Family id: pairs are only looked for within a family or under one name key. */
  family: number | null;
  completeness: Completeness;
}

/** What a record offers a reader; the fuller one is kept on a merge. */
export interface Completeness {
  ingredientLines: number;
  resolvedShare: number;
  steps: number;
  hasTime: boolean;
  hasDescription: boolean;
}

export interface DuplicatePair {
  a: string;
  b: string;
  score: number;
  /** The parts of the score, for a reviewer. */
  evidence: { vector: number; ingredients: number; name: number };
  crossSource: boolean;
  keep: string;
  drop: string;
  reason: string;
}

/**
 * Proposed when the score reaches this. Chosen on the labelled sample in
 * eval/fixtures/duplicate-labels.ts: see eval/README.md for the precision and twin recall at it.
 */
export const DUPLICATE_THRESHOLD = 0.75;

/** Same-name pairs need at least this dish-vector cosine: a shared name with nothing else shared is a homonym. */
export const SAME_NAME_MIN_VECTOR = 0.3;

/** Weight of a name's character bigram: rare ones (番茄, 茄炒) say more than 空气炸锅's. */
export type NameGramWeight = (gram: string) => number;

/**
 * How alike two recipes are as one dish, 0–1, from three kinds of evidence:
 * - name: 1 for the same normalised name (the service's one "same dish" rule), else the cosine of
 *   the names' IDF-weighted character bigrams; across languages, where names share no letters,
 *   0.6 × the overlap of the ingredients the names name (番茄炒蛋 / "tomato egg stir-fry");
 * - vector: the dish vectors' cosine (ingredients and properties);
 * - ingredients: how much of the shorter main-ingredient list the other has. Containment rather
 *   than Jaccard: YunYouJun lists two or three main ingredients where HowToCook lists twelve.
 * Names weigh most: dishes of one kind (air-fried chicken wings and air-fried drumsticks) have
 * near-identical vectors and ingredients, and only the name tells them apart.
 */
export function duplicateScore(
  a: DuplicateCandidate,
  b: DuplicateCandidate,
  weight: NameGramWeight,
): DuplicatePair['evidence'] & { score: number } {
  const vector = Math.max(0, dot(a.vector, b.vector));
  const ingredients = containment(a.ingredients, b.ingredients);
  const sameName = a.nameKey.length > 0 && a.nameKey === b.nameKey;
  const name = sameName
    ? 1
    : a.language === b.language
      ? nameSimilarity(a.nameKey, b.nameKey, weight)
      : 0.6 * jaccard(a.nameConcepts, b.nameConcepts);
  let score = 0.45 * name + 0.35 * vector + 0.2 * ingredients;
  // The same name is the same dish unless nothing else agrees; short lists would sink it otherwise.
  if (sameName && vector >= SAME_NAME_MIN_VECTOR) score = Math.max(score, DUPLICATE_THRESHOLD + 0.25 * vector * (1 - DUPLICATE_THRESHOLD));
  return { vector, ingredients, name, score };
}

/**
 * Pairs scoring at least `threshold`, best first. Only recipes that could reach it are compared:
 * the same name, or within one family a shared name bigram (same language) or a shared named
 * ingredient (across languages). Below that no pair passes (name evidence under 0.44 leaves the
 * score under 0.75 whatever the rest says), so blocking loses nothing (the bundled catalog gives
 * the same 93 pairs as comparing within whole families). Whole families are 50,000 comparisons
 * on the bundled catalog and 40 × 2,500² / 2 ≈ 10⁸ at 100,000 recipes.
 */
/**
 * Blocks are compared pairwise, so their size bounds the work. At 100,000 synthetic recipes (40
 * families) the shared-bigram blocks held thousands of recipes each, and one pass compared
 * hundreds of millions of pairs in the background for minutes, with every request slower
 * meanwhile; on the bundled catalog no block passes these sizes.
 */
const MAX_SHARED_BLOCK = 200;
/**
 * Recipes of one name key are compared with the next this many (in candidate order) only: the
 * pairs chain them into one group (duplicateGroups) without comparing a large group all by all.
 */
const SAME_NAME_WINDOW = 32;

/**
 * Comparisons between calls to `pause` (a clock check in the service). One every 5,000 let
 * 200–460 ms pass unbroken on a 9,351-recipe catalog (a comparison is a dish-vector dot product
 * and two name-bigram maps, up to ~90 µs): 50 stay within a few ms.
 */
export const COMPARISONS_PER_PAUSE = 50;

export async function findDuplicatePairs(
  candidates: readonly DuplicateCandidate[],
  weight: NameGramWeight,
  options: { threshold?: number; pause?: () => Promise<void> } = {},
): Promise<DuplicatePair[]> {
  const threshold = options.threshold ?? DUPLICATE_THRESHOLD;
  const blocks = new Map<string, DuplicateCandidate[]>();
  const put = (key: string, c: DuplicateCandidate) => {
    const list = blocks.get(key);
    if (list) list.push(c);
    else blocks.set(key, [c]);
  };
  for (let i = 0; i < candidates.length; i++) {
    if (i % COMPARISONS_PER_PAUSE === COMPARISONS_PER_PAUSE - 1) await options.pause?.();
    const c = candidates[i];
    if (c.nameKey.length > 0) put(`n:${c.nameKey}`, c);
    if (c.family === null) continue;
    for (const gram of new Set(nameGrams(c.nameKey))) put(`f${c.family}:${c.language}:${gram}`, c);
    for (const concept of new Set(c.nameConcepts)) put(`f${c.family}:c:${concept}`, c);
  }
  const seen = new Set<string>();
  const pairs: DuplicatePair[] = [];
  let compared = 0;
  for (const [key, block] of blocks) {
    const sameName = key.startsWith('n:');
    // A name part or named ingredient shared by this many dishes of one family tells none of them
    // apart (空气炸锅 among air-fried dishes): such blocks are not compared pairwise.
    if (!sameName && block.length > MAX_SHARED_BLOCK) continue;
    for (let i = 0; i < block.length; i++) {
      const end = sameName ? Math.min(block.length, i + 1 + SAME_NAME_WINDOW) : block.length;
      for (let j = i + 1; j < end; j++) {
        const [a, b] = block[i].id < block[j].id ? [block[i], block[j]] : [block[j], block[i]];
        const key = `${a.id}|${b.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (++compared % COMPARISONS_PER_PAUSE === 0) await options.pause?.();
        const { score, ...evidence } = duplicateScore(a, b, weight);
        if (score < threshold) continue;
        pairs.push({ a: a.id, b: b.id, score, evidence, crossSource: a.source !== b.source, ...mergeSuggestion(a, b) });
      }
    }
  }
  return pairs.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1));
}

/** What a record offers a reader: steps, resolved ingredients, a time, a description. */
function worth(c: Completeness): number {
  return (
    Math.min(c.steps, 10) + 5 * c.resolvedShare + Math.min(c.ingredientLines, 15) / 3 + (c.hasTime ? 1 : 0) + (c.hasDescription ? 1 : 0)
  );
}

/** Which record to keep: the one a reader gets more from (steps, resolved ingredients, a time, a description). */
export function mergeSuggestion(a: DuplicateCandidate, b: DuplicateCandidate): { keep: string; drop: string; reason: string } {
  const [keep, drop] = worth(a.completeness) >= worth(b.completeness) ? [a, b] : [b, a];
  return { keep: keep.id, drop: drop.id, reason: mergeReason(keep.completeness, drop.completeness) };
}

function mergeReason(k: Completeness, d: Completeness): string {
  const reasons: string[] = [];
  if (k.steps > d.steps) reasons.push(`more steps (${k.steps} vs ${d.steps})`);
  if (k.resolvedShare > d.resolvedShare + 0.05)
    reasons.push(`more ingredients understood (${Math.round(k.resolvedShare * 100)}% vs ${Math.round(d.resolvedShare * 100)}%)`);
  if (k.ingredientLines > d.ingredientLines) reasons.push(`more ingredient lines (${k.ingredientLines} vs ${d.ingredientLines})`);
  if (k.hasTime && !d.hasTime) reasons.push('has a cooking time');
  if (k.hasDescription && !d.hasDescription) reasons.push('has a description');
  return reasons.length > 0 ? reasons.join('; ') : 'equally complete: the first by id';
}

/**
 * The pairs with one suggestion per group: a group (pairs joined through shared records) merges
 * into its most complete record (the first by id on a tie), so every pair of the group names that
 * record as `keep`, and `drop` is the pair's other record, or its less complete one when the pair
 * joins two records that both fold into the survivor. Deciding pair by pair had a record kept in
 * one pair and dropped in the next (a > b > c: b is kept over c, dropped for a).
 */
export function withGroupSurvivors(pairs: readonly DuplicatePair[], completenessOf: (id: string) => Completeness): DuplicatePair[] {
  const rank = (x: string, y: string) => worth(completenessOf(y)) - worth(completenessOf(x)) || (x < y ? -1 : x > y ? 1 : 0);
  const survivor = new Map<string, string>();
  for (const group of duplicateGroups(pairs)) {
    const best = group.reduce((k, id) => (rank(id, k) < 0 ? id : k));
    for (const id of group) survivor.set(id, best);
  }
  return pairs.map((p) => {
    const keep = survivor.get(p.a)!;
    const drop = p.a === keep ? p.b : p.b === keep ? p.a : rank(p.a, p.b) < 0 ? p.b : p.a;
    return { ...p, keep, drop, reason: mergeReason(completenessOf(keep), completenessOf(drop)) };
  });
}

/** Pairs joined into groups (connected components), each group's ids sorted. */
export function duplicateGroups(pairs: readonly DuplicatePair[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const p of pairs) {
    if (!parent.has(p.a)) parent.set(p.a, p.a);
    if (!parent.has(p.b)) parent.set(p.b, p.b);
    const ra = find(p.a);
    const rb = find(p.b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    pushTo(groups, root, id);
  }
  return [...groups.values()].map((g) => g.sort()).sort((x, y) => (x[0] < y[0] ? -1 : 1));
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 && sb.size === 0) return 0;
  let shared = 0;
  for (const x of sa) if (sb.has(x)) shared++;
  return shared / (sa.size + sb.size - shared);
}

function containment(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 || sb.size === 0) return 0;
  let shared = 0;
  for (const x of sa) if (sb.has(x)) shared++;
  return shared / Math.min(sa.size, sb.size);
}

/** Character bigrams of a name key (the character itself for a one-character name). */
export function nameGrams(key: string): string[] {
  const chars = [...key];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** IDF of name bigrams over a catalog's name keys: what nameSimilarity weighs bigrams by. */
export function nameGramWeights(keys: Iterable<string>): NameGramWeight {
  const df = new Map<string, number>();
  let n = 0;
  for (const key of keys) {
    n++;
    for (const g of new Set(nameGrams(key))) df.set(g, (df.get(g) ?? 0) + 1);
  }
  return (gram) => Math.log((n + 1) / ((df.get(gram) ?? 0) + 1)) + 1;
}

/** Cosine of the names' bigram vectors, each bigram weighted by its IDF. */
export function nameSimilarity(a: string, b: string, weight: NameGramWeight): number {
  const vec = (key: string) => {
    const out = new Map<string, number>();
    for (const g of nameGrams(key)) out.set(g, (out.get(g) ?? 0) + weight(g));
    return out;
  };
  const va = vec(a);
  const vb = vec(b);
  let shared = 0;
  let na = 0;
  let nb = 0;
  for (const [g, x] of va) {
    na += x * x;
    shared += x * (vb.get(g) ?? 0);
  }
  for (const x of vb.values()) nb += x * x;
  return na === 0 || nb === 0 ? 0 : shared / Math.sqrt(na * nb);
}
