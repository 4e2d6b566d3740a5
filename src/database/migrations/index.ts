import { InitialSchema1764200000000 } from './1764200000000-initial-schema';

/** Every migration, oldest first. Applied at start; the schema never comes from `synchronize`. */
export const MIGRATIONS = [InitialSchema1764200000000];
