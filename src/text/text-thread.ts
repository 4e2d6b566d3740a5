import { join } from 'node:path';
import { OnModuleDestroy } from '@nestjs/common';
import { WorkerHost } from '../common/worker-host';
import type { PreparedBulk } from '../recipes/bulk/bulk-preparation';
import type { RecipeInput } from '../recipes/recipe.types';
import type { RecipeAnalysis } from './text.types';

/** A bulk import sends its next bulk within seconds; an operator's next import may come hours later. */
const TEXT_THREAD_IDLE_MS = 30_000;

/** An import's bulks follow each other within seconds (4 in flight in the bench, 1,000 recipes each). */
const BULK_IMPORT_GAP_MS = 10_000;

export interface TextThreadData {
  lexiconExtraPath: string | null;
  maxDepth: number;
}

/** What the thread does: prepare a `POST /recipes/bulk` body, or analyse stored recipes. */
export type TextThreadTask = { kind: 'bulk'; bytes: Uint8Array | undefined } | { kind: 'analyse'; recipes: RecipeInput[] };

export interface TextThreadResults {
  bulk: PreparedBulk;
  analyse: RecipeAnalysis[];
}

/**
 * The process's one text thread: its own lexicon, jieba and analyzer, for the text work that
 * would otherwise hold the event loop: preparing bulk bodies (BulkPreparer) and, while an import
 * runs, analysing the stored recipes it wrote by the batch (RecipeAnalysisMemo: the index's
 * batches and the catalog view's reloads; see `servingBulks`). One thread for both,
 * because each loads the lexicon and jieba: the process's RSS grew by 119 MiB with the thread
 * after one bulk of 1,000 recipes and by 176 MiB after 30 (built thread, the bench's synthetic
 * bulks), and an import needs both kinds of work at once. The first task waits for the thread
 * to load the lexicon and jieba (about a second).
 */
export class TextThread extends WorkerHost<TextThreadTask> implements OnModuleDestroy {
  private lastBulkAt = -Infinity;

  constructor(data: TextThreadData) {
    super(join(__dirname, 'text-thread.worker'), data, 'text thread', TEXT_THREAD_IDLE_MS);
  }

  override run<K extends TextThreadTask['kind']>(
    task: Extract<TextThreadTask, { kind: K }>,
    transfer: ArrayBuffer[] = [],
  ): Promise<TextThreadResults[K]> {
    if (task.kind === 'bulk') this.lastBulkAt = performance.now();
    return super.run(task, transfer) as Promise<TextThreadResults[K]>;
  }

  /**
   * Whether a bulk was sent in the last BULK_IMPORT_GAP_MS: the thread runs for an import anyway,
   * and analyses sent to it cost no memory of their own. Started or kept for analyses alone, its
   * ~130-160 MiB (lexicon, jieba, heap) came on top of a retrain's peak, where the event loop's
   * own analyses cost nothing lasting: a 100,000-recipe bench run peaked at 1,179 MiB in the
   * retrain (with the partition k-means in a thread of its own too) against 873-880 MiB.
   */
  servingBulks(now = performance.now()): boolean {
    return now - this.lastBulkAt < BULK_IMPORT_GAP_MS;
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }
}
