import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from '@nestjs/common';
import { IsOptional } from 'class-validator';
import { WordList } from '../../common/validation-decorators';
import { MAX_FILTER_CHARS, MAX_FILTER_WORDS, RecipeFilterFields } from '../../search/dto/recipe-filters.dto';

const WORDS = 'a comma-separated string or an array of strings, words in either language';

/**
 * `PUT /api/users/:userId/preferences`. `diet` and `exclude` are the filter fields every
 * retrieval route takes (the same words, validation and lexicon); the rest are the user's own.
 */
export class UserPreferencesDto extends PickType(RecipeFilterFields as Type<RecipeFilterFields>, ['diet', 'exclude'] as const) {
  @ApiPropertyOptional({
    type: 'string',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: `Allergies (peanut, 花生, shellfish, gluten): dishes with the food or anything in its allergen group never come; ${WORDS}. Unknown words are a 400`,
    example: 'peanut',
  })
  @IsOptional()
  @WordList(MAX_FILTER_WORDS, MAX_FILTER_CHARS)
  allergies?: string | string[];

  @ApiPropertyOptional({
    type: 'string',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: `Cuisines the user likes (italian, 川菜); ${WORDS}`,
    example: 'italian',
  })
  @IsOptional()
  @WordList(MAX_FILTER_WORDS, MAX_FILTER_CHARS)
  likedCuisines?: string | string[];

  @ApiPropertyOptional({
    type: 'string',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: `Ingredients the user likes (mushroom, 豆腐); ${WORDS}`,
    example: 'mushroom',
  })
  @IsOptional()
  @WordList(MAX_FILTER_WORDS, MAX_FILTER_CHARS)
  likedIngredients?: string | string[];

  @ApiPropertyOptional({
    type: 'string',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: `Cuisines the user would rather not see first; ${WORDS}`,
  })
  @IsOptional()
  @WordList(MAX_FILTER_WORDS, MAX_FILTER_CHARS)
  dislikedCuisines?: string | string[];

  @ApiPropertyOptional({
    type: 'string',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: `Ingredients the user would rather not have (ranked down, not filtered: use \`exclude\` for never); ${WORDS}`,
  })
  @IsOptional()
  @WordList(MAX_FILTER_WORDS, MAX_FILTER_CHARS)
  dislikedIngredients?: string | string[];
}

/** Response: the stored preferences, every list as an array. */
export class UserPreferencesResponseDto {
  @ApiProperty() userId: string;
  @ApiProperty({ type: [String] }) diet: string[];
  @ApiProperty({ type: [String] }) exclude: string[];
  @ApiProperty({ type: [String] }) allergies: string[];
  @ApiProperty({ type: [String] }) likedCuisines: string[];
  @ApiProperty({ type: [String] }) likedIngredients: string[];
  @ApiProperty({ type: [String] }) dislikedCuisines: string[];
  @ApiProperty({ type: [String] }) dislikedIngredients: string[];
  @ApiProperty({ type: String, nullable: true, description: 'Time of the last PUT; null when nothing was ever stated' })
  updatedAt: string | null;
}
