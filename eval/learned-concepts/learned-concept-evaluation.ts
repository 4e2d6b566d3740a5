import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SeededRandom } from '../../src/common/seeded-random';
import { FoodConceptModel } from '../../src/embedding/food-concepts/food-concept.model';
import { FoodConceptTrainer } from '../../src/embedding/food-concepts/food-concept.trainer';
import { DEFAULT_LEARNED_CONCEPT_OPTIONS, isLearnedConcept } from '../../src/embedding/learned-concepts/learned-concepts';
import { cosine } from '../../src/embedding/similarity';
import { toRecipeInput } from '../../src/recipes/recipe-mapper';
import { RecipeRowsRepository } from '../../src/recipes/recipe-rows.repository';
import { FoodLexicon } from '../../src/text/food-lexicon';
import { RecipeAnalyzer } from '../../src/text/recipe-analyzer';
import { RecipeAnalysis } from '../../src/text/text.types';

/** Neighbours compared per concept, and dishes per query in the cuisine check. */
export const NEIGHBOURS = 10;
export const SEEDS = [1, 2, 3];
/** Share of the catalog's ingredient concepts hidden from the lexicon in the recovery check. */
export const HIDDEN_SHARE = 0.2;
/** Shares hidden in the English-catalog check: a lexicon missing a fifth, and one missing most, of what the lists name. */
export const ENGLISH_HIDDEN_SHARES = [0.2, 0.5, 0.8];
/** Sources whose ingredient lists are English: together, a small "English catalog" labelled by cuisine and region. */
export const ENGLISH_SOURCES = ['indian-food-101', 'italian-giallozafferano'];

export interface RecoveryResult {
  seeds: number[];
  hiddenShare: number;
  /** Ingredient concepts the catalog lists, and how many were hidden per seed (mean). */
  catalogConcepts: number;
  hidden: number;
  /** Hidden concepts listed in enough recipes to be learned (mean per seed). */
  learned: number;
  /** Mean overlap@10 between a hidden concept's nearest visible ingredient concepts in the full model and its learned vector's. */
  overlap: number;
  /** The same for the hidden concepts listed in at least 10 recipes. */
  overlapFrequent: number;
  frequent: number;
  /** Expected overlap of 10 neighbours drawn at random from the visible ingredient concepts. */
  randomBaseline: number;
  /** Overlap of the 10 commonest visible ingredient concepts, the same for every concept. */
  popularityBaseline: number;
}

export interface CuisineAgreementRow {
  hiddenShare: number;
  system: string;
  /** Mean share of the 10 nearest dishes (ingredients vector) with the query dish's cuisine and region; dishes without a vector count 0. */
  agreement: number;
  /** Dishes that have an ingredients vector at all. */
  covered: number;
}

export interface CuisineAgreementResult {
  recipes: number;
  labels: number;
  rows: CuisineAgreementRow[];
}

/** Every recipe's analysis, as the model service reads them for training, with its source and labels. */
export async function catalogAnalyses(
  app: INestApplicationContext,
): Promise<Array<{ source: string; label: string; analysis: RecipeAnalysis }>> {
  const analyzer = app.get(RecipeAnalyzer);
  const rows = new RecipeRowsRepository(app.get(DataSource));
  const entities = await rows.recipes((await rows.idsInOrder()).map((row) => row.id));
  return entities.map((entity) => ({
    source: entity.source,
    label: `${entity.cuisine ?? '-'}/${entity.region ?? '-'}`,
    analysis: analyzer.analyze(toRecipeInput(entity)),
  }));
}

/** Ways a catalog writes one food X: the normaliser has to bring them back to one name. */
const SPELLINGS = ['X', '2 cups chopped fresh X', 'X, to taste', '1 large X (about 200 g)', '1/2 tsp ground Xs', 'Xs, thinly sliced'];

/**
 * Hides part of the lexicon: the hidden concepts leave each analysis' concepts and come back as
 * an unresolved string, as a catalog's strings the lexicon was not written for would: the id
 * without hyphens (so no two meet after normalisation), written one of several ways per recipe.
 */
export function hideConcepts(analyses: readonly RecipeAnalysis[], hidden: ReadonlySet<string>, seed = 0): RecipeAnalysis[] {
  const random = new SeededRandom(seed);
  return analyses.map((analysis) => {
    const gone = analysis.ingredientConcepts.filter((id) => hidden.has(id));
    if (gone.length === 0) return analysis;
    const written = gone.map((id) => SPELLINGS[random.nextInt(SPELLINGS.length)].replace(/X/g, hiddenName(id)));
    return {
      ...analysis,
      ingredientConcepts: analysis.ingredientConcepts.filter((id) => !hidden.has(id)),
      unresolvedIngredients: [...analysis.unresolvedIngredients, ...written],
    };
  });
}

export function hiddenName(conceptId: string): string {
  return conceptId.replace(/-/g, '');
}

/**
 * Recovery of hidden concepts: 20% of the catalog's ingredient concepts are hidden, the model is
 * trained on the rest plus their names as unresolved strings, and each hidden concept's nearest
 * visible ingredient concepts under its learned vector are compared with those of the model
 * trained with the whole lexicon.
 */
export function evaluateRecovery(analyses: readonly RecipeAnalysis[], lexicon: FoodLexicon): RecoveryResult {
  const full = new FoodConceptTrainer().train(analyses);
  const frequency = ingredientFrequency(analyses);
  const catalogConcepts = [...frequency.keys()].sort();
  const totals = { hidden: 0, learned: 0, overlap: 0, overlapFrequent: 0, frequent: 0, random: 0, popularity: 0 };
  for (const seed of SEEDS) {
    const hidden = new Set(sample(catalogConcepts, Math.round(catalogConcepts.length * HIDDEN_SHARE), seed));
    const model = new FoodConceptTrainer().train(hideConcepts(analyses, hidden, seed));
    const visible = (id: string): boolean => !hidden.has(id) && !isLearnedConcept(id) && lexicon.get(id)?.kind === 'ingredient';
    const candidates = catalogConcepts.filter((id) => visible(id) && full.nearestConcepts(id, 1).length > 0);
    const popular = [...candidates].sort((a, b) => frequency.get(b)! - frequency.get(a)! || (a < b ? -1 : 1));
    let learned = 0;
    let overlapSum = 0;
    let frequentSum = 0;
    let frequent = 0;
    let popularitySum = 0;
    for (const id of hidden) {
      const learnedId = model.learnedConceptFor(hiddenName(id));
      if (!learnedId) continue;
      learned++;
      const truth = full.nearestConcepts(id, NEIGHBOURS, visible).map((n) => n.id);
      const found = new Set(model.nearestConcepts(learnedId, NEIGHBOURS, visible).map((n) => n.id));
      const overlap = truth.filter((n) => found.has(n)).length / NEIGHBOURS;
      overlapSum += overlap;
      popularitySum += truth.filter((n) => popular.slice(0, NEIGHBOURS).includes(n)).length / NEIGHBOURS;
      if (frequency.get(id)! >= 10) {
        frequent++;
        frequentSum += overlap;
      }
    }
    totals.hidden += hidden.size;
    totals.learned += learned;
    totals.overlap += learned > 0 ? overlapSum / learned : 0;
    totals.overlapFrequent += frequent > 0 ? frequentSum / frequent : 0;
    totals.frequent += frequent;
    totals.popularity += learned > 0 ? popularitySum / learned : 0;
    totals.random += NEIGHBOURS / candidates.length;
  }
  const n = SEEDS.length;
  return {
    seeds: SEEDS,
    hiddenShare: HIDDEN_SHARE,
    catalogConcepts: catalogConcepts.length,
    hidden: totals.hidden / n,
    learned: totals.learned / n,
    overlap: totals.overlap / n,
    overlapFrequent: totals.overlapFrequent / n,
    frequent: totals.frequent / n,
    randomBaseline: totals.random / n,
    popularityBaseline: totals.popularity / n,
  };
}

/**
 * A small "English catalog" check: the Indian and Italian recipes as ingredient lists alone (no
 * course, cuisine or flavor fields), a share of their ingredient concepts hidden from the
 * lexicon; each dish's 10 nearest dishes by the ingredients vector should share its cuisine and
 * region. Before: today's model, which drops what the lexicon does not resolve; after: the same
 * training with learned concepts; beside the model with the whole lexicon.
 */
export function evaluateEnglishCatalog(
  recipes: ReadonlyArray<{ source: string; label: string; analysis: RecipeAnalysis }>,
): CuisineAgreementResult {
  const subset = recipes
    .filter((r) => ENGLISH_SOURCES.includes(r.source))
    .map((r) => ({ label: r.label, analysis: { ...r.analysis, propertyConcepts: [], diets: [] } }));
  const analyses = subset.map((r) => r.analysis);
  const labels = subset.map((r) => r.label);
  const concepts = [...ingredientFrequency(analyses).keys()].sort();
  const withoutLearned = new FoodConceptTrainer({ minRecipes: Number.MAX_SAFE_INTEGER });
  const withLearned = new FoodConceptTrainer({ minRecipes: DEFAULT_LEARNED_CONCEPT_OPTIONS.minRecipes });
  const rows: CuisineAgreementRow[] = [
    { hiddenShare: 0, system: 'whole lexicon', ...agreement(withoutLearned.train(analyses), analyses, labels) },
  ];
  for (const share of ENGLISH_HIDDEN_SHARES) {
    const sums = { before: { agreement: 0, covered: 0 }, after: { agreement: 0, covered: 0 } };
    for (const seed of SEEDS) {
      const hidden = hideConcepts(analyses, new Set(sample(concepts, Math.round(concepts.length * share), seed)), seed);
      for (const [key, trainer] of [
        ['before', withoutLearned],
        ['after', withLearned],
      ] as const) {
        const result = agreement(trainer.train(hidden), hidden, labels);
        sums[key].agreement += result.agreement / SEEDS.length;
        sums[key].covered += result.covered / SEEDS.length;
      }
    }
    rows.push({ hiddenShare: share, system: 'unresolved dropped (before)', ...sums.before });
    rows.push({ hiddenShare: share, system: 'learned concepts (after)', ...sums.after });
  }
  return { recipes: subset.length, labels: new Set(labels).size, rows };
}

function agreement(
  model: FoodConceptModel,
  analyses: readonly RecipeAnalysis[],
  labels: readonly string[],
): { agreement: number; covered: number } {
  const vectors = analyses.map((analysis) => model.embedRecipe(analysis).dense.ingredients);
  let total = 0;
  let covered = 0;
  for (let i = 0; i < vectors.length; i++) {
    const query = vectors[i];
    if (!query) continue;
    covered++;
    const scored: Array<{ index: number; score: number }> = [];
    for (let j = 0; j < vectors.length; j++) {
      if (j !== i && vectors[j]) scored.push({ index: j, score: cosine(query, vectors[j]!) });
    }
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    total += scored.slice(0, NEIGHBOURS).filter((s) => labels[s.index] === labels[i]).length / NEIGHBOURS;
  }
  return { agreement: total / vectors.length, covered };
}

function ingredientFrequency(analyses: readonly RecipeAnalysis[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const analysis of analyses) for (const id of new Set(analysis.ingredientConcepts)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** `count` items drawn without replacement, seeded (partial Fisher–Yates). */
function sample<T>(items: readonly T[], count: number, seed: number): T[] {
  const pool = [...items];
  const random = new SeededRandom(seed);
  for (let i = 0; i < count; i++) {
    const j = i + random.nextInt(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}
