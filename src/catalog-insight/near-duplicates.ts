import { dot } from './spherical-kmeans';

/** One recipe as duplicate detection reads it. */
export interface DuplicateCandidate {
  id: string;
  name: string;
  source: string;
  /** The same-dish name key (src/search/same-dish.ts). */
  nameKey: string;
  /** Unit dish vector over both spaces. */
  vector: Float64Array;
  /** Listed ingredient concepts, staples left out. */
  ingredients: readonly string[];
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
export const DUPLICATE_THRESHOLD = 0.78;

/**
 * How alike two recipes are as one dish, 0–1: the dish vectors' cosine (what and how), the
 * Jaccard overlap of their main ingredients, and the names' character-bigram overlap. Names count
 * least: across languages they share nothing, and 红烧肉 and 红烧鱼 share most of theirs.
 */
export function duplicateScore(a: DuplicateCandidate, b: DuplicateCandidate): DuplicatePair['evidence'] & { score: number } {
  const vector = Math.max(0, dot(a.vector, b.vector));
  const ingredients = jaccard(a.ingredients, b.ingredients);
  const name = a.nameKey.length > 0 && a.nameKey === b.nameKey ? 1 : bigramDice(a.nameKey, b.nameKey);
  return { vector, ingredients, name, score: 0.45 * vector + 0.3 * ingredients + 0.25 * name };
}

/**
 * Pairs scoring at least `threshold`, best first. Candidates are blocked by family (and by name
 * key, which may cross families): on the bundled catalog that is ~40,000 comparisons instead of
 * the 870,000 of every pair.
 */
export function findDuplicatePairs(candidates: readonly DuplicateCandidate[], threshold = DUPLICATE_THRESHOLD): DuplicatePair[] {
  const blocks = new Map<string, DuplicateCandidate[]>();
  const put = (key: string, c: DuplicateCandidate) => {
    const list = blocks.get(key);
    if (list) list.push(c);
    else blocks.set(key, [c]);
  };
  for (const c of candidates) {
    if (c.family !== null) put(`f:${c.family}`, c);
    if (c.nameKey.length > 0) put(`n:${c.nameKey}`, c);
  }
  const seen = new Set<string>();
  const pairs: DuplicatePair[] = [];
  for (const block of blocks.values()) {
    for (let i = 0; i < block.length; i++) {
      for (let j = i + 1; j < block.length; j++) {
        const [a, b] = block[i].id < block[j].id ? [block[i], block[j]] : [block[j], block[i]];
        const key = `${a.id}|${b.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { score, ...evidence } = duplicateScore(a, b);
        if (score < threshold) continue;
        pairs.push({ a: a.id, b: b.id, score, evidence, crossSource: a.source !== b.source, ...mergeSuggestion(a, b) });
      }
    }
  }
  return pairs.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : 1));
}

/** Which record to keep: the one a reader gets more from (steps, resolved ingredients, a time, a description). */
export function mergeSuggestion(a: DuplicateCandidate, b: DuplicateCandidate): { keep: string; drop: string; reason: string } {
  const worth = (c: Completeness) =>
    Math.min(c.steps, 10) + 5 * c.resolvedShare + Math.min(c.ingredientLines, 15) / 3 + (c.hasTime ? 1 : 0) + (c.hasDescription ? 1 : 0);
  const [keep, drop] = worth(a.completeness) >= worth(b.completeness) ? [a, b] : [b, a];
  const k = keep.completeness;
  const d = drop.completeness;
  const reasons: string[] = [];
  if (k.steps > d.steps) reasons.push(`more steps (${k.steps} vs ${d.steps})`);
  if (k.resolvedShare > d.resolvedShare + 0.05)
    reasons.push(`more ingredients understood (${Math.round(k.resolvedShare * 100)}% vs ${Math.round(d.resolvedShare * 100)}%)`);
  if (k.ingredientLines > d.ingredientLines) reasons.push(`more ingredient lines (${k.ingredientLines} vs ${d.ingredientLines})`);
  if (k.hasTime && !d.hasTime) reasons.push('has a cooking time');
  if (k.hasDescription && !d.hasDescription) reasons.push('has a description');
  return { keep: keep.id, drop: drop.id, reason: reasons.length > 0 ? reasons.join('; ') : 'equally complete: the first by id' };
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
    groups.set(root, [...(groups.get(root) ?? []), id]);
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

function bigramDice(a: string, b: string): number {
  const grams = (s: string) => {
    const chars = [...s];
    const out = new Map<string, number>();
    if (chars.length === 1) out.set(chars[0], 1);
    for (let i = 0; i + 1 < chars.length; i++) {
      const g = chars[i] + chars[i + 1];
      out.set(g, (out.get(g) ?? 0) + 1);
    }
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let total = 0;
  let shared = 0;
  for (const [g, n] of ga) {
    total += n;
    shared += Math.min(n, gb.get(g) ?? 0);
  }
  for (const n of gb.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}
