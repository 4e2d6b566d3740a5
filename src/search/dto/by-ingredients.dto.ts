import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../recipes/dto/list-recipes.query';
import { ByIngredientsMode } from '../search.types';
import { RecipeFilterParams } from './search.query';

export const MAX_PANTRY_ITEMS = 100;
export const BY_INGREDIENTS_MODES: readonly ByIngredientsMode[] = ['similar', 'pantry'];

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

  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 10;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset: number = 0;

  @ApiPropertyOptional({ type: RecipeFilterParams })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecipeFilterParams)
  filters?: RecipeFilterParams;
}
