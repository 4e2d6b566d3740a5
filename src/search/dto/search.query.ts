import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryInt } from '../../common/validation-decorators';
import { PageQuery } from '../../recipes/dto/list-recipes.query';

export const MAX_QUERY_CHARS = 500;
export const MAX_FILTER_MINUTES = 24 * 60;

/** Explicit filters shared by search and by-ingredients: hard constraints, words in either language. */
export class RecipeFilterParams {
  @ApiPropertyOptional({ description: 'Category slug or course word (dessert, 甜品)', example: 'dessert' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  category?: string;

  @ApiPropertyOptional({ description: 'Cuisine slug or word (indian, 川菜); a broad cuisine includes its regional ones', example: 'indian' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cuisine?: string;

  @ApiPropertyOptional({ description: 'Comma-separated diets every hit must allow (vegetarian, vegan, gluten-free…)', example: 'vegetarian' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  diet?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Recipes with a known time above this are left out', minimum: 1, maximum: MAX_FILTER_MINUTES })
  @IsOptional()
  @QueryInt(1, MAX_FILTER_MINUTES)
  maxMinutes?: number;

  @ApiPropertyOptional({
    description: 'Comma-separated ingredient or allergen words to exclude, in either language (香菜,peanut); unknown words are a 400',
    example: 'coriander,peanut',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  exclude?: string;
}

/** `GET /api/search`: free text plus the explicit filters and a page. */
export class SearchQuery extends IntersectionType(PageQuery, RecipeFilterParams) {
  @ApiPropertyOptional({ description: 'Free text in Chinese or English', example: '不要香菜的牛肉汤' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_QUERY_CHARS)
  q?: string;
}
