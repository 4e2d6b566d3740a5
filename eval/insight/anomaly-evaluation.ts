import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AnomalyCode } from '../../src/catalog-insight/anomalies';
import { CatalogInsightService } from '../../src/catalog-insight/catalog-insight.service';
import { recipePayload } from '../../src/indexing/recipe-document';
import { toRecipeInput, toSummary } from '../../src/recipes/recipe-mapper';
import { RecipeRowsRepository } from '../../src/recipes/recipe-rows.repository';
import { Recipe } from '../../src/recipes/recipe.types';
import { RecipeInput } from '../../src/recipes/recipe.types';
import { buildCatalogRecipe } from '../../src/search/catalog-recipe';
import { FoodLexicon } from '../../src/text/food-lexicon';
import { RecipeAnalyzer } from '../../src/text/recipe-analyzer';
import { formatTable } from '../eval-report';

/** One way of breaking a real recipe, and the code that should catch it. */
interface Corruption {
  id: string;
  code: AnomalyCode;
  apply(recipe: RecipeInput): RecipeInput;
}

const zh = (r: RecipeInput) => r.language === 'zh';

/** Nonsense ingredient names no lexicon resolves: what a scraper's broken page yields. */
const GIBBERISH = ['qxvr blent', 'zumtr ploke', 'fwazzle root', 'grindolk paste', 'vorpish leaf', 'snarbit'];

/** Ingredients from unrelated corners of the lexicon: no family's dish. */
const ODD_MIX = ['chocolate', 'squid', 'lamb', 'matcha', 'blue cheese', 'pineapple', 'anchovy', 'marshmallow'];

export const CORRUPTIONS: readonly Corruption[] = [
  {
    id: 'vegetarian claim + pork',
    code: 'DIET_CONTRADICTION',
    apply: (r) => ({
      ...r,
      tags: [...(r.tags ?? []), zh(r) ? '素食' : 'vegetarian'],
      ingredients: [...r.ingredients, { name: zh(r) ? '猪肉' : 'pork' }],
    }),
  },
  {
    id: 'gluten-free claim + flour',
    code: 'ALLERGEN_CONTRADICTION',
    apply: (r) => ({
      ...r,
      tags: [...(r.tags ?? []), zh(r) ? '无麸质' : 'gluten-free'],
      ingredients: [...r.ingredients, { name: zh(r) ? '面粉' : 'wheat flour' }],
    }),
  },
  {
    id: 'time 0 or 20,000 min',
    code: 'IMPLAUSIBLE_TIME',
    apply: (r) => ({ ...r, totalMinutes: r.name.length % 2 === 0 ? 0 : 20_000 }),
  },
  {
    id: 'empty or 60-line list',
    code: 'IMPLAUSIBLE_INGREDIENT_COUNT',
    apply: (r) => ({
      ...r,
      ingredients:
        r.name.length % 2 === 0
          ? []
          : Array.from({ length: 60 }, (_, i) => ({ name: r.ingredients[i % Math.max(1, r.ingredients.length)]?.name ?? 'salt' })),
    }),
  },
  {
    id: 'unresolvable ingredients',
    code: 'UNRESOLVED_INGREDIENTS',
    apply: (r) => ({ ...r, ingredients: GIBBERISH.slice(0, Math.max(3, Math.min(6, r.ingredients.length))).map((name) => ({ name })) }),
  },
  {
    id: 'language label flipped',
    code: 'LANGUAGE_MISMATCH',
    apply: (r) => ({ ...r, language: zh(r) ? 'en' : 'zh' }),
  },
  {
    id: 'unrelated ingredient mix',
    code: 'FAR_FROM_FAMILIES',
    apply: (r) => ({
      ...r,
      category: undefined,
      cuisine: undefined,
      tags: [],
      flavors: [],
      methods: [],
      ingredients: ODD_MIX.map((name) => ({ name })),
    }),
  },
];

export interface AnomalyEvaluation {
  originals: number;
  /** Originals with a finding (any code but DUPLICATE): counted as false alarms. */
  originalsFlagged: number;
  corrupted: number;
  corruptedFlagged: number;
  precision: number;
  /** Corrupted copies flagged with the injected code. */
  recall: number;
  perCorruption: Array<{ id: string; code: AnomalyCode; copies: number; caught: number; recall: number; falseAlarmsOnOriginals: number }>;
}

/** Copies per corruption: every recipe in the sample gets one corruption, in turn. */
export const COPIES_PER_CORRUPTION = 40;

/**
 * Corrupted copies of real recipes, checked against the families computed on the real catalog
 * (never written to it), next to the same recipes unchanged. A finding on an unchanged recipe
 * counts against precision even when the source really is wrong there, so precision is a floor.
 */
export async function evaluateAnomalies(app: INestApplicationContext): Promise<AnomalyEvaluation> {
  const service = app.get(CatalogInsightService);
  const analyzer = app.get(RecipeAnalyzer);
  const lexicon = app.get(FoodLexicon);
  const rows = new RecipeRowsRepository(app.get(DataSource));
  const entities = (await rows.recipes(await rows.idsInTableOrder())).sort((a, b) =>
    `${a.source}:${a.sourceId}` < `${b.source}:${b.sourceId}` ? -1 : 1,
  );
  const sampleSize = COPIES_PER_CORRUPTION * CORRUPTIONS.length;
  const step = Math.max(1, Math.floor(entities.length / sampleSize));
  const sample = entities.filter((_, i) => i % step === 0).slice(0, sampleSize);

  const check = async (input: RecipeInput, base: Recipe) => {
    const copy: RecipeInput = JSON.parse(JSON.stringify(input));
    const analysis = analyzer.analyze(copy);
    const entity = {
      ...base,
      ...copy,
      category: copy.category ?? null,
      cuisine: copy.cuisine ?? null,
      totalMinutes: copy.totalMinutes ?? null,
    } as Recipe;
    const recipe = buildCatalogRecipe(lexicon, {
      summary: { ...toSummary(entity), language: copy.language ?? analysis.language },
      ingredients: copy.ingredients,
      analysis,
      payload: recipePayload(entity, analysis, (id) => lexicon.ancestors(id)),
    });
    const text = { tags: copy.tags ?? [], steps: copy.steps?.length ?? 0, hasDescription: !!copy.description };
    return (await service.inspect(recipe, text)).map((a) => a.code);
  };

  let originalsFlagged = 0;
  const perCorruption = CORRUPTIONS.map((c) => ({ id: c.id, code: c.code, copies: 0, caught: 0, recall: 0, falseAlarmsOnOriginals: 0 }));
  let corruptedFlagged = 0;
  for (let i = 0; i < sample.length; i++) {
    const base = sample[i];
    const input = toRecipeInput(base);
    const original = await check(input, base);
    if (original.length > 0) originalsFlagged++;
    const c = i % CORRUPTIONS.length;
    const corruption = CORRUPTIONS[c];
    const codes = await check(corruption.apply(input), base);
    const row = perCorruption[c];
    row.copies++;
    if (original.includes(corruption.code)) row.falseAlarmsOnOriginals++;
    if (codes.length > 0) corruptedFlagged++;
    if (codes.includes(corruption.code)) row.caught++;
  }
  for (const row of perCorruption) row.recall = row.copies ? row.caught / row.copies : 0;
  const caught = perCorruption.reduce((n, r) => n + r.caught, 0);
  return {
    originals: sample.length,
    originalsFlagged,
    corrupted: sample.length,
    corruptedFlagged,
    precision: corruptedFlagged + originalsFlagged === 0 ? 0 : corruptedFlagged / (corruptedFlagged + originalsFlagged),
    recall: sample.length ? caught / sample.length : 0,
    perCorruption,
  };
}

export function anomalyTable(e: AnomalyEvaluation): string {
  return formatTable(
    ['corruption', 'code', 'copies', 'caught', 'recall', 'same code on originals'],
    e.perCorruption.map((r) => [r.id, r.code, String(r.copies), String(r.caught), r.recall.toFixed(3), String(r.falseAlarmsOnOriginals)]),
  );
}
