import { RecipeAnalysis } from '../../text/text.types';
import { EmbeddingConfigError } from '../embedding.errors';
import { DEFAULT_FOOD_CONCEPT_PARAMS, FoodConceptModel, FoodConceptParams } from './food-concept.model';
import { recipeConcepts, recipeFingerprint, recipeTokens } from './recipe-concepts';
import { runInSlices, runToEnd, Steps } from '../../common/event-loop';
import { DenseMatrix, truncatedSvdSteps } from './truncated-svd';
import { TrainingSample } from './training-sample';
import {
  DEFAULT_LEARNED_CONCEPT_OPTIONS,
  learnedConceptId,
  LearnedConceptOptions,
  normalizedUnresolved,
  selectLearnedConcepts,
} from '../learned-concepts/learned-concepts';

/**
 * Learns concept vectors from the catalog itself: concepts that share recipes (ingredients and
 * properties alike) get similar vectors, which is what lets "鸡" find 宫保鸡丁 and a query for
 * "spicy" lean towards Sichuan dishes without any external model.
 *
 * co-occurrence counts → PPMI (smoothed context distribution) → randomized truncated SVD →
 * U·Σ^½, L2-normalised. Deterministic: same catalog and params, same model id and vectors.
 *
 * Unresolved ingredient names that recur (see learned-concepts.ts) join the lexicon's concepts
 * in the same matrix, as rows and as contexts: on a catalog the lexicon was not written for they
 * are most of what co-occurs, and on one it covers there are none, so nothing changes there.
 */
export class FoodConceptTrainer {
  constructor(private readonly learnedOptions: Partial<LearnedConceptOptions> = {}) {}

  /** `sample`: the analyses are a sample of a larger catalog (see training-sample.ts). */
  train(analyses: readonly RecipeAnalysis[], options: Partial<FoodConceptParams> = {}, sample?: TrainingSample): FoodConceptModel {
    return runToEnd(this.trainSteps(analyses, options, sample));
  }

  /**
   * The same training a few milliseconds at a time, for a server: in one piece it held the event
   * loop for 1–2.5 s after a large bulk. Same inputs, same model (the pauses change nothing).
   */
  trainInSlices(
    analyses: readonly RecipeAnalysis[],
    options: Partial<FoodConceptParams> = {},
    signal?: AbortSignal,
    sample?: TrainingSample,
  ): Promise<FoodConceptModel> {
    return runInSlices(this.trainSteps(analyses, options, sample), undefined, signal);
  }

  private *trainSteps(
    analyses: readonly RecipeAnalysis[],
    options: Partial<FoodConceptParams>,
    sample: TrainingSample | undefined,
  ): Steps<FoodConceptModel> {
    const params = validateParams({ ...DEFAULT_FOOD_CONCEPT_PARAMS, ...options });
    const unresolvedNames: string[][] = [];
    for (const analysis of analyses) {
      if (unresolvedNames.length % 64 === 0) yield;
      unresolvedNames.push(normalizedUnresolved(analysis));
    }
    const { unresolved, learned } = selectLearnedConcepts(unresolvedNames, { ...DEFAULT_LEARNED_CONCEPT_OPTIONS, ...this.learnedOptions });
    const learnedNames = new Set(learned);
    const conceptSets: string[][] = [];
    for (const [n, analysis] of analyses.entries()) {
      if (n % 64 === 0) yield;
      const { ingredients, properties } = recipeConcepts(analysis);
      const learnedIds = unresolvedNames[n].filter((name) => learnedNames.has(name)).map(learnedConceptId);
      conceptSets.push([...new Set([...ingredients, ...learnedIds, ...properties])]);
    }

    const documentFrequencyById = new Map<string, number>();
    for (const concepts of conceptSets) {
      for (const id of concepts) documentFrequencyById.set(id, (documentFrequencyById.get(id) ?? 0) + 1);
    }
    const concepts = [...documentFrequencyById.keys()].sort();
    const index = new Map(concepts.map((id, i) => [id, i]));

    const ppmi = yield* ppmiMatrix(
      conceptSets.map((set) => set.map((id) => index.get(id) as number)),
      concepts.length,
      params.smoothing,
    );
    const cooccurrence = yield* conceptVectors(ppmi, params);
    yield;
    const tokenTotal = analyses.reduce((sum, analysis) => sum + recipeTokens(analysis).length, 0);

    return new FoodConceptModel({
      params,
      recipeCount: analyses.length,
      averageTokenCount: analyses.length === 0 ? 0 : tokenTotal / analyses.length,
      concepts,
      documentFrequency: concepts.map((id) => documentFrequencyById.get(id) as number),
      singularValues: cooccurrence.singularValues,
      cooccurrence: cooccurrence.vectors,
      trainedOn: analyses.map(recipeFingerprint).sort(),
      unresolved,
      // A whole catalog is not marked, so its model keeps the id it had before sampling existed.
      ...(sample && sample.rate < 1 ? { sample } : {}),
    });
  }
}

/**
 * PPMI(i, j) = max(0, log(C(i,j)·Z / (C(i)·C(j)^α))) with Z = Σ_j C(j)^α. Raising context counts
 * to α < 1 lifts rare contexts, so a rare spice is not drowned by salt in every recipe.
 */
function* ppmiMatrix(recipes: number[][], size: number, alpha: number): Steps<DenseMatrix> {
  const counts = new Float64Array(size * size);
  for (const [n, members] of recipes.entries()) {
    if (n % 64 === 0) yield;
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        counts[members[a] * size + members[b]] += 1;
        counts[members[b] * size + members[a]] += 1;
      }
    }
  }
  const rowTotals = new Float64Array(size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) rowTotals[i] += counts[i * size + j];
  // Symmetric counts: column totals equal row totals.
  const smoothedContext = rowTotals.map((total) => Math.pow(total, alpha));
  const z = smoothedContext.reduce((sum, value) => sum + value, 0);

  yield;
  const data = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    if (i % 64 === 0) yield;
    for (let j = 0; j < size; j++) {
      const c = counts[i * size + j];
      if (c === 0) continue;
      const pmi = Math.log((c * z) / (rowTotals[i] * smoothedContext[j]));
      if (pmi > 0) data[i * size + j] = pmi;
    }
  }
  return { rows: size, cols: size, data };
}

/** U·Σ^½ rows, unit length, as float32; padded with zeros when the catalog has fewer concepts than dims. */
function* conceptVectors(ppmi: DenseMatrix, params: FoodConceptParams): Steps<{ vectors: Float32Array; singularValues: number[] }> {
  const { dims } = params;
  const vectors = new Float32Array(ppmi.rows * dims);
  const svd = yield* truncatedSvdSteps(ppmi, {
    rank: dims,
    seed: params.seed,
    oversampling: params.oversampling,
    powerIterations: params.powerIterations,
  });
  const scale = Array.from(svd.singularValues, (s) => Math.sqrt(s));
  for (let r = 0; r < ppmi.rows; r++) {
    const row = new Float64Array(dims);
    let length = 0;
    for (let k = 0; k < svd.rank; k++) {
      row[k] = svd.u[r * svd.rank + k] * scale[k];
      length += row[k] * row[k];
    }
    length = Math.sqrt(length);
    // A concept that never shares a recipe has no co-occurrence signal: leave it zero.
    if (length < 1e-9) continue;
    for (let k = 0; k < dims; k++) vectors[r * dims + k] = row[k] / length;
  }
  return { vectors, singularValues: Array.from(svd.singularValues) };
}

function validateParams(params: FoodConceptParams): FoodConceptParams {
  const integer = (name: keyof FoodConceptParams, min: number): void => {
    if (!Number.isInteger(params[name]) || params[name] < min) {
      throw new EmbeddingConfigError(`food-concepts ${name} must be an integer ≥ ${min}, got ${params[name]}`);
    }
  };
  integer('dims', 1);
  integer('identityDims', 0);
  integer('identityNonZeros', 1);
  integer('oversampling', 0);
  integer('powerIterations', 0);
  integer('seed', 0);
  const within = (name: keyof FoodConceptParams, min: number, max: number): void => {
    if (!(params[name] >= min && params[name] <= max)) {
      throw new EmbeddingConfigError(`food-concepts ${name} must be within [${min}, ${max}], got ${params[name]}`);
    }
  };
  within('identityWeight', 0, params.identityDims === 0 ? 0 : 1);
  within('smoothing', 0, 1);
  within('k1', 0, 10);
  within('b', 0, 1);
  return params;
}
