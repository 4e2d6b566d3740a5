import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RecipeAnalyzer } from '../text/recipe-analyzer';
import { RecipeAnalysis } from '../text/text.types';
import { Ingredient, Recipe, RecipeInput } from './recipe.types';

/** A recipe ready to store: cleaned fields, concept tags, derived allergens/diets and its content hash. */
export type NormalizedRecipe = Omit<Recipe, 'id' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class RecipeNormalizer {
  constructor(private readonly analyzer: RecipeAnalyzer) {}

  /** The language a recipe of this name is given when its input names none. */
  detectedLanguage(name: string): string {
    return this.analyzer.detectLanguage(name.trim());
  }

  normalize(input: RecipeInput): NormalizedRecipe {
    const cleaned: RecipeInput = {
      ...input,
      name: input.name.trim(),
      source: input.source.trim(),
      sourceId: input.sourceId.trim(),
      ingredients: cleanIngredients(input.ingredients),
      description: text(input.description) ?? undefined,
      category: slug(input.category) ?? undefined,
      cuisine: slug(input.cuisine) ?? undefined,
      diets: list(input.diets, true),
      flavors: list(input.flavors, true),
      methods: list(input.methods, false),
      tags: list(input.tags, false),
      tools: list(input.tools, false),
    };
    const analysis: RecipeAnalysis = this.analyzer.analyze(cleaned);
    const recipe: Omit<NormalizedRecipe, 'contentHash'> = {
      name: cleaned.name,
      source: cleaned.source,
      sourceId: cleaned.sourceId,
      description: cleaned.description ?? null,
      language: text(input.language)?.toLowerCase() ?? analysis.language,
      category: cleaned.category ?? null,
      cuisine: cleaned.cuisine ?? null,
      region: text(input.region),
      ingredients: cleaned.ingredients,
      steps: list(input.steps, false),
      tags: cleaned.tags ?? [],
      diets: analysis.diets,
      flavors: cleaned.flavors ?? [],
      methods: cleaned.methods ?? [],
      tools: cleaned.tools ?? [],
      allergens: analysis.allergens,
      totalMinutes: input.totalMinutes ?? null,
      difficulty: input.difficulty ?? null,
      calories: input.calories ?? null,
      servings: input.servings ?? null,
      url: text(input.url),
      extra: input.extra ?? {},
    };
    return { ...recipe, contentHash: contentHash(recipe) };
  }
}

/** Hash of everything a recipe says; equal hashes mean an upsert changes nothing. */
export function contentHash(recipe: object): string {
  return createHash('sha256').update(stableStringify(recipe)).digest('hex').slice(0, 32);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function text(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function slug(value: string | undefined | null): string | null {
  const trimmed = text(value);
  return trimmed ? trimmed.toLowerCase().replace(/\s+/g, '-') : null;
}

function list(values: string[] | undefined, lowercase: boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of values ?? []) {
    const value = lowercase ? raw.trim().toLowerCase() : raw.trim();
    if (!value || seen.has(value.toLowerCase())) continue;
    seen.add(value.toLowerCase());
    out.push(value);
  }
  return out;
}

function cleanIngredients(ingredients: Ingredient[]): Ingredient[] {
  const out: Ingredient[] = [];
  const seen = new Set<string>();
  for (const ingredient of ingredients) {
    const name = ingredient.name.trim();
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    const clean: Ingredient = { name };
    const quantity = text(ingredient.quantity);
    if (quantity) clean.quantity = quantity;
    if (ingredient.optional) clean.optional = true;
    out.push(clean);
  }
  return out;
}
