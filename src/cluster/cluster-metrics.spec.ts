import type { Worker } from 'node:cluster';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { labelled, MetricsGatherer } from './cluster-metrics';

/** A worker's registry: a counter, a histogram, and a gauge prom-client would leave out when aggregating. */
function workerRegistry(requests: number, seconds: number[], startedAt: number): Registry {
  const registry = new Registry();
  new Counter({ name: 'requests_total', help: 'requests', labelNames: ['route'], registers: [registry] }).inc(
    { route: '/api/search' },
    requests,
  );
  const latency = new Histogram({ name: 'latency_seconds', help: 'latency', buckets: [0.01, 0.1], registers: [registry] });
  for (const s of seconds) latency.observe(s);
  new Gauge({ name: 'started_at_seconds', help: 'start', aggregator: 'omit', registers: [registry] }).set(startedAt);
  return registry;
}

/** A stand-in for a cluster worker: answers the primary's collect request with its registry's series (or never). */
function fakeWorker(registry: Registry | null, gatherer: () => MetricsGatherer): Worker {
  const worker = {
    send: (message: { type: string; id: string }) => {
      if (registry !== null) {
        void registry
          .getMetricsAsJSON()
          .then((metrics) => gatherer().onMessage(worker, { type: 'recipes:metrics-part', id: message.id, metrics }));
      }
      return true;
    },
  } as unknown as Worker;
  return worker;
}

describe('cluster metrics', () => {
  it('keeps every worker’s series apart under its `worker` label, a series prom-client would drop included', async () => {
    const one = labelled(await workerRegistry(3, [0.005], 100).getMetricsAsJSON(), 1);
    expect(one[0].values[0].labels).toEqual({ route: '/api/search', worker: '1' });

    const workers = [
      { slot: 1, worker: fakeWorker(workerRegistry(3, [0.005], 100), (): MetricsGatherer => gatherer) },
      { slot: 2, worker: fakeWorker(workerRegistry(5, [0.05, 0.5], 200), (): MetricsGatherer => gatherer) },
    ];
    const gatherer: MetricsGatherer = new MetricsGatherer(() => workers);
    const text = await gatherer.render();
    expect(text).toContain('requests_total{route="/api/search",worker="1"} 3');
    expect(text).toContain('requests_total{route="/api/search",worker="2"} 5');
    expect(text).toContain('latency_seconds_bucket{le="0.01",worker="1"} 1');
    expect(text).toContain('latency_seconds_bucket{le="0.1",worker="2"} 1');
    expect(text).toContain('latency_seconds_count{worker="2"} 2');
    expect(text).toContain('started_at_seconds{worker="1"} 100');
    expect(text).toContain('started_at_seconds{worker="2"} 200');
    // The same metric's series from both workers sit under one HELP and TYPE.
    expect(text.match(/# TYPE requests_total counter/g)).toHaveLength(1);
  });

  it('leaves out a worker that does not answer in time, and answers with the others', async () => {
    const workers = [
      { slot: 1, worker: fakeWorker(workerRegistry(3, [], 100), (): MetricsGatherer => gatherer) },
      { slot: 2, worker: fakeWorker(null, (): MetricsGatherer => gatherer) },
    ];
    const gatherer: MetricsGatherer = new MetricsGatherer(() => workers, 50);
    const text = await gatherer.render();
    expect(text).toContain('requests_total{route="/api/search",worker="1"} 3');
    expect(text).not.toContain('worker="2"');
  });

  it('adds the primary’s own series under `worker="primary"`', async () => {
    const workers = [{ slot: 1, worker: fakeWorker(workerRegistry(3, [], 100), (): MetricsGatherer => gatherer) }];
    const own = new Registry();
    new Gauge({ name: 'process_resident_memory_bytes', help: 'rss', registers: [own] }).set(50_000_000);
    const gatherer: MetricsGatherer = new MetricsGatherer(() => workers, 1_000, own);
    const text = await gatherer.render();
    expect(text).toContain('process_resident_memory_bytes{worker="primary"} 50000000');
    expect(text).toContain('requests_total{route="/api/search",worker="1"} 3');
  });
});
