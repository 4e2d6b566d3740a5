import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INTERACTION_TYPES, InteractionType } from '../user-interaction.types';

/** Response shape of a stored interaction (documentation only). */
export class UserInteractionDto {
  @ApiProperty() id: string;
  @ApiProperty() userId: string;
  @ApiProperty() recipeId: string;
  @ApiProperty({ enum: INTERACTION_TYPES }) type: InteractionType;
  @ApiPropertyOptional({ description: 'Ratings: the value as sent' }) value?: number;
  @ApiPropertyOptional({ description: 'Ratings: 5 or 10' }) scale?: number;
  @ApiPropertyOptional({ description: 'Ratings: the rating on [-1, 1]' }) preference?: number;
  @ApiProperty({ example: '2025-11-20T18:30:00.000Z' }) at: string;
}
