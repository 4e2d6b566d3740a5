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

  /** Smoothed idf: a feature no catalog dish has yet (a recipe newer than the counts) weighs like the rarest. */
  idf(feature: string): number {
    return Math.log((1 + this.dishes) / (1 + (this.documentFrequency.get(feature) ?? 0))) + 1;
  }

  vector(recipe: CatalogRecipe): ConceptVector {
    const cached = this.vectors.get(recipe.summary.id);
    if (cached) return cached;
    const weights = new Map<string, number>();
    let norm = 0;
    for (const feature of dishFeatures(recipe)) {
      const w = this.idf(feature);
      weights.set(feature, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [feature, w] of weights) weights.set(feature, w / norm);
    this.vectors.set(recipe.summary.id, weights);
    return weights;
  }
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
