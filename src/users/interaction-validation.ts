import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldProblem, flattenValidationErrors } from '../common/validation';
import { BulkInteractionRecordDto } from './dto/bulk-interactions.dto';
import { DEFAULT_RATING_SCALE, isValidRating } from './rating-scale';
import { InteractionType, USER_ID_PATTERN } from './user-interaction.types';

/** Clocks of client devices drift; an interaction a few minutes "ahead" is still plausible. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export function userIdProblems(userId: unknown, field = 'userId'): FieldProblem[] {
  if (typeof userId === 'string' && USER_ID_PATTERN.test(userId)) return [];
  return [{ field, problems: ['userId must be 1–128 characters of A–Z a–z 0–9 _ . : @ -'] }];
}

/** Checks that span fields, which the DTO decorators cannot express. */
export function interactionFieldProblems(
  input: { type: InteractionType; value?: number; scale?: number; at?: string },
  now = Date.now(),
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.type === 'rating') {
    const scale = input.scale ?? DEFAULT_RATING_SCALE;
    if (input.value === undefined) problems.push({ field: 'value', problems: [`a rating needs a value from 1 to ${scale}`] });
    else if (!isValidRating(input.value, scale)) {
      problems.push({ field: 'value', problems: [`value must be from 1 to ${scale} on a ${scale}-point scale`] });
    }
  } else {
    if (input.value !== undefined) problems.push({ field: 'value', problems: ['value is only allowed for ratings'] });
    if (input.scale !== undefined) problems.push({ field: 'scale', problems: ['scale is only allowed for ratings'] });
  }
  if (input.at !== undefined && Date.parse(input.at) > now + FUTURE_TOLERANCE_MS) {
    problems.push({ field: 'at', problems: ['at must not be in the future'] });
  }
  return problems;
}

/** One bulk record: shape, user id and cross-field rules. Recipe existence is checked by the caller in one query. */
export function validateBulkRecord(
  plain: unknown,
): { value: BulkInteractionRecordDto; errors?: undefined } | { value?: undefined; errors: FieldProblem[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { errors: [{ field: '', problems: ['each interaction must be a JSON object'] }] };
  }
  const dto = plainToInstance(BulkInteractionRecordDto, plain);
  const shape = flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
  const errors = [...shape];
  if (!shape.some((p) => p.field === 'userId')) errors.push(...userIdProblems(dto.userId));
  if (shape.length === 0) errors.push(...interactionFieldProblems(dto));
  return errors.length > 0 ? { errors } : { value: dto };
}
