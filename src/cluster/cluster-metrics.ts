import type { Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import { hasType, sendTo, sendToPrimary } from './ipc';

/**
 * `/metrics` when several workers serve one port. A scrape reaches whichever worker the primary
 * hands its connection to, so that worker asks the primary, the primary asks every worker for
 * its series, and the answer holds them all, each labelled with its worker's slot (`worker="1"`).
 * Summed over `worker` they are the service's totals; apart, they show one worker lagging (its
 * index points, its event loop).
 */

/** The label that tells the workers' series apart. */
export const WORKER_LABEL = 'worker';
/** A worker that has not answered by then is left out of the scrape (it is starting or stuck). */
export const COLLECT_TIMEOUT_MS = 3_000;

/** worker → primary: render every worker's series for me. */
interface RenderRequest {
  type: 'recipes:metrics-render';
  id: string;
}
/** primary → worker: your series, please. */
interface CollectRequest {
  type: 'recipes:metrics-collect';
  id: string;
}
/** worker → primary: mine. */
interface CollectAnswer {
  type: 'recipes:metrics-part';
  id: string;
  metrics: MetricObjectWithValues<MetricValue<string>>[];
}
/** primary → worker: everyone's, as Prometheus text (or why not). */
interface RenderAnswer {
  type: 'recipes:metrics-text';
  id: string;
  text?: string;
  error?: string;
}

type Message = RenderRequest | CollectRequest | CollectAnswer | RenderAnswer;

function isMessage<T extends Message['type']>(value: unknown, type: T): value is Extract<Message, { type: T }> {
  return hasType<Extract<Message, { type: T }>>(value, type);
}

/** In a worker: hands this registry's series to the primary whenever it collects. */
export function answerMetricsCollection(registry: Registry): void {
  process.on('message', (message: unknown) => {
    if (!isMessage(message, 'recipes:metrics-collect')) return;
    void registry.getMetricsAsJSON().then(
      (metrics) => sendToPrimary({ type: 'recipes:metrics-part', id: message.id, metrics } satisfies CollectAnswer),
      // Answering nothing leaves this worker out of the scrape, after the primary's timeout.
      () => undefined,
    );
  });
}

/** In a worker: every worker's series, through the primary. */
export function renderClusterMetrics(timeoutMs = 2 * COLLECT_TIMEOUT_MS): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(() => reject(new Error('The primary process did not answer for the workers’ metrics'))),
      timeoutMs,
    );
    const onMessage = (message: unknown) => {
      if (!isMessage(message, 'recipes:metrics-text') || message.id !== id) return;
      finish(() => (message.text !== undefined ? resolve(message.text) : reject(new Error(message.error ?? 'no metrics'))));
    };
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      process.removeListener('message', onMessage);
      settle();
    };
    process.on('message', onMessage);
    sendToPrimary({ type: 'recipes:metrics-render', id } satisfies RenderRequest);
  });
}

/** The `worker` label of the primary's own series (its process's CPU and memory). */
export const PRIMARY_LABEL = 'primary';

/**
 * The primary's side: answers a worker's render request with every listening worker's series,
 * and its own process's (`own`, labelled `worker="primary"`), so that summed over `worker` the
 * memory and CPU are the whole service's.
 */
export class MetricsGatherer {
  private readonly pending = new Map<string, (metrics: CollectAnswer['metrics']) => void>();

  /** `workers`: the slot and process of each worker now serving. */
  constructor(
    private readonly workers: () => ReadonlyArray<{ slot: number; worker: Worker }>,
    private readonly timeoutMs = COLLECT_TIMEOUT_MS,
    private readonly own: Registry | null = null,
  ) {}

  /** Wire to `cluster.on('message')`. */
  onMessage(from: Worker, message: unknown): void {
    if (isMessage(message, 'recipes:metrics-part')) {
      this.pending.get(message.id)?.(message.metrics);
      return;
    }
    if (!isMessage(message, 'recipes:metrics-render')) return;
    this.render().then(
      (text) => sendTo(from, { type: 'recipes:metrics-text', id: message.id, text } satisfies RenderAnswer),
      (error: unknown) => sendTo(from, { type: 'recipes:metrics-text', id: message.id, error: String(error) } satisfies RenderAnswer),
    );
  }

  /** Every serving worker's series, labelled by slot; a worker that does not answer in time is left out. */
  async render(): Promise<string> {
    const parts = await Promise.all(this.workers().map(({ slot, worker }) => this.collect(slot, worker)));
    if (this.own) parts.push(labelled(await this.own.getMetricsAsJSON(), PRIMARY_LABEL));
    return AggregatorRegistry.aggregate(parts.filter((part) => part !== null)).metrics();
  }

  private collect(slot: number, worker: Worker): Promise<MetricObjectWithValues<MetricValue<string>>[] | null> {
    const id = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), this.timeoutMs);
      const done = (metrics: CollectAnswer['metrics'] | null) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(metrics === null ? null : labelled(metrics, slot));
      };
      this.pending.set(id, done);
      sendTo(worker, { type: 'recipes:metrics-collect', id } satisfies CollectRequest, () => done(null));
    });
  }
}

/**
 * One worker's series with its slot as a label (or the primary's, with `primary`). Every series
 * is then unique to its worker, so aggregating keeps each one as it is: `first` of a group of one. (prom-client's own per-metric
 * rules would sum or average the workers, or drop a series such as the start time.)
 */
export function labelled(
  metrics: MetricObjectWithValues<MetricValue<string>>[],
  slot: number | typeof PRIMARY_LABEL,
): MetricObjectWithValues<MetricValue<string>>[] {
  return metrics.map((metric) => ({
    ...metric,
    aggregator: 'first',
    values: metric.values.map((value) => ({ ...value, labels: { ...value.labels, [WORKER_LABEL]: String(slot) } })),
  }));
}
