import { forEachInSlices } from '../../common/event-loop';
import { CatalogRecipe } from '../../search/catalog-recipe';

/**
 * A dish as the catalog's own concepts describe it, for the taste model: its ingredients with
 * their lexicon ancestors (a liked ragù and a liked carbonara share "pork" and "meat" even when
 * their listed cuts differ), its flavor, method, course, cuisine and diet concepts, its category
 * and its cuisine. Each feature is weighted by its inverse document frequency over the catalog
 * (salt and "vegetable" say little, "saffron" or "sichuan" say a lot) and the vector has unit
 * length, so the similarity of two dishes is a cosine on [0, 1].
 *
 * The dense vectors alone rank held-out survey dishes at pairwise accuracy 0.528 (content part of
 * `npm run eval`); they are built for retrieval, where "looks like the query" matters, not for
 * telling a liked lasagne from an unliked one. See CONCEPT_SHARE (dish-point.ts) for what the
 * concept cosine added.
 */
export type ConceptVector = ReadonlyMap<string, number>;

/** The features of one dish, before weighting. */
export function dishFeatures(recipe: CatalogRecipe): string[] {
  const out = new Set<string>();
  for (const concept of recipe.concepts) out.add(`i:${concept}`);
  for (const concept of recipe.propertyConcepts) out.add(`p:${concept}`);
  if (recipe.summary.category) out.add(`category:${recipe.summary.category}`);
  if (recipe.summary.cuisine) out.add(`cuisine:${recipe.summary.cuisine}`);
  return [...out];
}

/**
 * Document frequencies of one catalog version and the dish vectors asked for so far. Built once
 * per version (the recommendations service keeps one per catalog view); a request then only
 * weighs the dishes it scores.
 */
export class ConceptSpace {
  private readonly vectors = new Map<string, ConceptVector>();
  private readonly compactVectors = new Map<string, CompactConcepts>();
  /** Every feature seen by this space, numbered in order of first sight. */
  private readonly featureNumbers = new Map<string, number>();

  private constructor(
    private readonly documentFrequency: ReadonlyMap<string, number>,
    private readonly dishes: number,
  ) {}

  static of(recipes: Iterable<CatalogRecipe>): ConceptSpace {
    const df = new Map<string, number>();
    let count = 0;
    for (const recipe of recipes) {
      count += 1;
      countFeatures(df, recipe);
    }
    return new ConceptSpace(df, count);
  }

  /** The same, counted a slice at a time so a large catalog does not hold the event loop. */
  static async ofInSlices(recipes: readonly CatalogRecipe[], sliceSize: number): Promise<ConceptSpace> {
    const df = new Map<string, number>();
    await forEachInSlices(recipes, sliceSize, (recipe) => countFeatures(df, recipe));
    return new ConceptSpace(df, recipes.length);
  }

  /**
   * The space of the catalog with `removed` taken out and `added` put in (a changed recipe is
   * both): the counts copied and adjusted, O(features + changes) instead of a count over every
   * dish. Vectors are weighed afresh, as the counts differ.
   */
  updated(added: readonly CatalogRecipe[], removed: readonly CatalogRecipe[]): ConceptSpace {
    const df = new Map(this.documentFrequency);
    for (const recipe of removed) {
      for (const feature of dishFeatures(recipe)) {
        const left = (df.get(feature) ?? 0) - 1;
        if (left > 0) df.set(feature, left);
        else df.delete(feature);
      }
    }
    for (const recipe of added) countFeatures(df, recipe);
    return new ConceptSpace(df, this.dishes + added.length - removed.length);
  }

  /** Smoothed idf: a feature no catalog dish has yet (a recipe newer than the counts) weighs like the rarest. */
  idf(feature: string): number {
    return Math.log((1 + this.dishes) / (1 + (this.documentFrequency.get(feature) ?? 0))) + 1;
  }

  vector(recipe: CatalogRecipe): ConceptVector {
    const cached = this.vectors.get(recipe.summary.id);
    if (cached) return cached;
    const weights = this.weigh(recipe);
    this.vectors.set(recipe.summary.id, weights);
    return weights;
  }

  /** The same vector with its features numbered, for conceptSimilarityOf; cached apart from `vector`. */
  compactVector(recipe: CatalogRecipe): CompactConcepts {
    const cached = this.compactVectors.get(recipe.summary.id);
    if (cached) return cached;
    const entries: Array<[number, number]> = [];
    for (const [feature, w] of this.weigh(recipe)) {
      let number = this.featureNumbers.get(feature);
      if (number === undefined) {
        number = this.featureNumbers.size;
        this.featureNumbers.set(feature, number);
      }
      entries.push([number, w]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    // Filled in a loop: `TypedArray.from` with a mapping function calls it per entry (see FoodConceptModel.pool).
    const compact = { ids: new Int32Array(entries.length), weights: new Float64Array(entries.length) };
    for (let k = 0; k < entries.length; k++) {
      compact.ids[k] = entries[k][0];
      compact.weights[k] = entries[k][1];
    }
    this.compactVectors.set(recipe.summary.id, compact);
    return compact;
  }

  private weigh(recipe: CatalogRecipe): Map<string, number> {
    const weights = new Map<string, number>();
    let norm = 0;
    for (const feature of dishFeatures(recipe)) {
      const w = this.idf(feature);
      weights.set(feature, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [feature, w] of weights) weights.set(feature, w / norm);
    return weights;
  }
}

/**
 * A ConceptVector of one ConceptSpace with its features numbered, by ascending number, so the
 * taste model compares dishes without hashing feature names (with names, the concept side was
 * a third of its time: 100,000 recipes, 14 rated dishes, ~250 candidates).
 */
export interface CompactConcepts {
  ids: Int32Array;
  weights: Float64Array;
}

export const NO_CONCEPTS: CompactConcepts = { ids: new Int32Array(0), weights: new Float64Array(0) };

/** conceptSimilarity of two compact vectors of the same space: one merge of their sorted numbers. */
export function conceptSimilarityOf(a: CompactConcepts, b: CompactConcepts): number {
  const { ids: ai, weights: aw } = a;
  const { ids: bi, weights: bw } = b;
  let dot = 0;
  let i = 0;
  let j = 0;
  while (i < ai.length && j < bi.length) {
    const x = ai[i];
    const y = bi[j];
    if (x === y) dot += aw[i++] * bw[j++];
    else if (x < y) i++;
    else j++;
  }
  return dot;
}

function countFeatures(df: Map<string, number>, recipe: CatalogRecipe): void {
  for (const feature of dishFeatures(recipe)) df.set(feature, (df.get(feature) ?? 0) + 1);
}

/** Cosine of two unit-length concept vectors. */
export function conceptSimilarity(a: ConceptVector, b: ConceptVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [feature, w] of small) {
    const other = large.get(feature);
    if (other !== undefined) dot += w * other;
  }
  return dot;
}
