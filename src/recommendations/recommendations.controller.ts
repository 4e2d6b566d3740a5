import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserIdParams } from '../users/dto/record-interaction.dto';
import { RecommendationPageDto } from './dto/recommendation-page.dto';
import { RecommendRequestDto, UserRecommendationsQuery } from './dto/recommend-request.dto';
import { RecommendationsService } from './recommendations.service';

const RANKING =
  'Candidates come from the vector store’s recommend query (average_vector: towards the weighted mean of the liked, ' +
  'away from the disliked) in both the ingredients and the properties space; each candidate is then re-scored against ' +
  'every example (ingredients 0.6, properties 0.4; half mean similarity to the liked, half similarity to the nearest ' +
  'liked, minus half the similarity to the nearest disliked), same-name dishes from other sources are folded, and the ' +
  'list is re-ranked by maximal marginal relevance (`diversity`, default 0.3). `diversity` in the response is the ' +
  'mean pairwise cosine distance of the returned dishes’ ingredients vectors.';

@ApiTags('recommendations')
@Controller()
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Post('recommendations')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recommendations for an anonymous session from liked and disliked recipes',
    description: `Never returns the inputs (nor the same dish from another source). ${RANKING}`,
  })
  @ApiOkResponse({ type: RecommendationPageDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED; each unknown recipe id is a problem of its field (liked or disliked) in details',
  })
  forSession(@Body() body: RecommendRequestDto) {
    return this.recommendations.forSession(body);
  }

  @Get('users/:userId/recommendations')
  @ApiTags('users')
  @ApiOperation({
    summary: 'Top-N recommendations for a user',
    description:
      'Learns from the user’s interactions: likes +1, dislikes −1, ratings on [−1, 1], cooked +0.8, views +0.15 ' +
      '(latest opinion per recipe wins), each weighted by recency with a 30-day half-life. Dishes similar users ' +
      'liked are blended in (user-based collaborative filtering; weight 0.7·e/(e+2) for e opinions shared with ' +
      'neighbours). Recipes the user liked, disliked, rated or cooked are never returned; viewed ones may be. ' +
      `Users with nothing liked yet get popular dishes topped up with a diverse catalog sample (coldStart: true). ${RANKING}`,
  })
  @ApiOkResponse({ type: RecommendationPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: bad user id or query parameter' })
  forUser(@Param() params: UserIdParams, @Query() query: UserRecommendationsQuery) {
    return this.recommendations.forUser(params.userId, query);
  }
}
