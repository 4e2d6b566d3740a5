import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RecipeRowsRepository } from '../recipes/recipe-rows.repository';
import { writeHealthOf } from '../database/data-source';
import { databaseCodeOf } from '../database/sqlite-errors';
import { OutboxWorker } from '../indexing/outbox-worker.service';
import { MemoryBudget } from './memory-budget';

type State = 'up' | 'down' | 'degraded';
type Dependency = 'database' | 'vectorStore' | 'embedder' | 'memory';

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outboxWorker: OutboxWorker,
    private readonly memoryBudget: MemoryBudget,
  ) {}

  async report() {
    const database = await this.database();
    const index = await this.indexStatus();
    const memory = this.memoryBudget.report();
    const states: Record<Dependency, State> = {
      database: database.state,
      vectorStore: index.vectorStore.state,
      embedder: index.embedder.state,
      memory: memory.state,
    };
    const failing = (Object.keys(states) as Dependency[]).filter((name) => states[name] !== 'up');
    const status: State = failing.length === 0 ? 'up' : database.state === 'down' ? 'down' : 'degraded';
    return {
      status,
      failing,
      database,
      vectorStore: index.vectorStore,
      embedder: index.embedder,
      index: index.lag,
      memory,
    };
  }

  /**
   * Down when it cannot be read; degraded when it reads but writes fail (a full disk, a
   * read-only file): search and recommendations still work then, catalog writes do not.
   */
  private async database() {
    let recipes: number;
    try {
      recipes = await new RecipeRowsRepository(this.dataSource).count();
    } catch (error) {
      return { state: 'down' as State, writable: false, error: describe(error) };
    }
    const write = await writeHealthOf(this.dataSource).check();
    return write.writable
      ? { state: 'up' as State, recipes, writable: true }
      : { state: 'degraded' as State, recipes, writable: false, lastWriteError: write.lastWriteError };
  }

  private async indexStatus() {
    try {
      return await this.outboxWorker.status();
    } catch (error) {
      const unknown = { state: 'down' as const, error: describe(error) };
      return { vectorStore: unknown, embedder: unknown, lag: { pending: null, oldestPendingSeconds: null } };
    }
  }
}

/**
 * The database's own code when there is one (SQLITE_CANTOPEN, ECONNREFUSED, 57P01): driver
 * messages may name files, users or databases.
 */
function describe(error: unknown): string {
  return databaseCodeOf(error) ?? (error instanceof Error ? error.message : String(error));
}
