import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { Equals } from 'class-validator';

/** Query and response shapes of the index administration routes. */

/** GET /api/admin/index takes no parameters; any, `repair` included, is refused. */
export class VerifyIndexQuery {
  /**
   * A GET never changes state: the old flag is refused with where repair went rather than
   * silently ignored, and hidden so it stays out of the documented parameters.
   */
  @ApiHideProperty()
  @Equals(undefined, { message: 'repair is POST /api/admin/index/repair; GET only reports' })
  repair?: never;
}

export class IndexJobDto {
  @ApiProperty({ enum: ['retrain', 'reindex'] })
  kind: string;

  @ApiProperty({ description: 'host:pid:random of the process running it' })
  owner: string;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ enum: ['training', 'indexing', 'swapping', 'repairing'] })
  phase: string;

  @ApiProperty({ description: 'Recipes indexed so far (0 while training)' })
  done: number;

  @ApiProperty({ description: 'Recipes to index (0 until known)' })
  total: number;

  @ApiProperty({ type: String, nullable: true, description: 'The collection it fills, once created' })
  collection: string | null;
}

export class IndexJobStatusDto {
  @ApiProperty({
    type: IndexJobDto,
    nullable: true,
    description: 'The retrain or rebuild holding the index-build lock in any process, or null. Its progress is at most ~5 s old.',
  })
  job: IndexJobDto | null;
}

export class CollectionsReportDto {
  @ApiProperty({ description: 'The collection queries use' })
  serving: string;

  @ApiProperty({ type: [String], description: 'Being filled by a running retrain or rebuild' })
  building: string[];

  @ApiProperty({ type: [String], description: 'Replaced, readable until their grace period ends (not drift)' })
  retiring: string[];

  @ApiProperty({ type: [String], description: 'Left by a crashed or failed build: drift, removed by a repair' })
  orphaned: string[];
}

export class DriftCountsDto {
  @ApiProperty()
  missing: number;

  @ApiProperty()
  stale: number;

  @ApiProperty()
  orphans: number;
}

export class VerifyReportDto {
  @ApiProperty()
  modelId: string;

  @ApiProperty()
  collection: string;

  @ApiProperty({ description: 'Recipes in the catalog' })
  catalog: number;

  @ApiProperty({ description: 'Points in the serving collection' })
  indexed: number;

  @ApiProperty({ type: [String], description: 'Up to 20 catalog recipes the index lacks' })
  missing: string[];

  @ApiProperty({ type: [String], description: 'Up to 20 recipes indexed with older content' })
  stale: string[];

  @ApiProperty({ type: [String], description: 'Up to 20 indexed ids no longer in the catalog' })
  orphans: string[];

  @ApiProperty({ type: DriftCountsDto, description: 'How many of each in all' })
  counts: DriftCountsDto;

  @ApiProperty({ description: 'Outbox rows waiting for the worker; their recipes are not counted as drift' })
  pendingOutbox: number;

  @ApiProperty({ type: CollectionsReportDto })
  collections: CollectionsReportDto;

  @ApiProperty({ description: 'Missing + stale + orphan ids + orphaned collections' })
  drift: number;

  @ApiProperty({ description: 'True when a repair ran and there was something to fix' })
  repaired: boolean;
}

export class RetrainResultDto {
  @ApiProperty({ description: 'The model serving before' })
  previous: string;

  @ApiProperty({ description: 'The model serving now: the same when the catalog gave the same training data' })
  current: string;
}
