import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { QueryInt, QueryNumber } from '../../common/validation-decorators';
import { MAX_PAGE_SIZE } from '../../recipes/dto/list-recipes.query';
import { DEFAULT_SIMILAR_DIVERSITY } from '../similar-dishes.service';
import { OptionalUserId } from '../../users/dto/optional-user-id.decorator';

export class SimilarQuery {
  @ApiPropertyOptional({ type: 'integer', default: 10, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @QueryInt(1, MAX_PAGE_SIZE)
  limit: number = 10;

  @ApiPropertyOptional({
    default: DEFAULT_SIMILAR_DIVERSITY,
    minimum: 0,
    maximum: 1,
    description: '0 keeps the similarity order; towards 1 the list spreads over more kinds of dishes (maximal marginal relevance)',
  })
  @IsOptional()
  @QueryNumber(0, 1)
  diversity: number = DEFAULT_SIMILAR_DIVERSITY;

  // Per-user hard filters (src/users).
  @OptionalUserId()
  userId?: string;
}
