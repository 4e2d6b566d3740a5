import { createHash } from 'node:crypto';
import { ParsedQuery, RecipeAnalysis } from '../../text/text.types';
import { EmbeddingConfigError } from '../embedding.errors';
import { NamedVectors } from '../embedding.types';
import { identityCode } from './identity-code';
import { queryConcepts, queryTokens, recipeConcepts, recipeTokens } from './recipe-concepts';
import { documentSparseVector, querySparseVector } from './sparse-terms';

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
}

/**
 * `food-concepts@v1-<dense dims>-<sha256 of params and training data, 12 hex>`. Training is
 * deterministic, so equal ids mean equal vectors and the index can be reused.
 */
export function foodConceptModelId(params: FoodConceptParams, trainedOn: readonly string[]): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ version: FOOD_CONCEPT_FORMAT_VERSION, params: canonicalParams(params), trainedOn }))
    .digest('hex')
    .slice(0, 12);
  return `food-concepts@v${FOOD_CONCEPT_FORMAT_VERSION}-${params.dims + params.identityDims}-${hash}`;
}

/** Vectors over food concepts learned from the catalog; see FoodConceptTrainer. */
export class FoodConceptModel {
  readonly modelId: string;
  /** Size of the ingredients and properties vectors. */
  readonly dimensions: number;
  private readonly conceptIndex: Map<string, number>;
  private readonly vectors = new Map<string, Float64Array>();

  /** Prefer FoodConceptTrainer.train or FoodConceptModel.fromJSON. */
  constructor(private readonly state: FoodConceptModelState) {
    this.modelId = foodConceptModelId(state.params, state.trainedOn);
    this.dimensions = state.params.dims + state.params.identityDims;
    this.conceptIndex = new Map(state.concepts.map((id, index) => [id, index]));
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
    const { ingredients, properties } = recipeConcepts(analysis);
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
    const { ingredients, properties } = queryConcepts(query);
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
    const { params, concepts, documentFrequency, singularValues, trainedOn, recipeCount, averageTokenCount } = json!;
    if (!params || !Array.isArray(concepts) || !Array.isArray(documentFrequency) || !Array.isArray(trainedOn)) {
      fail('missing fields');
    }
    if (documentFrequency!.length !== concepts!.length) fail('document frequencies do not match concepts');
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
    });
    if (json!.modelId !== model.modelId) fail(`model id ${String(json!.modelId)} does not match its content`);
    return model;
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
    return Array.from(sum, (value) => value / length);
  }
}

/** Key order fixed so the model id does not depend on how the caller spelled the options. */
function canonicalParams(params: FoodConceptParams): Array<[string, number]> {
  return (Object.keys(DEFAULT_FOOD_CONCEPT_PARAMS) as Array<keyof FoodConceptParams>).map((key) => [key, params[key]]);
}
