import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryInt, WordList } from '../../common/validation-decorators';

/**
 * Longest time limit a filter takes: a week, as pickles and cured dishes take days. Search used
 * to stop at a day and recommendations at a week; the wider one refuses nothing either accepted.
 */
export const MAX_FILTER_MINUTES = 7 * 24 * 60;
/** Most words in `diet` or `exclude`, and most characters they may take together. */
export const MAX_FILTER_WORDS = 50;
export const MAX_FILTER_CHARS = 500;

const WORDS_FORM =
  'a comma-separated string ("香菜,peanut"), or an array of strings (a JSON array in a body; the parameter repeated in a query string)';

/**
 * The hard filters every retrieval route takes (search, by-ingredients, session and user
 * recommendations), defined once: the two transports differ only in how a number arrives, so
 * they extend this class and add `maxMinutes` alone. Words are in either language; they are
 * resolved through the lexicon by `resolveFilters`.
 */
export abstract class RecipeFilterFields {
  @ApiPropertyOptional({
    description: 'Category slug or course word in either language (meat-dish, 肉菜, dessert, 甜品)',
    example: 'meat-dish',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  category?: string;

  @ApiPropertyOptional({
    description:
      'Cuisine slug or word in either language (sichuan, 川菜); a broad cuisine includes its regional ones (chinese → sichuan, cantonese…)',
    example: 'sichuan',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cuisine?: string;

  @ApiPropertyOptional({
    type: 'string',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: `Diets every hit must allow, in either language (vegetarian, 素食, vegan, gluten-free…): ${WORDS_FORM}. Unknown diets are a 400`,
    example: 'vegetarian',
  })
  @IsOptional()
  @WordList(MAX_FILTER_WORDS, MAX_FILTER_CHARS)
  diet?: string | string[];

  @ApiPropertyOptional({
    type: 'string',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: `Ingredient or allergen words to leave out, in either language (香菜, coriander, peanut): ${WORDS_FORM}. Unknown words are a 400`,
    example: 'coriander,peanut',
  })
  @IsOptional()
  @WordList(MAX_FILTER_WORDS, MAX_FILTER_CHARS)
  exclude?: string | string[];
}

/** The filters in a query string: `maxMinutes` in plain decimal digits. */
export class RecipeFilterParams extends RecipeFilterFields {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Recipes with a known time above this are left out',
    minimum: 1,
    maximum: MAX_FILTER_MINUTES,
  })
  @IsOptional()
  @QueryInt(1, MAX_FILTER_MINUTES)
  maxMinutes?: number;
}

/** The filters in a JSON body (`filters`): `maxMinutes` is a JSON number, never a string of digits. */
export class RecipeFilterBody extends RecipeFilterFields {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Recipes with a known time above this are left out',
    minimum: 1,
    maximum: MAX_FILTER_MINUTES,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FILTER_MINUTES)
  maxMinutes?: number;
}
