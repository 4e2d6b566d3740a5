import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { NestedObject } from '../../common/validation-decorators';
import { MAX_OFFSET, MAX_PAGE_SIZE } from '../../recipes/dto/list-recipes.query';
import { ByIngredientsMode } from '../search.types';
import { MAX_FILTER_MINUTES, RecipeFilterParams } from './search.query';

export const MAX_PANTRY_ITEMS = 100;
export const BY_INGREDIENTS_MODES: readonly ByIngredientsMode[] = ['similar', 'pantry'];

/** The search filters in a JSON body: a number there is a JSON number, never a string of digits. */
export class RecipeFilterBody extends OmitType(RecipeFilterParams, ['maxMinutes'] as const) {
  @ApiPropertyOptional({ type: 'integer', description: 'Recipes with a known time above this are left out', minimum: 1, maximum: MAX_FILTER_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FILTER_MINUTES)
  maxMinutes?: number;
}

export class ByIngredientsDto {
  @ApiProperty({ type: [String], example: ['鸡蛋', '番茄'], maxItems: MAX_PANTRY_ITEMS, description: 'Ingredient words in either language' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PANTRY_ITEMS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  ingredients: string[];

  @ApiPropertyOptional({ enum: BY_INGREDIENTS_MODES, default: 'similar' })
  @IsOptional()
  @IsIn(BY_INGREDIENTS_MODES)
  mode: ByIngredientsMode = 'similar';

  @ApiPropertyOptional({ type: 'integer', default: 10, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 10;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset: number = 0;

  @ApiPropertyOptional({ type: RecipeFilterBody })
  @IsOptional()
  @NestedObject(() => RecipeFilterBody)
  filters?: RecipeFilterBody;
}
