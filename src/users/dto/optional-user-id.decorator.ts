import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { USER_ID_PATTERN } from '../user-interaction.types';

/**
 * `userId` on a retrieval request: the list is made for that user, so their stored diets,
 * allergies and exclusions apply as hard filters (`PUT /api/users/:userId/preferences`).
 */
export function OptionalUserId(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description:
        'Make the list for this user: their stored diets, allergies and exclusions (PUT /api/users/{userId}/preferences) ' +
        'are hard filters on top of the request’s. 1–128 characters of A–Z a–z 0–9 _ . : @ -',
      example: 'user-42',
    }),
    IsOptional(),
    IsString(),
    Matches(USER_ID_PATTERN, { message: 'userId must be 1–128 characters of A–Z a–z 0–9 _ . : @ -' }),
  );
}
