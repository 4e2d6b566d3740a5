import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MemoryBudget } from '../health/memory-budget';
import { MetricsService } from './metrics.service';

/**
 * The memory budget as Prometheus sees it, read on each scrape: an alert on the live heap's share
 * of its limit warns before recipes are refused, which prom-client's own heap series (garbage
 * included) cannot.
 */
@Injectable()
export class MemoryMetrics {
  constructor(budget: MemoryBudget, metrics: MetricsService) {
    const registers = [metrics.registry];
    new Gauge({
      name: 'recipes_memory_heap_live_bytes',
      help: 'JavaScript heap in use after the last full garbage collection',
      registers,
      collect() {
        this.set(budget.readings().heapLive);
      },
    });
    new Gauge({
      name: 'recipes_memory_heap_limit_bytes',
      help: "The old generation's limit, which the live heap is held against",
      registers,
      collect() {
        this.set(budget.readings().heapLimit);
      },
    });
    new Gauge({
      name: 'recipes_memory_limit_bytes',
      help: 'The memory the process may use, which its resident set is held against',
      registers,
      collect() {
        this.set(budget.readings().memoryLimit);
      },
    });
    new Gauge({
      name: 'recipes_memory_high_water_exceeded',
      help: '1 while memory is past MEMORY_HIGH_WATER_PERCENT and no recipes are added, else 0',
      registers,
      collect() {
        this.set(budget.pressure() === null ? 0 : 1);
      },
    });
  }
}
