import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { RecipeDto } from '../../recipes/dto/recipe.dto';

/** Response shapes shared by every ranked list (search, similar, by-ingredients, recommendations). */

/** RecipeSummary (recipe.types.ts): the fields of a recipe a ranked list carries. */
export class RecipeSummaryDto extends PickType(RecipeDto, [
  'id',
  'name',
  'source',
  'sourceId',
  'category',
  'cuisine',
  'language',
  'diets',
  'flavors',
  'totalMinutes',
  'difficulty',
] as const) {}

export class SourceRefDto {
  @ApiProperty()
  id: string;

  @ApiProperty()
  source: string;
}

/** Why a recipe matched, in data: what a client can show next to the hit. */
export class ExplanationDto {
  @ApiProperty({ type: [String], example: ['鸡胸肉'], description: "The recipe's own ingredient names that match what was asked for" })
  matchedIngredients: string[];

  @ApiProperty({
    type: [String],
    example: ['spicy'],
    description: 'Query words or properties (flavor, method, course, cuisine, diet) that matched',
  })
  matchedTerms: string[];

  @ApiPropertyOptional({ type: [String], description: 'Pantry mode: non-staple ingredients the cook does not have' })
  missingIngredients?: string[];

  @ApiPropertyOptional({
    type: [SourceRefDto],
    description: 'The same dish (same name) from other sources, folded into this hit: at most 8, the best-ranked',
  })
  alsoIn?: SourceRefDto[];

  @ApiPropertyOptional({ type: [String], description: 'Recommendations: names of the liked dishes this hit is closest to' })
  becauseYouLiked?: string[];
}

export class RankedHitDto {
  @ApiProperty({ type: RecipeSummaryDto })
  recipe: RecipeSummaryDto;

  @ApiProperty({ example: 0.91, description: 'Higher is better; comparable within one list only' })
  score: number;

  @ApiProperty({ type: ExplanationDto })
  why: ExplanationDto;
}

/** The fields of every ranked page; each route's page adds its own. */
export class RankedPageDto {
  @ApiProperty({
    description:
      'Results of the list as far as this page reached: at most the route’s candidate pool, exact at the end of the list, and it can grow once a page reaches past the first ranking',
  })
  total: number;

  @ApiProperty()
  limit: number;

  @ApiProperty()
  offset: number;
}

/** The filters a list was made under, as the service applied them (explicit and parsed from the text). */
export class AppliedFiltersDto {
  @ApiPropertyOptional({ type: [String] })
  ids?: string[];

  @ApiPropertyOptional({ type: [String] })
  excludeIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  sources?: string[];

  @ApiPropertyOptional({ type: [String] })
  languages?: string[];

  @ApiPropertyOptional({ type: [String], example: ['meat-dish'] })
  categories?: string[];

  @ApiPropertyOptional({ type: [String], example: ['sichuan'] })
  cuisines?: string[];

  @ApiPropertyOptional({ type: [String], example: ['vegetarian'], description: 'Every one of these diets' })
  diets?: string[];

  @ApiPropertyOptional({ type: [String], example: ['peanut'], description: 'No recipe with any of these allergen groups' })
  excludeAllergens?: string[];

  @ApiPropertyOptional({ type: [String], example: ['coriander'], description: 'No recipe with any of these ingredient concepts' })
  excludeConcepts?: string[];

  @ApiPropertyOptional({ example: 30 })
  maxMinutes?: number;

  @ApiPropertyOptional({ description: 'Recipes without a known time are left out too' })
  requireMinutes?: boolean;
}
