import { join } from 'path';
import { findRepositoryRoot } from './seed-loader';

/** The bundled seed folder, for specs that run on the real data. */
export const SEED_DIR = join(findRepositoryRoot(), 'seed');

export function seedPath(...parts: string[]): string {
  return join(SEED_DIR, ...parts);
}
