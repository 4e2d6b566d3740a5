import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { NestedObject, Omittable } from '../../common/validation-decorators';
import { MAX_OFFSET, MAX_PAGE_SIZE } from '../../recipes/dto/list-recipes.query';
import { ByIngredientsMode } from '../search.types';
import { RecipeFilterBody } from './recipe-filters.dto';
import { OptionalUserId } from '../../users/dto/optional-user-id.decorator';

export const MAX_PANTRY_ITEMS = 100;
export const BY_INGREDIENTS_MODES: readonly ByIngredientsMode[] = ['similar', 'pantry'];

export class ByIngredientsDto {
  @ApiProperty({
    type: [String],
    example: ['鸡蛋', '番茄'],
    maxItems: MAX_PANTRY_ITEMS,
    description: 'Ingredient words in either language',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PANTRY_ITEMS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  ingredients: string[];

  @ApiPropertyOptional({ enum: BY_INGREDIENTS_MODES, default: 'similar' })
  @Omittable()
  @IsIn(BY_INGREDIENTS_MODES)
  mode: ByIngredientsMode = 'similar';

  @ApiPropertyOptional({ type: 'integer', default: 10, minimum: 1, maximum: MAX_PAGE_SIZE })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 10;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: MAX_OFFSET })
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset: number = 0;

  @ApiPropertyOptional({ type: RecipeFilterBody })
  @IsOptional()
  @NestedObject(() => RecipeFilterBody)
  filters?: RecipeFilterBody;

  // Per-user hard filters (src/users).
  @OptionalUserId()
  userId?: string;
}
