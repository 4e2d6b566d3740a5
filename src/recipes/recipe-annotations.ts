import { Injectable } from '@nestjs/common';

type Annotator = (recipeId: string) => Promise<unknown>;

/**
 * Fields other features add to a single-recipe response (`GET /api/recipes/:id`) without the
 * catalog depending on them: a feature registers a named lookup at start, and the response
 * gains that field. A lookup that fails leaves its field null rather than failing the read.
 */
@Injectable()
export class RecipeAnnotations {
  private readonly annotators = new Map<string, Annotator>();

  register(field: string, annotate: Annotator): void {
    this.annotators.set(field, annotate);
  }

  async for(recipeId: string): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [field, annotate] of this.annotators) {
      try {
        out[field] = (await annotate(recipeId)) ?? null;
      } catch {
        out[field] = null;
      }
    }
    return out;
  }
}
