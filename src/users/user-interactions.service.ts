import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly interactions: UserInteractionsRepository,
  ) {}

  async record(userId: string, input: RecordInteractionDto): Promise<UserInteraction> {
    const problems = [...userIdProblems(userId), ...interactionFieldProblems(input)];
    if (problems.length > 0) throw validationFailed(problems);
    const known = await this.existingRecipeIds([input.recipeId]);
    if (!known.has(input.recipeId)) throw AppError.notFound('Recipe', input.recipeId);
    const [stored] = await this.interactions.insert([toNewInteraction(userId, input, new Date().toISOString())]);
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
    const known = await this.existingRecipeIds(valid.map((v) => v.record.recipeId));
    const landing: NewInteraction[] = [];
    for (const { index, record } of valid) {
      if (known.has(record.recipeId)) landing.push(record);
      else failed.push({ index, errors: [{ field: 'recipeId', problems: [`recipe "${record.recipeId}" does not exist`] }] });
    }
    await this.interactions.insert(landing);
    failed.sort((a, b) => a.index - b.index);
    return { created: landing.length, failed };
  }

  private async existingRecipeIds(ids: string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    const found = new Set<string>();
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows: Array<{ id: string }> = await this.dataSource.query(
        `SELECT id FROM recipes WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const row of rows) found.add(row.id);
    }
    return found;
  }
}

function toNewInteraction(userId: string, input: RecordInteractionDto, at: string): NewInteraction {
  const base = { userId, recipeId: input.recipeId, type: input.type, at };
  if (input.type !== 'rating' || input.value === undefined) return base;
  const scale = input.scale ?? DEFAULT_RATING_SCALE;
  return { ...base, value: input.value, scale, preference: ratingToPreference(input.value, scale) };
}
