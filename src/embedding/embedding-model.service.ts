import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventLoopBudget } from '../common/event-loop';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { FoodLexicon } from '../text/food-lexicon';
import { RecipeAnalysisMemo } from '../text/recipe-analysis-memo';
import { RecipeAnalysis } from '../text/text.types';
import { RecipeRowsRepository } from '../recipes/recipe-rows.repository';
import { EmbeddingModelRepository } from './embedding-model.repository';
import { EmbeddingProvider } from './embedding-provider.port';
import { createEmbeddingProvider, EmbeddingOptions } from './embedding-provider.factory';
import { catalogDrift } from './food-concepts/catalog-drift';
import { FOOD_CONCEPT_FORMAT, FoodConceptModel } from './food-concepts/food-concept.model';
import { FoodConceptTrainer } from './food-concepts/food-concept.trainer';
import { recipeFingerprint } from './food-concepts/recipe-concepts';
import { inTrainingSample, TrainingSample, trainingSample } from './food-concepts/training-sample';

/**
 * Recipes read per query while analysing the catalog. TypeORM builds a page's entities (and
 * parses their JSON columns) in one go: 200 recipes of 250 ingredients held the event loop for
 * ~50 ms a page next to an import; 50 keep a page to about a slice.
 */
const CATALOG_PAGE = 50;

/** Recipes analysed together: in the text thread, ten pages a message. */
const ANALYSIS_BATCH = 500;

/**
 * Owns the food-concept model's life: trained from the catalog on first start, stored in
 * SQLite (`embedding_models`), reloaded on later starts, retrained when the catalog drifts.
 * The active model's id names the vector collection, so a model change is a new index.
 */
@Injectable()
export class EmbeddingModelService {
  private readonly logger = new Logger(EmbeddingModelService.name);
  private active: { model: FoodConceptModel; provider: EmbeddingProvider } | null = null;
  private candidate: { model: FoodConceptModel; provider: EmbeddingProvider } | null = null;
  private readonly models: EmbeddingModelRepository;
  private readonly recipes: RecipeRowsRepository;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly analyses: RecipeAnalysisMemo,
    private readonly lexicon: FoodLexicon,
  ) {
    this.models = new EmbeddingModelRepository(dataSource);
    this.recipes = new RecipeRowsRepository(dataSource);
  }

  /** The active provider: the stored model, or one trained now from the catalog if there is none. */
  async load(): Promise<EmbeddingProvider> {
    if (this.active) return this.active.provider;
    const stored = await this.models.activeState(FOOD_CONCEPT_FORMAT);
    let model: FoodConceptModel;
    if (stored !== null) {
      model = FoodConceptModel.fromJSON(JSON.parse(stored));
    } else {
      const started = Date.now();
      const { analyses, sample } = await this.trainingSet();
      model = this.trainer().train(analyses, {}, sample);
      await this.save(model, true);
      this.logger.log(`Trained food-concept model ${model.modelId} in ${Date.now() - started} ms`);
    }
    this.active = { model, provider: await this.build(model) };
    return this.active.provider;
  }

  /**
   * Makes the stored model `conceptModelId` the one this process embeds with, without changing
   * which model is marked active: a process following an index swapped in by another one.
   */
  async use(conceptModelId: string): Promise<EmbeddingProvider> {
    for (const loaded of [this.active, this.candidate]) {
      if (loaded?.model.modelId === conceptModelId) {
        this.active = loaded;
        return loaded.provider;
      }
    }
    const stored = await this.models.stateOf(conceptModelId);
    if (stored === null) throw new Error(`Model ${conceptModelId} is not stored`);
    const model = FoodConceptModel.fromJSON(JSON.parse(stored));
    this.active = { model, provider: await this.build(model) };
    return this.active.provider;
  }

  /** The food-concept model id behind a provider this service built (the stored model's key). */
  conceptModelIdOf(provider: EmbeddingProvider): string {
    for (const loaded of [this.active, this.candidate]) if (loaded?.provider === provider) return loaded.model.modelId;
    throw new Error(`Provider ${provider.modelId} was not built by this service`);
  }

  /** The food-concept model behind a provider this service built: its concept vectors and IDF. */
  conceptModelOf(provider: EmbeddingProvider): FoodConceptModel {
    for (const loaded of [this.active, this.candidate]) if (loaded?.provider === provider) return loaded.model;
    throw new Error(`Provider ${provider.modelId} was not built by this service`);
  }

  /**
   * The learned concept (see learned-concepts.ts) an ingredient name stands for in the model behind
   * `provider`, when the lexicon does not know the name and that model learned it.
   */
  learnedConceptFor(provider: EmbeddingProvider, name: string): string | undefined {
    const loaded = [this.active, this.candidate].find((entry) => entry?.provider === provider);
    return loaded?.model.learnedConceptFor(name);
  }

  /** Learned concepts named by runs of a query's unrecognised words, in the model behind `provider`. */
  learnedInWords(provider: EmbeddingProvider, words: readonly string[]): Array<{ concept: string; words: string[] }> {
    const loaded = [this.active, this.candidate].find((entry) => entry?.provider === provider);
    return loaded?.model.learnedInWords(words) ?? [];
  }

  /**
   * Trains a model on the current catalog and stores it, inactive until `activate`. Stops at its
   * next slice once `signal` is aborted (a shutdown out of patience).
   */
  async train(signal?: AbortSignal): Promise<EmbeddingProvider> {
    // A retrain runs beside requests (in the background after a large change): in slices.
    const { analyses, sample } = await this.trainingSet(signal);
    const model = await this.trainer().trainInSlices(analyses, {}, signal, sample);
    await this.save(model, false);
    this.candidate = { model, provider: await this.build(model) };
    return this.candidate.provider;
  }

  /**
   * Marks the loaded model (or the candidate) with this provider id active, in memory and in
   * SQLite. A retrain that learned the model already serving keeps the serving provider: the
   * index and every lookup by provider hold that object, and a new one for the same model made
   * the families, the anomalies and the learned concepts fail until a restart.
   */
  async activate(modelId: string): Promise<void> {
    const next = this.active?.provider.modelId === modelId ? this.active : this.candidate;
    if (!next || next.provider.modelId !== modelId) throw new Error(`Model ${modelId} is not loaded`);
    // Keep the new model and its predecessor; older ones have no index any more.
    await this.models.activate(FOOD_CONCEPT_FORMAT, next.model.modelId, this.active?.model.modelId ?? '');
    this.active = next;
    this.candidate = null;
  }

  /** Forgets a candidate whose index failed to build, and its stored state unless it is in use. */
  async discard(provider: EmbeddingProvider): Promise<void> {
    if (this.candidate?.provider !== provider) return;
    const { modelId } = this.candidate.model;
    this.candidate = null;
    if (this.active?.model.modelId === modelId) return;
    await this.models.deleteInactive(modelId);
  }

  /** How many recipes the catalog held when the active model was trained (0 before it is loaded), sampled or not. */
  trainedRecipeCount(): number {
    return this.active?.model.sample.catalogSize ?? 0;
  }

  /**
   * Share of the catalog that changed, in what the model learns from, since the active model was
   * trained. A model trained on a sample compares the same sample (by recipe id) of the catalog
   * now, which estimates the share for the whole catalog.
   */
  async catalogDrift(signal?: AbortSignal): Promise<number> {
    if (!this.active) return 0;
    const { model } = this.active;
    const fingerprints: string[] = [];
    const ids = await this.recipes.idsInOrder();
    await this.eachAnalysis(sampled(ids, model.sample.rate), (analysis) => fingerprints.push(recipeFingerprint(analysis)), signal);
    return catalogDrift(model.trainedOn, fingerprints).share;
  }

  /** A normalised name the lexicon resolves ("4 cloves, garlic" → garlic) is the lexicon's concept, never a learned one. */
  private trainer(): FoodConceptTrainer {
    return new FoodConceptTrainer({ isKnown: (name) => this.lexicon.resolveIngredient(name) !== undefined });
  }

  /** What a model learns from: the catalog's analyses, or a sample's once the catalog is larger than TRAINING_SAMPLE_MAX. */
  private async trainingSet(signal?: AbortSignal): Promise<{ analyses: RecipeAnalysis[]; sample: TrainingSample }> {
    const ids = await this.recipes.idsInOrder();
    const sample = trainingSample(ids.length, this.config.embedding.trainingSampleMax);
    const analyses: RecipeAnalysis[] = [];
    await this.eachAnalysis(sampled(ids, sample.rate), (analysis) => analyses.push(analysis), signal);
    return { analyses, sample };
  }

  /**
   * The analyses of recipes `rows`, in their order. Read a page at a time and analysed a few
   * milliseconds at a time: the drift check and a retrain run beside requests, and the whole
   * catalog in one piece (6,000 recipes, 1,000 of them with 250 ingredients) held the event loop
   * for seconds.
   */
  private async eachAnalysis(
    rows: ReadonlyArray<{ id: string }>,
    visit: (analysis: RecipeAnalysis) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const budget = new EventLoopBudget();
    for (let i = 0; i < rows.length; i += ANALYSIS_BATCH) {
      // A page at a time, stopping between them once aborted: at 1,000,000 recipes the whole pass
      // takes minutes. In id order, as `rows` is.
      const ids = rows.slice(i, i + ANALYSIS_BATCH).map((row) => row.id);
      const batch = await this.recipes.recipesInPages(ids, CATALOG_PAGE, async () => {
        await budget.yieldIfSpent();
        signal?.throwIfAborted();
      });
      // Not kept: one pass reads every recipe once (see RecipeAnalysisMemo.analysesOf).
      for (const analysis of await this.analyses.analysesOf(batch, { keep: false })) {
        await budget.yieldIfSpent();
        visit(analysis);
      }
    }
  }

  private async save(model: FoodConceptModel, active: boolean): Promise<void> {
    await this.models.save({ id: model.modelId, kind: FOOD_CONCEPT_FORMAT, state: JSON.stringify(model.toJSON()) }, active);
  }

  private build(model: FoodConceptModel): Promise<EmbeddingProvider> {
    return createEmbeddingProvider(this.embeddingOptions(), { foodConcepts: model });
  }

  private embeddingOptions(): EmbeddingOptions {
    const { embedding, vectorStore } = this.config;
    const distance = vectorStore.distance;
    switch (embedding.provider) {
      case 'food-concepts':
        return { provider: 'food-concepts', distance };
      case 'use-lite':
        return { provider: 'use-lite', distance, textModel: { maxInputChars: Math.min(embedding.maxInputChars, 1000) } };
      case 'openai-compatible':
        return {
          provider: 'openai-compatible',
          distance,
          textModel: {
            baseUrl: embedding.baseUrl!,
            model: embedding.model!,
            apiKey: embedding.apiKey,
            dimensions: embedding.dimensions,
            batchSize: embedding.batchSize,
            timeoutMs: embedding.timeoutMs,
            retries: embedding.retries,
            maxInputChars: embedding.maxInputChars,
          },
        };
    }
  }
}

function sampled(rows: ReadonlyArray<{ id: string }>, rate: number): ReadonlyArray<{ id: string }> {
  return rate >= 1 ? rows : rows.filter((row) => inTrainingSample(row.id, rate));
}
