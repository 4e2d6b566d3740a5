import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AppliedFiltersDto, RankedHitDto, RankedPageDto } from '../../retrieval/dto/ranked-page.dto';

/** Response shapes of search, similar dishes and by-ingredients (search.types.ts on the wire). */

/** What the query parser made of the text, with the filters the search applied. */
export class ParsedQueryDto {
  @ApiProperty({ example: '不要香菜的牛肉汤' })
  text: string;

  @ApiProperty({ example: 'zh' })
  language: string;

  @ApiProperty({ type: [String], example: ['beef'], description: 'Wanted ingredient concepts' })
  ingredients: string[];

  @ApiProperty({ type: [String], example: ['soup'], description: 'Wanted flavor and method concepts' })
  properties: string[];

  @ApiProperty({ type: [String] })
  cuisines: string[];

  @ApiProperty({ type: [String] })
  categories: string[];

  @ApiProperty({ type: [String], example: ['coriander'], description: 'Ingredient concepts asked to be left out' })
  excludedIngredients: string[];

  @ApiProperty({ type: [String], example: ['peanut'] })
  excludedAllergens: string[];

  @ApiProperty({ type: [String], example: ['vegetarian'] })
  diets: string[];

  @ApiPropertyOptional({ example: 30 })
  maxMinutes?: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['spicy'],
    description: 'Flavor and method concepts asked to be left out ("不辣", "not spicy")',
  })
  excludedProperties?: string[];

  @ApiPropertyOptional({ type: [String], example: ['kung-pao-chicken'], description: 'Well-known dishes recognised in the text' })
  dishes?: string[];

  @ApiProperty({ type: [String], description: 'Words the parser did not recognise, kept for lexical matching' })
  freeText: string[];

  @ApiProperty({ type: AppliedFiltersDto })
  filters: AppliedFiltersDto;
}

export class SearchPageDto extends RankedPageDto {
  @ApiProperty({ type: [RankedHitDto] })
  items: RankedHitDto[];

  @ApiProperty({ type: ParsedQueryDto })
  query: ParsedQueryDto;
}

export class SimilarHitDto extends RankedHitDto {
  @ApiPropertyOptional({ description: 'True when this hit is the same dish (same normalised name) from another source' })
  sameDish?: boolean;
}

export class SimilarPageDto extends RankedPageDto {
  @ApiProperty({ type: [SimilarHitDto] })
  items: SimilarHitDto[];

  @ApiProperty({ example: 0.62, description: 'Mean pairwise cosine distance of the returned items (0–2)' })
  diversity: number;
}

export class RecognisedIngredientDto {
  @ApiProperty({ example: '番茄' })
  input: string;

  @ApiProperty({ example: 'tomato' })
  concept: string;
}

export class ByIngredientsQueryDto {
  @ApiProperty({ enum: ['similar', 'pantry'] })
  mode: 'similar' | 'pantry';

  @ApiProperty({ type: [RecognisedIngredientDto], description: 'Each given word and the concept it resolved to' })
  recognised: RecognisedIngredientDto[];

  @ApiProperty({ type: [String], description: 'Words the lexicon does not know; they take no part in matching' })
  unrecognised: string[];

  @ApiProperty({ type: AppliedFiltersDto })
  filters: AppliedFiltersDto;
}

export class ByIngredientsPageDto extends RankedPageDto {
  @ApiProperty({ type: [RankedHitDto] })
  items: RankedHitDto[];

  @ApiProperty({ type: ByIngredientsQueryDto })
  query: ByIngredientsQueryDto;
}
