import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { FoodLexicon } from './food-lexicon';
import { QueryParser } from './query-parser';
import { RecipeAnalysisMemo } from './recipe-analysis-memo';
import { RecipeAnalyzer } from './recipe-analyzer';
import { TextAnalyzer } from './text-analyzer';

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
    // One per process: the index synchroniser and the catalog view share it.
    { provide: RecipeAnalysisMemo, inject: [RecipeAnalyzer], useFactory: (analyzer: RecipeAnalyzer) => new RecipeAnalysisMemo(analyzer) },
    { provide: QueryParser, inject: [TextAnalyzer], useFactory: (text: TextAnalyzer) => new QueryParser(text) },
  ],
  exports: [FoodLexicon, TextAnalyzer, RecipeAnalyzer, RecipeAnalysisMemo, QueryParser],
})
export class TextModule {}
