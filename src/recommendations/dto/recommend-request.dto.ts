import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NestedObject, NotBlank, Omittable, QueryNumber } from '../../common/validation-decorators';
import { MAX_PAGE_SIZE, PageQuery } from '../../recipes/dto/list-recipes.query';
import { RecipeFilterBody, RecipeFilterParams } from '../../search/dto/recipe-filters.dto';

/** MMR trade-off used when a request does not name one: mostly relevance, no near-copies. */
export const DEFAULT_DIVERSITY = 0.3;
export const MAX_EXAMPLES = 100;

export class RecommendRequestDto {
  @ApiProperty({ type: [String], minItems: 1, example: ['r8643144524f6a8b9'], description: 'Recipe ids the session liked' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EXAMPLES)
  @IsString({ each: true })
  @NotBlank({ each: true })
  @MaxLength(200, { each: true })
  liked: string[];

  @ApiPropertyOptional({ type: [String], default: [], description: 'Recipe ids the session disliked' })
  @Omittable()
  @IsArray()
  @ArrayMaxSize(MAX_EXAMPLES)
  @IsString({ each: true })
  @NotBlank({ each: true })
  @MaxLength(200, { each: true })
  disliked: string[] = [];

  @ApiPropertyOptional({ type: 'integer', default: 10, minimum: 1, maximum: MAX_PAGE_SIZE })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 10;

  @ApiPropertyOptional({ type: RecipeFilterBody, description: 'The same filters as search and by-ingredients take in a body' })
  @IsOptional()
  @NestedObject(() => RecipeFilterBody)
  filters?: RecipeFilterBody;

  @ApiPropertyOptional({
    default: DEFAULT_DIVERSITY,
    minimum: 0,
    maximum: 1,
    description: '0 = pure relevance, 1 = as spread out as possible',
  })
  @Omittable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  diversity: number = DEFAULT_DIVERSITY;
}

/** `GET /api/users/:userId/recommendations`: a page size, the same filters as `GET /api/search`, and diversity. */
export class UserRecommendationsQuery extends IntersectionType(PickType(PageQuery, ['limit'] as const), RecipeFilterParams) {
  @ApiPropertyOptional({ default: DEFAULT_DIVERSITY, minimum: 0, maximum: 1 })
  @IsOptional()
  @QueryNumber(0, 1)
  diversity: number = DEFAULT_DIVERSITY;
}
