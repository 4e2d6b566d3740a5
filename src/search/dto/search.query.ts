import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../recipes/dto/list-recipes.query';
import { RecipeFilterParams } from './recipe-filters.dto';
import { OptionalUserId } from '../../users/dto/optional-user-id.decorator';

export const MAX_QUERY_CHARS = 500;

/** `GET /api/search`: free text plus the explicit filters and a page. */
export class SearchQuery extends IntersectionType(PageQuery, RecipeFilterParams) {
  @ApiPropertyOptional({ description: 'Free text in Chinese or English', example: '不要香菜的牛肉汤' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_QUERY_CHARS)
  q?: string;

  // Per-user hard filters (src/users).
  @OptionalUserId()
  userId?: string;
}
