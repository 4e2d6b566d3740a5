import pino from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { keepGeneratedAdminKey } from '../config/admin-key-file';
import { AppConfig } from '../config/app-config';
import { workerMemoryShare } from '../config/heap-limit';
import { createAppLogger } from '../observability/request-logger';
import { WorkerPool } from './worker-pool';

/** Beyond a worker's own graceful stop (SHUTDOWN_WAIT_MS), the time it may take to close before it is killed. */
const STOP_MARGIN_MS = 5_000;

/**
 * Runs this process as the primary of `config.workers` workers (see WorkerPool) and exits with
 * the pool's code. Each worker gets an equal share of the memory (its heap and memory budget),
 * and the one admin key: a generated key is made here once, not by each worker.
 */
export async function runPrimary(config: AppConfig): Promise<never> {
  const logger = createAppLogger(config.logLevel, pino.destination(1)).child({ role: 'primary' });
  const env: Record<string, string> = {};
  if (config.adminApiKeyGenerated) {
    const kept = keepGeneratedAdminKey(config.adminApiKey, config.databasePath);
    env.ADMIN_API_KEY = kept.key;
    logger.warn(`ADMIN_API_KEY is not set; admin routes accept a generated key, kept in ${kept.file} (readable by this user only)`);
  }
  const share = workerMemoryShare(process.env, config.workers);
  env.MEMORY_LIMIT_MIB = String(share.memoryLimitMiB);
  logger.info({ workers: config.workers, memoryLimitMiB: share.memoryLimitMiB, heap: share.heapFlags }, 'Starting the workers');
  const pool = new WorkerPool({
    workers: config.workers,
    env,
    execArgv: [...withoutHeapSize(process.execArgv), ...share.heapFlags],
    logger,
    stopTimeoutMs: config.indexing.shutdownWaitMs + STOP_MARGIN_MS,
    metrics: config.metrics.enabled ? processMetrics() : null,
  });
  const code = await pool.run();
  logger.info({ code }, 'Workers stopped');
  logger.flush();
  process.exit(code);
}

/** prom-client's default metrics of this process: its CPU and memory belong to the service's totals. */
function processMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** `argv` without a heap size (`--max-old-space-size=N`, `--max_old_space_size N`…): each worker gets its own. */
export function withoutHeapSize(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = /^--max[-_]old[-_]space[-_]size(=.*)?$/.exec(argv[i]);
    if (!flag) kept.push(argv[i]);
    else if (flag[1] === undefined) i++;
  }
  return kept;
}
