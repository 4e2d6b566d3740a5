import { join } from 'node:path';
import { OnModuleDestroy } from '@nestjs/common';
import { WorkerHost } from '../common/worker-host';
import type { PreparedBulk } from '../recipes/bulk/bulk-preparation';
import type { RecipeInput } from '../recipes/recipe.types';
import type { RecipeAnalysis } from './text.types';

/** A bulk import sends its next bulk within seconds; an operator's next import may come hours later. */
const TEXT_THREAD_IDLE_MS = 30_000;

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
 * would otherwise hold the event loop: preparing bulk bodies (BulkPreparer) and analysing stored
 * recipes by the batch (RecipeAnalysisMemo: an import's index batches, a drift check, a
 * retrain's training set and its new collection, the catalog view's load). One thread for both,
 * because each loads the lexicon and jieba: the process's RSS grew by 119 MiB with the thread
 * after one bulk of 1,000 recipes and by 176 MiB after 30 (built thread, the bench's synthetic
 * bulks), and an import needs both kinds of work at once. The first task waits for the thread
 * to load the lexicon and jieba (about a second).
 */
export class TextThread extends WorkerHost<TextThreadTask> implements OnModuleDestroy {
  constructor(data: TextThreadData) {
    super(join(__dirname, 'text-thread.worker'), data, 'text thread', TEXT_THREAD_IDLE_MS);
  }

  override run<K extends TextThreadTask['kind']>(
    task: Extract<TextThreadTask, { kind: K }>,
    transfer: ArrayBuffer[] = [],
  ): Promise<TextThreadResults[K]> {
    return super.run(task, transfer) as Promise<TextThreadResults[K]>;
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }
}
