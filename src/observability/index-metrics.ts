import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { IndexOutboxRepository } from '../indexing/index-outbox.repository';
import { ActiveIndexRegistry } from '../indexing/active-index-registry.service';
import { MetricsService } from './metrics.service';

/**
 * A scrape must answer even when the database is locked by a long import or the vector store
 * hangs: each sample gets this long, then reports NaN (Prometheus' "unknown") instead of a
 * stale or a made-up value. Prometheus' default scrape timeout is 10 s.
 */
export const SAMPLE_TIMEOUT_MS = 2000;

interface OutboxSample {
  pending: number;
  oldestAgeSeconds: number;
}

/**
 * Gauges read on each scrape rather than kept up to date: the outbox and the index change
 * on every catalog write, and one indexed COUNT on a small table per scrape (every 15 s or so)
 * costs less than bookkeeping on every write.
 */
@Injectable()
export class IndexMetrics {
  private outboxInFlight: Promise<OutboxSample | null> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly activeIndex: ActiveIndexRegistry,
    private readonly metrics: MetricsService,
  ) {
    const registers = [metrics.registry];
    const sampleOutbox = () => this.sampleOutbox();
    new Gauge({
      name: 'recipes_index_outbox_pending',
      help: 'Catalog changes waiting to be indexed (rows in the index outbox)',
      registers,
      async collect() {
        this.set((await sampleOutbox())?.pending ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'recipes_index_outbox_oldest_age_seconds',
      help: 'Age of the oldest catalog change still waiting to be indexed; 0 when none waits',
      registers,
      async collect() {
        this.set((await sampleOutbox())?.oldestAgeSeconds ?? Number.NaN);
      },
    });
    const samplePoints = () => this.samplePoints();
    new Gauge({
      name: 'recipes_index_points',
      help: 'Recipes in the active vector-store collection',
      registers,
      async collect() {
        this.set((await samplePoints()) ?? Number.NaN);
      },
    });
  }

  /** Both outbox gauges are collected in the same scrape: they share one query. */
  private sampleOutbox(): Promise<OutboxSample | null> {
    this.outboxInFlight ??= this.guarded(async () => {
      const backlog = await new IndexOutboxRepository(this.dataSource).backlog();
      const oldest = backlog.oldest ? Date.parse(backlog.oldest) : Number.NaN;
      return {
        pending: backlog.pending,
        oldestAgeSeconds: Number.isNaN(oldest) ? 0 : Math.max(0, (Date.now() - oldest) / 1000),
      };
    }).finally(() => {
      this.outboxInFlight = null;
    });
    return this.outboxInFlight;
  }

  private samplePoints(): Promise<number | null> {
    return this.guarded(async () => (await this.activeIndex.active().store.info()).points);
  }

  private async guarded<T>(sample: () => Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`metrics sample took over ${SAMPLE_TIMEOUT_MS} ms`)), SAMPLE_TIMEOUT_MS);
      timer.unref?.();
    });
    try {
      return await Promise.race([sample(), timeout]);
    } catch (error) {
      this.metrics.recordFailure(error, 'scrape');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
