import { InitialSchema1764200000000 } from './1764200000000-initial-schema';
import { VectorStore1764300000000 } from './1764300000000-vector-store';
import { UserInteractions1764400000000 } from './1764400000000-user-interactions';
import { WriteProbe1764500000000 } from './1764500000000-write-probe';
import { IndexCoordination1764600000000 } from './1764600000000-index-coordination';
import { UserPreferences1764700000000 } from './1764700000000-user-preferences';
import { OutboxClaims1764800000000 } from './1764800000000-outbox-claims';
import { OutboxRecipeIndex1764900000000 } from './1764900000000-outbox-recipe-index';
import { RecipesUpdatedAtIndex1765000000000 } from './1765000000000-recipes-updated-at-index';
import { InteractionIndexes1765100000000 } from './1765100000000-interaction-indexes';

/** Every migration, oldest first. Applied at start; the schema never comes from `synchronize`. */
export const MIGRATIONS = [
  InitialSchema1764200000000,
  VectorStore1764300000000,
  UserInteractions1764400000000,
  WriteProbe1764500000000,
  IndexCoordination1764600000000,
  UserPreferences1764700000000,
  OutboxClaims1764800000000,
  OutboxRecipeIndex1764900000000,
  RecipesUpdatedAtIndex1765000000000,
  InteractionIndexes1765100000000,
];
