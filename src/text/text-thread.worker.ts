/**
 * The text thread (see TextThread): its own lexicon, analyzer and validation pipe, so parsing a
 * large bulk and analysing many stored recipes never run on (or fill the heap of) the thread
 * answering requests.
 */
import 'reflect-metadata';
import { workerData } from 'node:worker_threads';
import { createValidationPipe } from '../common/validation';
import { serveTasks } from '../common/worker-host';
import { prepareBulk } from '../recipes/bulk/bulk-preparation';
import { RecipeNormalizer } from '../recipes/recipe-normalizer';
import { FoodLexicon } from './food-lexicon';
import { RecipeAnalyzer } from './recipe-analyzer';
import { TextAnalyzer } from './text-analyzer';
import type { TextThreadData, TextThreadTask } from './text-thread';

const { lexiconExtraPath, maxDepth } = workerData as TextThreadData;
const lexicon = FoodLexicon.load(lexiconExtraPath ?? undefined);
const analyzer = new RecipeAnalyzer(lexicon, new TextAnalyzer(lexicon));
const tools = { pipe: createValidationPipe(), normalizer: new RecipeNormalizer(analyzer), maxDepth };

serveTasks(
  (task: TextThreadTask) => {
    switch (task.kind) {
      case 'bulk':
        return prepareBulk(task.bytes, tools);
      case 'analyse':
        return task.recipes.map((recipe) => analyzer.analyze(recipe));
    }
  },
  // A bulk's client waits for its answer; analyses are the index's and the view's catching up.
  { priority: (task) => (task.kind === 'bulk' ? 1 : 0) },
);
