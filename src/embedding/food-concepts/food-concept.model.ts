import { createHash } from 'node:crypto';
import { ParsedQuery, RecipeAnalysis } from '../../text/text.types';
import { EmbeddingConfigError } from '../embedding.errors';
import { NamedVectors } from '../embedding.types';
import { identityCode } from './identity-code';
import { queryConcepts, queryTokens, recipeConcepts, recipeTokens } from './recipe-concepts';
import { documentSparseVector, querySparseVector } from './sparse-terms';
import { TrainingSample } from './training-sample';
import { isLearnedConcept, learnedConceptName, normalizedUnresolved, UnresolvedName } from '../learned-concepts/learned-concepts';
import { normalizeIngredientName } from '../learned-concepts/ingredient-normalizer';

export interface FoodConceptParams {
  /** Dimensions of the learned co-occurrence part. */
  dims: number;
  /** Dimensions of the hashed identity part (0 disables it). */
  identityDims: number;
  /** Non-zero entries per identity code. */
  identityNonZeros: number;
  /** Share of each concept vector's energy in the identity part, 0..1. */
  identityWeight: number;
  /** Context-distribution smoothing exponent of PPMI (0.75 dampens the pull of very common concepts). */
  smoothing: number;
  /** BM25 parameters of the sparse term vector. */
  k1: number;
  b: number;
  seed: number;
  oversampling: number;
  powerIterations: number;
}

export const DEFAULT_FOOD_CONCEPT_PARAMS: Readonly<FoodConceptParams> = Object.freeze({
  dims: 64,
  // Measured on the seed catalog: 64 hashed dims let unrelated concepts collide (chicken·egg
  // = 0.25, enough to rank an egg tart above 宫保鸡丁 for "chicken"); 128 × 8 keeps collisions
  // small, and 0.6 keeps exact matches first while co-occurrence still ranks related dishes.
  identityDims: 128,
  identityNonZeros: 8,
  identityWeight: 0.6,
  smoothing: 0.75,
  k1: 1.2,
  b: 0.75,
  seed: 20240601,
  oversampling: 10,
  powerIterations: 4,
});

/** Everything a trained model consists of; produced by FoodConceptTrainer or read back from JSON. */
export interface FoodConceptModelState {
  params: FoodConceptParams;
  recipeCount: number;
  /** Mean sparse-token count per recipe, BM25's reference length. */
  averageTokenCount: number;
  /** Sorted concept ids seen in training. */
  concepts: string[];
  /** Recipes containing each concept, aligned with `concepts`. */
  documentFrequency: number[];
  singularValues: number[];
  /** Unit co-occurrence vectors (U·Σ^½, normalised), concepts × dims, row-major. */
  cooccurrence: Float32Array;
  /** Sorted fingerprints of the recipes trained on, for drift detection. */
  trainedOn: string[];
  /** The commonest unresolved ingredient names of the training catalog (normalised), learned as concepts or not. */
  unresolved?: UnresolvedName[];
  /** Set when the model learned from a sample of a larger catalog (see training-sample.ts). */
  sample?: TrainingSample;
}

export const FOOD_CONCEPT_FORMAT = 'food-concepts';
export const FOOD_CONCEPT_FORMAT_VERSION = 1;

/** JSON form, stored by the catalog. Vectors are little-endian float32 in base64 to stay compact. */
export interface FoodConceptModelJson {
  format: typeof FOOD_CONCEPT_FORMAT;
  version: typeof FOOD_CONCEPT_FORMAT_VERSION;
  modelId: string;
  params: FoodConceptParams;
  recipeCount: number;
  averageTokenCount: number;
  concepts: string[];
  documentFrequency: number[];
  singularValues: number[];
  cooccurrence: string;
  trainedOn: string[];
  unresolved?: UnresolvedName[];
  sample?: TrainingSample;
}

/**
 * `food-concepts@v1-<dense dims>-<sha256 of params and training data, 12 hex>`. Training is
 * deterministic, so equal ids mean equal vectors and the index can be reused.
 */
export function foodConceptModelId(
  params: FoodConceptParams,
  trainedOn: readonly string[],
  learned: readonly string[] = [],
  sample?: TrainingSample,
): string {
  // Learned concepts and the sample are named only when there are some, so a model without
  // them keeps the id it had before they existed.
  const content = {
    version: FOOD_CONCEPT_FORMAT_VERSION,
    params: canonicalParams(params),
    trainedOn,
    ...(learned.length > 0 ? { learned } : {}),
    ...(sample ? { sample: { rate: sample.rate, catalogSize: sample.catalogSize } } : {}),
  };
  const hash = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 12);
  return `food-concepts@v${FOOD_CONCEPT_FORMAT_VERSION}-${params.dims + params.identityDims}-${hash}`;
}

/** Vectors over food concepts learned from the catalog; see FoodConceptTrainer. */
export class FoodConceptModel {
  readonly modelId: string;
  /** Size of the ingredients and properties vectors. */
  readonly dimensions: number;
  private readonly conceptIndex: Map<string, number>;
  private readonly vectors = new Map<string, Float64Array>();
  /** Learned concept ids by their normalised name. */
  private readonly learnedByName: Map<string, string>;
  /** Most words in a learned concept's name: how far a query's free words are joined to find one. */
  private readonly longestLearnedName: number;

  /** Prefer FoodConceptTrainer.train or FoodConceptModel.fromJSON. */
  constructor(private readonly state: FoodConceptModelState) {
    const learned = state.concepts.filter(isLearnedConcept);
    this.modelId = foodConceptModelId(state.params, state.trainedOn, learned, state.sample);
    this.dimensions = state.params.dims + state.params.identityDims;
    this.conceptIndex = new Map(state.concepts.map((id, index) => [id, index]));
    this.learnedByName = new Map(learned.map((id) => [learnedConceptName(id), id]));
    this.longestLearnedName = Math.max(0, ...[...this.learnedByName.keys()].map((name) => name.split(' ').length));
  }

  get params(): Readonly<FoodConceptParams> {
    return this.state.params;
  }

  get concepts(): readonly string[] {
    return this.state.concepts;
  }

  get trainedOn(): readonly string[] {
    return this.state.trainedOn;
  }

  get recipeCount(): number {
    return this.state.recipeCount;
  }

  /** Which recipes of the catalog it learned from: all of them unless it was sampled. */
  get sample(): TrainingSample {
    return this.state.sample ?? { rate: 1, catalogSize: this.state.recipeCount };
  }

  /** Learned concept ids (see learned-concepts.ts), sorted. */
  get learnedConcepts(): string[] {
    return [...this.learnedByName.values()].sort();
  }

  /** The commonest unresolved ingredient names of the training catalog with their recipe counts. */
  get unresolved(): readonly UnresolvedName[] {
    return this.state.unresolved ?? [];
  }

  /** Recipes of the training catalog containing a concept (0 when unseen). */
  documentFrequency(conceptId: string): number {
    const index = this.conceptIndex.get(conceptId);
    return index === undefined ? 0 : this.state.documentFrequency[index];
  }

  /** The learned concept an ingredient name stands for once normalised, if this model learned one. */
  learnedConceptFor(name: string): string | undefined {
    const normalized = normalizeIngredientName(name);
    return normalized ? this.learnedByName.get(normalized) : undefined;
  }

  /**
   * A recipe's ingredient concepts: the lexicon's, and the learned concepts its unresolved names
   * stand for. Sorted and de-duplicated.
   */
  recipeIngredientConcepts(analysis: RecipeAnalysis): string[] {
    const { ingredients } = recipeConcepts(analysis);
    if (this.learnedByName.size === 0 || analysis.unresolvedIngredients.length === 0) return ingredients;
    const learned = normalizedUnresolved(analysis)
      .map((name) => this.learnedByName.get(name))
      .filter((id): id is string => id !== undefined);
    return [...new Set([...ingredients, ...learned])].sort();
  }

  /**
   * The concepts whose co-occurrence vectors are closest to this one's (cosine), best first;
   * `accept` picks which concepts may be neighbours. Empty for a concept without co-occurrence signal.
   */
  nearestConcepts(conceptId: string, k: number, accept: (id: string) => boolean = () => true): Array<{ id: string; similarity: number }> {
    const index = this.conceptIndex.get(conceptId);
    if (index === undefined) return [];
    const { dims } = this.state.params;
    const vectors = this.state.cooccurrence;
    const scored: Array<{ id: string; similarity: number }> = [];
    for (let other = 0; other < this.state.concepts.length; other++) {
      const id = this.state.concepts[other];
      if (other === index || !accept(id)) continue;
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += vectors[index * dims + d] * vectors[other * dims + d];
      // Unit rows, or zero ones for concepts that never shared a recipe.
      if (dot !== 0) scored.push({ id, similarity: dot });
    }
    return scored.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1)).slice(0, k);
  }

  /**
   * Unit vector of a concept: √(1−w)·co-occurrence ⊕ √w·identity. A concept unseen in training
   * (or seen only alone) has no co-occurrence part and keeps just its identity part.
   */
  conceptVector(conceptId: string): Float64Array {
    const cached = this.vectors.get(conceptId);
    if (cached) return cached;
    const { dims, identityDims, identityNonZeros, identityWeight } = this.state.params;
    const vector = new Float64Array(dims + identityDims);
    const index = this.conceptIndex.get(conceptId);
    if (index !== undefined) {
      const learned = Math.sqrt(1 - identityWeight);
      for (let d = 0; d < dims; d++) vector[d] = learned * this.state.cooccurrence[index * dims + d];
    }
    const identity = identityCode(conceptId, identityDims, identityNonZeros);
    const identityScale = Math.sqrt(identityWeight);
    for (let d = 0; d < identityDims; d++) vector[dims + d] = identityScale * identity[d];
    this.vectors.set(conceptId, vector);
    return vector;
  }

  /** Smoothed IDF over recipes; an unseen concept counts as the rarest. */
  idf(conceptId: string): number {
    const index = this.conceptIndex.get(conceptId);
    const df = index === undefined ? 0 : this.state.documentFrequency[index];
    return Math.log((this.state.recipeCount + 1) / (df + 1)) + 1;
  }

  /** IDF-weighted means, so salt and oil do not make every dish look alike. */
  embedRecipe(analysis: RecipeAnalysis): NamedVectors {
    const { properties } = recipeConcepts(analysis);
    const ingredients = this.recipeIngredientConcepts(analysis);
    const result: NamedVectors = { dense: {} };
    const weight = (id: string): number => this.idf(id);
    const ingredientVector = this.pool(ingredients, weight);
    if (ingredientVector) result.dense.ingredients = ingredientVector;
    const propertyVector = this.pool(properties, weight);
    if (propertyVector) result.dense.properties = propertyVector;
    const { k1, b } = this.state.params;
    const sparse = documentSparseVector(recipeTokens(analysis), this.state.averageTokenCount, { k1, b });
    if (sparse) result.sparse = sparse;
    return result;
  }

  /** Plain means: every concept the user typed matters as much as the others. */
  embedQuery(query: ParsedQuery): NamedVectors {
    const { properties } = queryConcepts(query);
    const learned = this.learnedInWords(query.freeText).map((found) => found.concept);
    const ingredients = [...new Set([...queryConcepts(query).ingredients, ...learned])];
    const result: NamedVectors = { dense: {} };
    const ingredientVector = this.pool(ingredients, () => 1);
    if (ingredientVector) result.dense.ingredients = ingredientVector;
    const propertyVector = this.pool(properties, () => 1);
    if (propertyVector) result.dense.properties = propertyVector;
    const sparse = querySparseVector(queryTokens(query));
    if (sparse) result.sparse = sparse;
    return result;
  }

  toJSON(): FoodConceptModelJson {
    const { cooccurrence, ...rest } = this.state;
    const bytes = Buffer.alloc(cooccurrence.length * 4);
    cooccurrence.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
    return {
      format: FOOD_CONCEPT_FORMAT,
      version: FOOD_CONCEPT_FORMAT_VERSION,
      modelId: this.modelId,
      ...rest,
      cooccurrence: bytes.toString('base64'),
    };
  }

  /** Reads a stored model; anything malformed or tampered with is refused rather than half-used. */
  static fromJSON(input: unknown): FoodConceptModel {
    const json = (typeof input === 'string' ? JSON.parse(input) : input) as Partial<FoodConceptModelJson> | null;
    const fail = (reason: string): never => {
      throw new EmbeddingConfigError(`Stored food-concept model is unusable: ${reason}`);
    };
    if (!json || json.format !== FOOD_CONCEPT_FORMAT) fail('not a food-concept model');
    if (json!.version !== FOOD_CONCEPT_FORMAT_VERSION) fail(`unsupported version ${String(json!.version)}`);
    const { params, concepts, documentFrequency, singularValues, trainedOn, recipeCount, averageTokenCount, unresolved, sample } = json!;
    if (!params || !Array.isArray(concepts) || !Array.isArray(documentFrequency) || !Array.isArray(trainedOn)) {
      fail('missing fields');
    }
    if (documentFrequency!.length !== concepts!.length) fail('document frequencies do not match concepts');
    if (unresolved !== undefined && !(Array.isArray(unresolved) && unresolved.every(isUnresolvedName))) fail('malformed unresolved names');
    if (sample !== undefined && !isTrainingSample(sample)) fail('malformed training sample');
    const bytes = Buffer.from(json!.cooccurrence ?? '', 'base64');
    if (bytes.length !== concepts!.length * params!.dims * 4) fail('vector block has the wrong size');
    const cooccurrence = new Float32Array(bytes.length / 4);
    for (let i = 0; i < cooccurrence.length; i++) cooccurrence[i] = bytes.readFloatLE(i * 4);
    const model = new FoodConceptModel({
      params: { ...DEFAULT_FOOD_CONCEPT_PARAMS, ...params! },
      recipeCount: Number(recipeCount),
      averageTokenCount: Number(averageTokenCount),
      concepts: concepts!,
      documentFrequency: documentFrequency!,
      singularValues: singularValues ?? [],
      cooccurrence,
      trainedOn: trainedOn!,
      ...(unresolved ? { unresolved } : {}),
      ...(sample ? { sample: { rate: sample.rate, catalogSize: sample.catalogSize } } : {}),
    });
    if (json!.modelId !== model.modelId) fail(`model id ${String(json!.modelId)} does not match its content`);
    return model;
  }

  /** Learned concepts named by runs of a query's unrecognised words ("heavy cream"), longest run first, with the words of each. */
  learnedInWords(words: readonly string[]): Array<{ concept: string; words: string[] }> {
    if (this.learnedByName.size === 0 || words.length === 0) return [];
    const found: Array<{ concept: string; words: string[] }> = [];
    let start = 0;
    while (start < words.length) {
      let matched = 0;
      for (let length = Math.min(this.longestLearnedName, words.length - start); length >= 1; length--) {
        const run = words.slice(start, start + length);
        const concept = this.learnedConceptFor(run.join(' '));
        if (concept) {
          found.push({ concept, words: run });
          matched = length;
          break;
        }
      }
      start += Math.max(1, matched);
    }
    return found;
  }

  private pool(conceptIds: string[], weight: (id: string) => number): number[] | undefined {
    if (conceptIds.length === 0) return undefined;
    const sum = new Float64Array(this.dimensions);
    for (const id of conceptIds) {
      const vector = this.conceptVector(id);
      const w = weight(id);
      for (let d = 0; d < sum.length; d++) sum[d] += w * vector[d];
    }
    let length = 0;
    for (let d = 0; d < sum.length; d++) length += sum[d] * sum[d];
    if (length === 0) return undefined;
    length = Math.sqrt(length);
    // A plain loop: Array.from with a mapping function took ~16 µs for 192 dimensions against
    // ~1.2 µs (node 20, this 2-core machine), and every recipe indexed and every query embedded
    // pools twice. The values are the same divisions.
    const unit: number[] = [];
    for (let d = 0; d < sum.length; d++) unit.push(sum[d] / length);
    return unit;
  }
}

function isUnresolvedName(value: unknown): value is UnresolvedName {
  const entry = value as UnresolvedName | null;
  return typeof entry?.name === 'string' && Number.isInteger(entry.recipes) && entry.recipes > 0;
}

function isTrainingSample(value: unknown): value is TrainingSample {
  const sample = value as TrainingSample | null;
  return (
    typeof sample?.rate === 'number' &&
    sample.rate > 0 &&
    sample.rate <= 1 &&
    Number.isInteger(sample.catalogSize) &&
    sample.catalogSize >= 0
  );
}

/** Key order fixed so the model id does not depend on how the caller spelled the options. */
function canonicalParams(params: FoodConceptParams): Array<[string, number]> {
  return (Object.keys(DEFAULT_FOOD_CONCEPT_PARAMS) as Array<keyof FoodConceptParams>).map((key) => [key, params[key]]);
}
