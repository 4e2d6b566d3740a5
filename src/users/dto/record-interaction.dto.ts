import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsString, MaxLength } from 'class-validator';
import { NotBlank, Omittable } from '../../common/validation-decorators';
import { INTERACTION_TYPES, InteractionType } from '../user-interaction.types';
import { DEFAULT_RATING_SCALE, RATING_SCALES } from '../rating-scale';

export class RecordInteractionDto {
  @ApiProperty({ example: 'r8643144524f6a8b9' })
  @IsString()
  @NotBlank()
  @MaxLength(200)
  recipeId: string;

  @ApiProperty({ enum: INTERACTION_TYPES, example: 'rating' })
  @IsIn(INTERACTION_TYPES)
  type: InteractionType;

  @ApiPropertyOptional({
    example: 4,
    description: 'Required for `rating` (1 to `scale`), not allowed for the other types',
  })
  @Omittable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value?: number;

  @ApiPropertyOptional({
    enum: RATING_SCALES,
    default: DEFAULT_RATING_SCALE,
    description: 'Ratings only: the scale `value` is on, 5 (1–5 stars) or 10 (1–10 points)',
  })
  @Omittable()
  @IsIn(RATING_SCALES)
  scale?: number;
}

export class UserIdParams {
  @ApiProperty({ description: 'Opaque user id: 1–128 characters of A–Z a–z 0–9 _ . : @ -', example: 'user-42' })
  @IsString()
  userId: string;
}
