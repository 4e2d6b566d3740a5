import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/project-root';
import { EvalCatalog } from '../eval-catalog';

/** A respondent's ratings by catalog recipe id (1–10). */
export interface SurveyUser {
  userId: string;
  ratings: Map<string, number>;
}

export interface SurveyData {
  users: SurveyUser[];
  /** Catalog ids of the dishes the survey asked about (the GialloZafferano recipes). */
  dishIds: string[];
  /** Survey names no catalog recipe carries (reported, never silently dropped). */
  unmatched: string[];
  path: string;
}

interface SurveyFile {
  users: Array<{ userId: string; ratings: Array<{ recipe: string; rating: number }> }>;
}

const SURVEY_SOURCE = 'italian-giallozafferano';

/**
 * The survey stays with the rest of the published data, in shared/data beside the project (where
 * the seed sources were copied from and where CI has it); it is not copied into the repository.
 * A checkout elsewhere passes `--survey PATH` (or EVAL_SURVEY_PATH).
 */
export function defaultSurveyPath(): string {
  return join(projectRoot(), '..', 'shared', 'data', 'italian-survey', 'survey-users.json');
}

/** Reads a survey file in the format of shared/data/italian-survey and maps its dish names to catalog ids. */
export function loadSurvey(path: string, catalog: EvalCatalog): SurveyData {
  const file = JSON.parse(readFileSync(path, 'utf8')) as SurveyFile;
  const byName = new Map<string, string>();
  for (const recipe of catalog.recipes) {
    if (recipe.source === SURVEY_SOURCE) byName.set(normalise(recipe.name), recipe.id);
  }
  const unmatched = new Set<string>();
  const users = file.users.map((u) => {
    const ratings = new Map<string, number>();
    for (const { recipe, rating } of u.ratings) {
      const id = byName.get(normalise(recipe));
      if (id) ratings.set(id, rating);
      else unmatched.add(recipe);
    }
    return { userId: u.userId, ratings };
  });
  return { users, dishIds: [...new Set(byName.values())].sort(), unmatched: [...unmatched].sort(), path };
}

function normalise(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
