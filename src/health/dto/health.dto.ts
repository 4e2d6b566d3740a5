import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Response shapes of the health routes. */

const STATES = ['up', 'degraded', 'down'];

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class WriteFailureDto {
  @ApiProperty({ example: 'SQLITE_FULL', description: 'The SQLite result code (on PostgreSQL the one its error is handled as)' })
  code: string;

  @ApiProperty({
    example: 'SQLITE_FULL',
    description: "The database's own code: the SQLite result code, or PostgreSQL's SQLSTATE (53100) or socket errno",
  })
  databaseCode: string;

  @ApiProperty({ format: 'date-time' })
  at: string;
}

export class DatabaseHealthDto {
  @ApiProperty({ enum: STATES, description: '`degraded`: reads work, writes fail (a full disk, a read-only file)' })
  state: string;

  @ApiPropertyOptional({ description: 'Recipes in the catalog (absent when the database cannot be read)' })
  recipes?: number;

  @ApiProperty()
  writable: boolean;

  @ApiPropertyOptional({
    description:
      "Why it is down: the database's own code (SQLITE_CANTOPEN; on PostgreSQL its SQLSTATE, or a socket errno such as ECONNREFUSED), else the driver's message",
  })
  error?: string;

  @ApiPropertyOptional({ type: WriteFailureDto, description: 'Degraded: the last failed write' })
  lastWriteError?: WriteFailureDto;
}

export class VectorStoreHealthDto {
  @ApiProperty({ enum: STATES })
  state: string;

  @ApiPropertyOptional({ enum: ['embedded', 'qdrant'] })
  kind?: string;

  @ApiPropertyOptional({ description: 'The serving collection' })
  collection?: string;

  @ApiPropertyOptional()
  points?: number;

  @ApiPropertyOptional()
  error?: string;
}

export class EmbedderHealthDto {
  @ApiProperty({ enum: STATES })
  state: string;

  @ApiPropertyOptional({ example: 'food-concepts' })
  provider?: string;

  @ApiPropertyOptional({ description: 'The serving concept model' })
  modelId?: string;

  @ApiPropertyOptional()
  error?: string;
}

export class IndexLagDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'Catalog changes waiting to be indexed (null when unknown)' })
  pending: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Age of the oldest of them' })
  oldestPendingSeconds: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: "The indexing worker's last failure, until a batch succeeds" })
  lastError?: string | null;
}

export class MemoryHealthDto {
  @ApiProperty({
    enum: ['up', 'degraded'],
    description: '`degraded`: past the high-water mark; catalog writes that add recipes get 507 INSUFFICIENT_MEMORY, everything else works',
  })
  state: string;

  @ApiPropertyOptional({
    enum: ['heap', 'process'],
    description: 'Degraded: which limit (the live heap of the heap limit, or the resident set of the memory limit)',
  })
  pressure?: string;

  @ApiProperty({ description: 'The share of each limit from which recipes are no longer added (MEMORY_HIGH_WATER_PERCENT)' })
  highWaterPercent: number;

  @ApiProperty({ description: 'The JavaScript heap in use after the last full collection' })
  heapLiveMiB: number;

  @ApiProperty({ description: "The heap's limit (NODE_HEAP_MIB with npm start)" })
  heapLimitMiB: number;

  @ApiProperty({ description: "The process's resident set" })
  rssMiB: number;

  @ApiProperty({ description: 'The memory the process may use (MEMORY_LIMIT_MIB, the container limit or the machine memory)' })
  limitMiB: number;
}

export class HealthReportDto {
  @ApiProperty({ enum: STATES })
  status: string;

  @ApiProperty({ type: [String], enum: ['database', 'vectorStore', 'embedder', 'memory'], description: 'Dependencies (and memory) not up' })
  failing: string[];

  @ApiProperty({ type: DatabaseHealthDto })
  database: DatabaseHealthDto;

  @ApiProperty({ type: VectorStoreHealthDto })
  vectorStore: VectorStoreHealthDto;

  @ApiProperty({ type: EmbedderHealthDto })
  embedder: EmbedderHealthDto;

  @ApiProperty({ type: IndexLagDto })
  index: IndexLagDto;

  @ApiProperty({ type: MemoryHealthDto })
  memory: MemoryHealthDto;
}
