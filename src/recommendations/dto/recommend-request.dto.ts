import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { NestedObject, QueryNumber } from '../../common/validation-decorators';
import { MAX_PAGE_SIZE, PageQuery } from '../../recipes/dto/list-recipes.query';

/** MMR trade-off used when a request does not name one: mostly relevance, no near-copies. */
export const DEFAULT_DIVERSITY = 0.3;
export const MAX_EXAMPLES = 100;

export class RecommendationFiltersDto {
  @ApiPropertyOptional({ example: 'meat-dish' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  category?: string;

  @ApiPropertyOptional({ example: 'chinese' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cuisine?: string;

  @ApiPropertyOptional({ example: 'vegetarian' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  diet?: string;

  @ApiPropertyOptional({ type: 'integer', example: 45, minimum: 1, maximum: 10080 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10080)
  maxMinutes?: number;

  @ApiPropertyOptional({ type: [String], example: ['香菜', 'peanut'], description: 'Ingredients to leave out, in either language' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  exclude?: string[];
}

export class RecommendRequestDto {
  @ApiProperty({ type: [String], minItems: 1, example: ['r8643144524f6a8b9'], description: 'Recipe ids the session liked' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_EXAMPLES)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  liked: string[];

  @ApiPropertyOptional({ type: [String], default: [], description: 'Recipe ids the session disliked' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EXAMPLES)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  disliked: string[] = [];

  @ApiPropertyOptional({ type: 'integer', default: 10, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 10;

  @ApiPropertyOptional({ type: RecommendationFiltersDto })
  @IsOptional()
  @NestedObject(() => RecommendationFiltersDto)
  filters?: RecommendationFiltersDto;

  @ApiPropertyOptional({ default: DEFAULT_DIVERSITY, minimum: 0, maximum: 1, description: '0 = pure relevance, 1 = as spread out as possible' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  diversity: number = DEFAULT_DIVERSITY;
}

/** `GET /api/users/:userId/recommendations`: a page size, the same filters as the body form, and diversity. */
export class UserRecommendationsQuery extends IntersectionType(
  PickType(PageQuery, ['limit'] as const),
  PickType(RecommendationFiltersDto, ['category', 'cuisine', 'diet'] as const),
) {
  @ApiPropertyOptional({ default: DEFAULT_DIVERSITY, minimum: 0, maximum: 1 })
  @IsOptional()
  @QueryNumber(0, 1)
  diversity: number = DEFAULT_DIVERSITY;
}
