import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { FieldProblem, validationFailed } from '../common/validation';
import { RecordInteractionDto } from './dto/record-interaction.dto';
import { interactionFieldProblems, userIdProblems, validateBulkRecord } from './interaction-validation';
import { DEFAULT_RATING_SCALE, ratingToPreference } from './rating-scale';
import { NewInteraction, UserInteractionsRepository } from './user-interactions.repository';
import { UserInteraction } from './user-interaction.types';

export interface BulkInteractionsResult {
  created: number;
  failed: Array<{ index: number; errors: FieldProblem[] }>;
}

/** Records what users do with recipes; the recommenders read it back through the repository. */
@Injectable()
export class UserInteractionsService {
  constructor(private readonly interactions: UserInteractionsRepository) {}

  async record(userId: string, input: RecordInteractionDto): Promise<UserInteraction> {
    const problems = [...userIdProblems(userId), ...interactionFieldProblems(input)];
    if (problems.length > 0) throw validationFailed(problems);
    const [stored] = await this.interactions.insert([toNewInteraction(userId, input, new Date().toISOString())]);
    if (!stored) throw AppError.notFound('Recipe', input.recipeId);
    return stored;
  }

  /** Validates each record on its own: bad ones are reported by index, good ones land together. */
  async recordMany(records: unknown[]): Promise<BulkInteractionsResult> {
    const failed: BulkInteractionsResult['failed'] = [];
    const valid: Array<{ index: number; record: NewInteraction }> = [];
    const now = new Date().toISOString();
    records.forEach((plain, index) => {
      const { value, errors } = validateBulkRecord(plain);
      if (errors) failed.push({ index, errors });
      else valid.push({ index, record: toNewInteraction(value.userId, value, value.at ? new Date(value.at).toISOString() : now) });
    });
    const stored = await this.interactions.insert(valid.map((v) => v.record));
    valid.forEach(({ index, record }, i) => {
      if (!stored[i]) failed.push({ index, errors: [{ field: 'recipeId', problems: [`recipe "${record.recipeId}" does not exist`] }] });
    });
    failed.sort((a, b) => a.index - b.index);
    return { created: stored.filter((row) => row !== null).length, failed };
  }
}

function toNewInteraction(userId: string, input: RecordInteractionDto, at: string): NewInteraction {
  const base = { userId, recipeId: input.recipeId, type: input.type, at };
  if (input.type !== 'rating' || input.value === undefined) return base;
  const scale = input.scale ?? DEFAULT_RATING_SCALE;
  return { ...base, value: input.value, scale, preference: ratingToPreference(input.value, scale) };
}
