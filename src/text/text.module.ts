import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { FoodLexicon } from './food-lexicon';
import { QueryParser } from './query-parser';
import { RECIPE_ANALYSIS_MEMO_BYTES, RECIPE_ANALYSIS_MEMO_IDLE_MS, RecipeAnalysisMemo } from './recipe-analysis-memo';
import { RecipeAnalyzer } from './recipe-analyzer';
import { TextAnalyzer } from './text-analyzer';
import { TextThread } from './text-thread';

/** The food-understanding layer: one lexicon and one jieba instance per process. */
@Module({
  providers: [
    {
      provide: FoodLexicon,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => FoodLexicon.load(config.lexiconExtraPath ?? undefined),
    },
    { provide: TextAnalyzer, inject: [FoodLexicon], useFactory: (lexicon: FoodLexicon) => new TextAnalyzer(lexicon) },
    {
      provide: RecipeAnalyzer,
      inject: [FoodLexicon, TextAnalyzer],
      useFactory: (lexicon: FoodLexicon, text: TextAnalyzer) => new RecipeAnalyzer(lexicon, text),
    },
    {
      provide: TextThread,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new TextThread({ lexiconExtraPath: config.lexiconExtraPath, maxDepth: config.jsonMaxDepth }),
    },
    // One per process: the index synchroniser, the catalog view and the model's training share it.
    {
      provide: RecipeAnalysisMemo,
      inject: [RecipeAnalyzer, TextThread, APP_CONFIG],
      useFactory: (analyzer: RecipeAnalyzer, thread: TextThread, config: AppConfig) =>
        new RecipeAnalysisMemo(analyzer, RECIPE_ANALYSIS_MEMO_BYTES, RECIPE_ANALYSIS_MEMO_IDLE_MS, {
          thread,
          minRecipes: config.analysisThreadMinRecipes,
        }),
    },
    { provide: QueryParser, inject: [TextAnalyzer], useFactory: (text: TextAnalyzer) => new QueryParser(text) },
  ],
  exports: [FoodLexicon, TextAnalyzer, RecipeAnalyzer, RecipeAnalysisMemo, TextThread, QueryParser],
})
export class TextModule {}
