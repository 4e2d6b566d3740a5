import { Anomaly, AnomalyInput, DietFacts, detectAnomalies, outlierThreshold } from './anomalies';
import { assignFamily, buildDishFamilies, DishFamilies, DishFamily, DishPoint, spreadOf } from './dish-families';
import { ConceptNames } from './family-labels';
import {
  COMPARISONS_PER_PAUSE,
  DuplicateCandidate,
  DuplicatePair,
  duplicateScore,
  DUPLICATE_THRESHOLD,
  findDuplicatePairs,
  mergeSuggestion,
  NameGramWeight,
  nameGramWeights,
  withGroupSurvivors,
} from './near-duplicates';
import { pushTo } from './push-to';

/** Everything the insight needs to know about one recipe, computed once per recipe version. */
export interface RecipeFacts {
  id: string;
  name: string;
  source: string;
  vector: Float64Array;
  /** Concepts that may define a family (staples left out). */
  concepts: readonly string[];
  duplicate: Omit<DuplicateCandidate, 'family' | 'vector' | 'id' | 'name' | 'source' | 'language'>;
  language: string;
  anomaly: Omit<AnomalyInput, 'familySimilarity' | 'duplicate'>;
}

export interface RecipeInsight {
  family: number | null;
  similarity: number | null;
  anomalies: Anomaly[];
}

/** The catalog as families, duplicates and anomalies, for one model and one catalog state. */
export interface CatalogInsight {
  families: DishFamily[];
  familyById: Map<number, DishFamily>;
  recipes: Map<string, RecipeInsight>;
  facts: Map<string, RecipeFacts>;
  duplicates: DuplicatePair[];
  /** Recipes with at least one finding, most serious first. */
  flagged: Array<{ id: string; top: number }>;
  farFromFamilies: number;
  /** Mean cosine distance of every dish to the catalog's mean direction. */
  catalogSpread: number;
  k: number;
  /** Name-bigram IDF of the catalog the families were computed on. */
  nameWeight: NameGramWeight;
}

export interface InsightOptions {
  nameOf: (id: string) => ConceptNames;
  facts: DietFacts;
  k?: number;
  pause?: () => Promise<void>;
}

/** Families by k-means, then duplicates and anomalies over them. */
export async function computeInsight(all: readonly RecipeFacts[], options: InsightOptions): Promise<CatalogInsight> {
  const points: DishPoint[] = all.map((f) => ({ id: f.id, vector: f.vector, concepts: f.concepts }));
  const families = await buildDishFamilies(points, { k: options.k, nameOf: options.nameOf, pause: options.pause });
  return assemble(all, families, options);
}

/**
 * The previous insight with `changed` recipes re-placed and `deleted` ones gone, families kept:
 * each changed dish joins its nearest family, is compared with that family's members for
 * duplicates and checked on its own. O(changed × family size) plus copying the maps.
 */
export async function updateInsight(
  previous: CatalogInsight,
  changed: readonly RecipeFacts[],
  deleted: readonly string[],
  options: InsightOptions,
): Promise<CatalogInsight> {
  const facts = new Map(previous.facts);
  for (const id of deleted) facts.delete(id);
  for (const f of changed) facts.set(f.id, f);
  const gone = new Set([...deleted, ...changed.map((f) => f.id)]);
  const byDish = new Map<string, { family: number; similarity: number }>();
  for (const [id, r] of previous.recipes)
    if (!gone.has(id) && r.family !== null) byDish.set(id, { family: r.family, similarity: r.similarity! });
  for (const f of changed) {
    const placed = assignFamily(previous.families, f.vector);
    if (placed) byDish.set(f.id, placed);
  }
  const families: DishFamily[] = previous.families.map((family) => ({ ...family, members: [] }));
  const index = new Map(families.map((f) => [f.id, f]));
  const sims = new Map<number, number[]>();
  for (const [id, placed] of byDish) {
    index.get(placed.family)!.members.push(id);
    pushTo(sims, placed.family, placed.similarity);
  }
  for (const family of families) {
    family.members.sort((a, b) => byDish.get(b)!.similarity - byDish.get(a)!.similarity || (a < b ? -1 : 1));
    family.size = family.members.length;
    const s = sims.get(family.id) ?? [];
    family.spread = s.length > 0 ? s.reduce((sum, x) => sum + 1 - x, 0) / s.length : 0;
  }
  // Pairs among unchanged recipes stand; changed ones are compared afresh with their family.
  const pairs = previous.duplicates.filter((p) => !gone.has(p.a) && !gone.has(p.b));
  const candidate = (id: string) => candidateOf(facts.get(id)!, byDish.get(id)?.family ?? null);
  const seen = new Set(pairs.map((p) => `${p.a}|${p.b}`));
  let compared = 0;
  const sameName = new Map<string, string[]>();
  for (const [id, other] of facts) {
    const key = other.duplicate.nameKey;
    if (key.length > 0) pushTo(sameName, key, id);
  }
  for (const f of changed) {
    const me = candidate(f.id);
    const family = me.family !== null ? index.get(me.family)! : null;
    const others = new Set(family?.members ?? []);
    for (const id of sameName.get(f.duplicate.nameKey) ?? []) others.add(id);
    for (const id of others) {
      if (id === f.id) continue;
      if (++compared % COMPARISONS_PER_PAUSE === 0) await options.pause?.();
      const [a, b] = id < f.id ? [candidate(id), me] : [me, candidate(id)];
      const key = `${a.id}|${b.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const { score, ...evidence } = duplicateScore(a, b, previous.nameWeight);
      if (score >= DUPLICATE_THRESHOLD)
        pairs.push({ a: a.id, b: b.id, score, evidence, crossSource: a.source !== b.source, ...mergeSuggestion(a, b) });
    }
  }
  pairs.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : 1));
  return await finish(
    facts,
    families.filter((f) => f.size > 0),
    byDish,
    pairs,
    previous.farFromFamilies,
    previous.k,
    previous.nameWeight,
    options,
  );
}

async function assemble(all: readonly RecipeFacts[], families: DishFamilies, options: InsightOptions): Promise<CatalogInsight> {
  const facts = new Map(all.map((f) => [f.id, f]));
  const nameWeight = nameGramWeights(all.map((f) => f.duplicate.nameKey));
  const pairs = await findDuplicatePairs(
    all.map((f) => candidateOf(f, families.byDish.get(f.id)?.family ?? null)),
    nameWeight,
    { pause: options.pause },
  );
  const far = outlierThreshold([...families.byDish.values()].map((d) => d.similarity));
  return await finish(facts, families.families, families.byDish, pairs, far, families.k, nameWeight, options);
}

/**
 * Recipes checked between calls to `pause`: checking 9,351 recipes in one go held the event loop
 * for over 200 ms, as long as the clustering did before it was sliced.
 */
const RECIPES_PER_PAUSE = 64;

async function finish(
  facts: Map<string, RecipeFacts>,
  families: DishFamily[],
  byDish: Map<string, { family: number; similarity: number }>,
  duplicates: DuplicatePair[],
  farFromFamilies: number,
  k: number,
  nameWeight: NameGramWeight,
  options: InsightOptions,
): Promise<CatalogInsight> {
  duplicates = withGroupSurvivors(duplicates, (id) => facts.get(id)!.duplicate.completeness);
  const bestPair = new Map<string, { of: string; score: number }>();
  for (const p of duplicates) {
    // Only records a merge would drop are flagged, both of a pair its group's survivor is not in:
    // the one to keep is not the problem.
    for (const id of [p.a, p.b]) {
      if (id === p.keep) continue;
      const current = bestPair.get(id);
      if (!current || current.score < p.score) bestPair.set(id, { of: p.keep, score: p.score });
    }
  }
  const recipes = new Map<string, RecipeInsight>();
  const flagged: Array<{ id: string; top: number }> = [];
  const vectors: Float64Array[] = [];
  let checked = 0;
  for (const [id, f] of facts) {
    if (++checked % RECIPES_PER_PAUSE === 0) await options.pause?.();
    const placed = byDish.get(id);
    if (placed) vectors.push(f.vector);
    const anomalies = detectAnomalies(
      { ...f.anomaly, familySimilarity: placed?.similarity ?? null, duplicate: bestPair.get(id) },
      options.facts,
      { farFromFamilies },
    );
    recipes.set(id, { family: placed?.family ?? null, similarity: placed?.similarity ?? null, anomalies });
    if (anomalies.length > 0) flagged.push({ id, top: anomalies[0].score });
  }
  flagged.sort((a, b) => b.top - a.top || (a.id < b.id ? -1 : 1));
  return {
    families,
    familyById: new Map(families.map((f) => [f.id, f])),
    recipes,
    facts,
    duplicates,
    flagged,
    farFromFamilies,
    catalogSpread: await spreadOf(vectors, options.pause),
    k,
    nameWeight,
  };
}

function candidateOf(f: RecipeFacts, family: number | null): DuplicateCandidate {
  return { id: f.id, name: f.name, source: f.source, language: f.language, vector: f.vector, family, ...f.duplicate };
}
