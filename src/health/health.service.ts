import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IndexingService } from '../indexing/indexing.service';

type State = 'up' | 'down' | 'degraded';

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indexing: IndexingService,
  ) {}

  async report() {
    const database = await this.probe(async () => {
      await this.dataSource.query('SELECT 1');
      const [{ n }] = await this.dataSource.query('SELECT COUNT(*) AS n FROM recipes');
      return { recipes: Number(n) };
    });
    const index = await this.indexing.status();
    const states: State[] = [database.state, index.vectorStore.state, index.embedder.state];
    const status: State = states.every((s) => s === 'up') ? 'up' : database.state === 'down' ? 'down' : 'degraded';
    return {
      status,
      database,
      vectorStore: index.vectorStore,
      embedder: index.embedder,
      index: index.lag,
    };
  }

  private async probe<T extends object>(check: () => Promise<T>): Promise<({ state: State } & Partial<T>) | { state: State; error: string }> {
    try {
      return { state: 'up', ...(await check()) };
    } catch (error) {
      return { state: 'down', error: error instanceof Error ? error.message : String(error) };
    }
  }
}
