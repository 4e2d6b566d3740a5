/**
 * The bulk-preparation thread: its own lexicon, analyzer and validation pipe, so parsing and
 * normalising a large bulk never runs on (or fills the heap of) the thread answering requests.
 */
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../common/app-error';
import { createValidationPipe } from '../../common/validation';
import { FoodLexicon } from '../../text/food-lexicon';
import { RecipeAnalyzer } from '../../text/recipe-analyzer';
import { TextAnalyzer } from '../../text/text-analyzer';
import { RecipeNormalizer } from '../recipe-normalizer';
import { prepareBulk } from './bulk-preparation';
import type { BulkRequest, BulkResponse, BulkWorkerData } from './bulk-preparer';

const { lexiconExtraPath, maxDepth } = workerData as BulkWorkerData;
const lexicon = FoodLexicon.load(lexiconExtraPath ?? undefined);
const tools = {
  pipe: createValidationPipe(),
  normalizer: new RecipeNormalizer(new RecipeAnalyzer(lexicon, new TextAnalyzer(lexicon))),
  maxDepth,
};

parentPort!.on('message', (request: BulkRequest) => {
  void prepareBulk(request.bytes, tools).then(
    (prepared): void => reply({ id: request.id, prepared }),
    (error: unknown): void =>
      reply({
        id: request.id,
        error:
          error instanceof AppError
            ? { code: error.code, message: error.message, details: error.details }
            : { message: error instanceof Error ? error.message : String(error) },
      }),
  );
});

function reply(response: BulkResponse): void {
  parentPort!.postMessage(response);
}
