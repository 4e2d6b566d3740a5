import { INestApplicationContext } from '@nestjs/common';
import { SectionResult } from './report';

/** What every section gets from the runner. */
export interface BenchContext {
  /** The application over the benchmark's temporary SQLite file (empty until the seed section runs). */
  app: INestApplicationContext;
  /** A temporary folder the runner deletes at the end; sections may put their own databases here. */
  workDir: string;
  /** Results of the sections that already ran, by id, for sections that build on them. */
  previous: ReadonlyMap<string, SectionResult>;
}

/**
 * One part of the benchmark. Sections run in order on one process, so a section may rely on the
 * ones before it (the search sections need the seed section's catalog and index). A new part is
 * a new module exporting a BenchSection, added to the list in run.ts.
 */
export interface BenchSection {
  id: string;
  title: string;
  run(context: BenchContext): Promise<SectionResult>;
}
