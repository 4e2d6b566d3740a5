import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ExplanationDto, RankedPageDto, RecipeSummaryDto } from '../../retrieval/dto/ranked-page.dto';

/** Response shapes of the session and user lists (recommendation-types.ts on the wire). */

export class RecommendationExplanationDto extends ExplanationDto {
  @ApiPropertyOptional({ example: 0.4, description: "Share of similar users' opinion in favour of this dish (−1 to 1), when they had one" })
  similarUsers?: number;

  @ApiPropertyOptional({
    enum: ['popular', 'catalog', 'stated'],
    description: "Cold start: picked for popularity, as a diverse catalog pick, or for the user's stated likes",
  })
  pick?: 'popular' | 'catalog' | 'stated';
}

/** A ranked hit (RankedHitDto) whose `why` also says where the recommendation came from. */
export class RecommendationHitDto {
  @ApiProperty({ type: RecipeSummaryDto })
  recipe: RecipeSummaryDto;

  @ApiProperty({ example: 0.91, description: 'Higher is better; comparable within one list only' })
  score: number;

  @ApiProperty({ type: RecommendationExplanationDto })
  why: RecommendationExplanationDto;
}

export class RecommendationPageDto extends RankedPageDto {
  @ApiProperty({ type: [RecommendationHitDto] })
  items: RecommendationHitDto[];

  @ApiProperty({ example: 0.62, description: 'Mean pairwise cosine distance of the returned items (0–2)' })
  diversity: number;

  @ApiProperty({ description: 'True when the list is the cold-start list (nothing liked yet to learn from)' })
  coldStart: boolean;
}
