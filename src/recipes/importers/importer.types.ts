import { RecipeInput } from '../recipe.types';

/** A row or file an importer could not turn into a recipe: reported, skipped, never fatal. */
export interface ImportIssue {
  file: string;
  /** 1-based line in a CSV, absent for whole-file problems (a Markdown dish). */
  line?: number;
  /** 0-based position in a JSON array, for JSON sources. */
  index?: number;
  reason: string;
}

/** Where a record was read: its file, and its line in a CSV or position in a JSON array. */
export type ImportOrigin = Omit<ImportIssue, 'reason'>;

export interface ImportResult {
  source: string;
  recipes: RecipeInput[];
  /**
   * Where each of `recipes` was read, at the same position: a check made after the import (the
   * seed's validation) reports a record by where it is in its file, not by where it is among
   * the records that were read.
   */
  origins: ImportOrigin[];
  /** Rows that were skipped because they could not be read. */
  skipped: ImportIssue[];
  /** Rows dropped because an earlier row in the same source had the same dish (reported once each). */
  duplicates: ImportIssue[];
}

export interface RecipeImporter {
  readonly source: string;
  /** True when `path` (a file or folder) is in this importer's format. */
  accepts(path: string): boolean;
  import(path: string): Promise<ImportResult>;
}
