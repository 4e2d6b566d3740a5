import { Logger } from '@nestjs/common';
import { EventLoopBudget } from '../common/event-loop';
import { toRecipeInput } from '../recipes/recipe-mapper';
import { Recipe } from '../recipes/recipe.types';
import { RecipeAnalyzer } from './recipe-analyzer';
import { TextThread } from './text-thread';
import { RecipeAnalysis } from './text.types';

/**
 * Heap the memo may hold, by the estimate of `estimatedBytes`. One import reaches the index (the
 * outbox worker) and the catalog view (its reload) at different times; the later of the two
 * finds the earlier one's analyses while it runs less than this far behind: ~28,000 recipes of
 * the seed's kind, ~21,000 of the load bench's 250 known ingredients, ~2,000 of 250 ingredients
 * the lexicon does not know. Bounded in bytes, not entries: an analysis of the last kind holds
 * ~11 KB, one of a seed-like recipe under 1 KB.
 */
export const RECIPE_ANALYSIS_MEMO_BYTES = 32 * 1024 * 1024;

/**
 * The memo empties itself after this long unused. Its entries serve the import running now:
 * once the index and the catalog view have caught up, none is asked for again, and a full memo
 * held ~30 MiB for the process's life (28 MiB of analyses live in a sampled heap profile of the
 * 100,000-recipe catalog after a retrain). The view runs at most seconds behind the index.
 */
export const RECIPE_ANALYSIS_MEMO_IDLE_MS = 30_000;

/**
 * The analysis of a stored recipe, computed once per content version and shared by the paths
 * that read stored recipes: the index synchroniser (analysis → embedding → payload) and the
 * catalog view (CatalogRecipe). Each of them analysed every imported recipe again, so an import
 * cost the main thread two analyses per recipe beside the write path's own (which runs in the
 * bulk-preparation thread, on the recipe as sent; see below why that one is not reused).
 *
 * Keyed by the recipe's content hash: every write goes through RecipeNormalizer, whose hash
 * covers every stored field the analyzer reads (name, source, language, category, cuisine,
 * region, ingredient names and `optional`, tags, diets, flavors, methods, tools), so an equal
 * hash means an equal analysis, and a changed recipe has a new hash and is analysed again. The
 * analyzer's lexicon is fixed for the life of the process; another process (a replica) has its
 * own memo and simply misses.
 *
 * Oldest first out, and a hit does not renew an entry: an import's analyses are each wanted
 * about twice and then not again, so renewing would keep spent entries in place of fresh ones.
 * Returned analyses are frozen: they are shared, and a user that changed one would change it
 * for the other.
 *
 * Why, measured in one process on a busy machine (medians of 5 rounds; per 1,000 recipes read
 * back from the catalog): 20,000 synthetic recipes drawn from the seed's statistics (4.7
 * ingredients on average) cost 73 ms to analyse once, a memo hit 0.3 ms, so the index and view
 * paths together went from 149 to 75 ms; 2,000 recipes of 250 ingredient lines (the load bench's
 * bulks) from 2,516 to 1,412 ms. The memo's results equalled fresh analyses for all of them.
 * Heap held per entry, measured: ~0.2–0.8 KB for seed-like recipes, ~1 KB for 250 resolved
 * lines, ~11 KB for 250 lines the lexicon does not know.
 *
 * Handing the bulk preparation's analysis back with its rows would cost less than analysing
 * here (10 ms per 1,000 to deserialise, measured), but it is not the stored recipe's analysis:
 * that one reads the stored, derived diets and the cleaned language, so a recipe from a source
 * that says "non vegetarian" but lists no meat analyses differently. Equal on all 20,000
 * synthetic recipes, unequal by construction, so not used. The stored recipes themselves are
 * analysed in the text thread when many come at once (`analysesOf`).
 */
export class RecipeAnalysisMemo {
  private readonly logger = new Logger(RecipeAnalysisMemo.name);
  private readonly analyses = new Map<string, { analysis: RecipeAnalysis; bytes: number }>();
  /** Content hash → its analysis, while it is being worked out in the text thread. */
  private readonly inThread = new Map<string, Promise<RecipeAnalysis>>();
  private heldBytes = 0;
  private usedAt = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly analyzer: RecipeAnalyzer,
    readonly maxBytes = RECIPE_ANALYSIS_MEMO_BYTES,
    readonly idleMs = RECIPE_ANALYSIS_MEMO_IDLE_MS,
    private readonly thread: { thread: TextThread; minRecipes: number } | null = null,
  ) {}

  /** Entries held now. */
  get size(): number {
    return this.analyses.size;
  }

  /** Estimated heap of the entries held now (see `estimatedBytes`). */
  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * The analysis of `recipe` as stored; frozen, to be read and never changed. `keep: false` for a
   * reader that is the only one to want it (a retrain reads every recipe once, and the catalog
   * view already holds them): it is not kept, and the memo's entries are left as they were.
   */
  analysisOf(recipe: Recipe, options: { keep?: boolean } = {}): RecipeAnalysis {
    const known = this.analyses.get(recipe.contentHash);
    const keep = options.keep ?? true;
    if (keep) this.used();
    if (known) return known.analysis;
    return this.remember(recipe, this.analyzer.analyze(toRecipeInput(recipe)), keep);
  }

  /**
   * `analysisOf` for each of `recipes`, in their order. While an import runs (the text thread
   * prepares its bulks, see TextThread.servingBulks), at least the thread's `minRecipes` of them
   * not held are analysed there while the event loop goes on; otherwise, and for fewer (a single
   * write's index batch), here, a few milliseconds at a time, as is everything when the thread
   * fails. An analysis costs ~80 µs of CPU for a seed-like recipe; sending one to the thread and
   * its analysis back cost the event loop ~12 µs (5,000 synthetic recipes: 385–568 ms to
   * analyse, 79–93 ms to clone the inputs and 34–43 ms the analyses, each clone counted whole,
   * on this 2-core machine).
   */
  async analysesOf(recipes: readonly Recipe[], options: { keep?: boolean } = {}): Promise<RecipeAnalysis[]> {
    const keep = options.keep ?? true;
    if (keep) this.used();
    const out: RecipeAnalysis[] = new Array<RecipeAnalysis>(recipes.length);
    const missing: number[] = [];
    const awaited: Array<Promise<void>> = [];
    recipes.forEach((recipe, i) => {
      const known = this.analyses.get(recipe.contentHash);
      const sent = known ? undefined : this.inThread.get(recipe.contentHash);
      if (known) out[i] = known.analysis;
      else if (sent) awaited.push(sent.then((analysis) => void (out[i] = analysis)));
      else missing.push(i);
    });
    const threaded =
      this.thread && this.thread.minRecipes > 0 && missing.length >= this.thread.minRecipes && this.thread.thread.servingBulks()
        ? this.thread.thread
        : null;
    if (threaded) {
      // While they are there, a request for the same recipes waits for them rather than sending
      // them again: an import's index batches and the catalog view's reload ask for the same new
      // recipes at about the same time.
      const work = this.analyseInThread(threaded, recipes, missing, out, keep);
      for (const i of missing)
        this.inThread.set(
          recipes[i].contentHash,
          work.then(() => out[i]),
        );
      try {
        await work;
      } finally {
        for (const i of missing) this.inThread.delete(recipes[i].contentHash);
      }
    } else {
      await this.analyseHere(recipes, missing, out, keep);
    }
    await Promise.all(awaited);
    return out;
  }

  /** `missing` of `recipes` analysed in the text thread, into `out`; here if the thread fails. */
  private async analyseInThread(
    thread: TextThread,
    recipes: readonly Recipe[],
    missing: number[],
    out: RecipeAnalysis[],
    keep: boolean,
  ): Promise<void> {
    try {
      const analyses = await thread.run({ kind: 'analyse', recipes: missing.map((i) => toRecipeInput(recipes[i])) });
      missing.forEach((i, k) => (out[i] = this.remember(recipes[i], analyses[k], keep)));
    } catch (error) {
      this.logger.warn(`Analysing ${missing.length} recipes in the text thread failed, analysing them here: ${(error as Error).message}`);
      await this.analyseHere(recipes, missing, out, keep);
    }
  }

  /** `missing` of `recipes` analysed on this thread, a few milliseconds at a time, into `out`. */
  private async analyseHere(recipes: readonly Recipe[], missing: number[], out: RecipeAnalysis[], keep: boolean): Promise<void> {
    const budget = new EventLoopBudget();
    for (const i of missing) {
      await budget.yieldIfSpent();
      out[i] = this.remember(recipes[i], this.analyzer.analyze(toRecipeInput(recipes[i])), keep);
    }
  }

  /** A fresh analysis of `recipe`, frozen, and held when `keep`. */
  private remember(recipe: Recipe, fresh: RecipeAnalysis, keep: boolean): RecipeAnalysis {
    const analysis = frozen(fresh);
    if (!keep) return analysis;
    // Analysed twice at once (two batches awaiting the thread): the first one held counts.
    const held = this.analyses.get(recipe.contentHash);
    if (held) return held.analysis;
    const bytes = estimatedBytes(analysis);
    this.analyses.set(recipe.contentHash, { analysis, bytes });
    this.heldBytes += bytes;
    for (const [hash, oldest] of this.analyses) {
      if (this.heldBytes <= this.maxBytes || this.analyses.size === 1) break;
      this.analyses.delete(hash);
      this.heldBytes -= oldest.bytes;
    }
    return analysis;
  }

  private used(): void {
    this.usedAt = Date.now();
    this.idleTimer ??= setTimeout(() => this.clearIfIdle(), this.idleMs).unref();
  }

  private clearIfIdle(): void {
    const idle = Date.now() - this.usedAt;
    if (idle < this.idleMs) {
      this.idleTimer = setTimeout(() => this.clearIfIdle(), this.idleMs - idle).unref();
      return;
    }
    this.idleTimer = null;
    this.analyses.clear();
    this.heldBytes = 0;
  }
}

/**
 * Heap one analysis holds, roughly: the object and its arrays, and the strings that are its own
 * (unresolved names, name words). Concept ids are the lexicon's strings, shared. Against the
 * heap measured with 60,000 seed-like and 6,000 250-ingredient entries it errs on the high side.
 */
export function estimatedBytes(analysis: RecipeAnalysis): number {
  let bytes = 400;
  for (const list of [analysis.ingredientConcepts, analysis.propertyConcepts, analysis.allergens, analysis.diets]) bytes += 8 * list.length;
  for (const list of [analysis.unresolvedIngredients, analysis.terms]) for (const text of list) bytes += 32 + 2 * text.length;
  return bytes;
}

function frozen(analysis: RecipeAnalysis): RecipeAnalysis {
  Object.freeze(analysis.ingredientConcepts);
  Object.freeze(analysis.unresolvedIngredients);
  Object.freeze(analysis.propertyConcepts);
  Object.freeze(analysis.allergens);
  Object.freeze(analysis.diets);
  Object.freeze(analysis.terms);
  return Object.freeze(analysis);
}
