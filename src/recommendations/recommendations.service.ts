import { Injectable } from '@nestjs/common';
import { ConcurrencyLimit } from '../common/event-loop';
import { RecommendRequestDto, UserRecommendationsQuery } from './dto/recommend-request.dto';
import { RecommendationPage } from './recommendation-types';
import { SessionRecommendations } from './session-recommendations';
import { UserRankingParts, UserRecommendations } from './user-recommendations';

export type { UserRankingParts } from './user-recommendations';

/**
 * Recommendation requests worked on at once; more wait their turn. Two, so one computes while
 * the other waits on SQLite; a search arriving meanwhile waits behind at most two slices per
 * turn of the event loop instead of sixteen.
 */
const CONCURRENT_RANKINGS = 2;

/**
 * The recommendation routes' one entry: session and user lists take turns in one queue (see
 * CONCURRENT_RANKINGS). The lists themselves are made by SessionRecommendations and
 * UserRecommendations, which read opinions and candidates and leave every ranking decision to
 * the pure functions in ./ranking.
 */
@Injectable()
export class RecommendationsService {
  private readonly rankings = new ConcurrencyLimit(CONCURRENT_RANKINGS);

  constructor(
    private readonly sessions: SessionRecommendations,
    private readonly users: UserRecommendations,
  ) {}

  /** Anonymous session: like the liked, unlike the disliked, never the inputs. */
  forSession(request: RecommendRequestDto): Promise<RecommendationPage> {
    return this.rankings.run(() => this.sessions.page(request));
  }

  /** A known (or unknown) user: their history, their neighbours' history, or cold start. */
  forUser(userId: string, query: UserRecommendationsQuery, options: { parts?: UserRankingParts } = {}): Promise<RecommendationPage> {
    return this.rankings.run(() => this.users.page(userId, query, options.parts ?? 'all'));
  }
}
