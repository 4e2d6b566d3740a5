import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../recipes/dto/list-recipes.query';
import { DEFAULT_SIMILAR_DIVERSITY } from '../similar-dishes.service';

export class SimilarQuery {
  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 10;

  @ApiPropertyOptional({
    default: DEFAULT_SIMILAR_DIVERSITY,
    minimum: 0,
    maximum: 1,
    description: '0 keeps the similarity order; towards 1 the list spreads over more kinds of dishes (maximal marginal relevance)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  diversity: number = DEFAULT_SIMILAR_DIVERSITY;
}
