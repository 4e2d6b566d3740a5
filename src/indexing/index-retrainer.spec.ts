import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { EmbeddingModelService } from '../embedding/embedding-model.service';
import { MemoryBudget, MemoryPressure } from '../health/memory-budget';
import { MetricsService } from '../observability/metrics.service';
import { VectorStoreFactory } from '../vector-store/vector-store.factory';
import { ActiveIndexRegistry } from './active-index-registry.service';
import { IndexRetrainer, RETRAIN_MAX_DEFER_MS } from './index-retrainer.service';
import { IndexSynchroniser } from './index-synchroniser.service';

describe('IndexRetrainer: when the drift check runs', () => {
  const T0 = 1_000_000;

  /** A retrainer whose drift check only counts its calls: the catalog never drifts far enough to retrain. */
  function aRetrainer(retrainQuietMs: number, retrainDriftShare = 0.2) {
    const memory = { pressure: null as MemoryPressure };
    const config = { embedding: { retrainDriftShare, retrainQuietMs }, indexing: { shutdownWaitMs: 0 } } as unknown as AppConfig;
    const serving = { modelId: 'model-a' };
    const registry = { opened: true, serving: () => serving } as unknown as ActiveIndexRegistry;
    const catalogDrift = jest.fn(async () => 0.1);
    // A model trained on 1,000 recipes: a check is due once 200 changes were indexed.
    const models = { trainedRecipeCount: () => 1_000, catalogDrift } as unknown as EmbeddingModelService;
    // The catalog still holds the 1,000 recipes the model was trained on (read as a query runner would answer).
    const dataSource = {
      connection: { options: { type: 'sqlite' } },
      query: async () => ({ records: [{ n: 1_000 }] }),
    } as unknown as DataSource;
    const retrainer = new IndexRetrainer(
      dataSource,
      config,
      registry,
      {} as IndexSynchroniser,
      models,
      {} as VectorStoreFactory,
      {} as MetricsService,
      { pressure: () => memory.pressure } as MemoryBudget,
    );
    return { retrainer, catalogDrift, serving, memory };
  }

  it('waits until indexing has been quiet for RETRAIN_QUIET_MS', async () => {
    const { retrainer, catalogDrift } = aRetrainer(10_000);
    retrainer.noteIndexed('model-a', 256, T0);
    await retrainer.maybeRetrain(T0 + 500);
    retrainer.noteIndexed('model-a', 256, T0 + 1_000);
    await retrainer.maybeRetrain(T0 + 10_999);
    expect(catalogDrift).not.toHaveBeenCalled();
    await retrainer.maybeRetrain(T0 + 11_000);
    expect(catalogDrift).toHaveBeenCalledTimes(1);
  });

  it('checks no later than RETRAIN_MAX_DEFER_MS after it came due, however steady the writes', async () => {
    const { retrainer, catalogDrift } = aRetrainer(10_000);
    let now = T0;
    retrainer.noteIndexed('model-a', 256, now);
    // A batch every five seconds, the worker idle in between.
    while (catalogDrift.mock.calls.length === 0 && now < T0 + 2 * RETRAIN_MAX_DEFER_MS) {
      await retrainer.maybeRetrain(now + 1_000);
      now += 5_000;
      retrainer.noteIndexed('model-a', 1, now);
    }
    expect(catalogDrift).toHaveBeenCalledTimes(1);
    expect(now - T0).toBeGreaterThanOrEqual(RETRAIN_MAX_DEFER_MS - 5_000);
    expect(now - T0).toBeLessThanOrEqual(RETRAIN_MAX_DEFER_MS + 5_000);
  });

  it('checks as soon as it is due when RETRAIN_QUIET_MS is 0', async () => {
    const { retrainer, catalogDrift } = aRetrainer(0);
    retrainer.noteIndexed('model-a', 256, T0);
    await retrainer.maybeRetrain(T0);
    expect(catalogDrift).toHaveBeenCalledTimes(1);
  });

  it('does not check before enough of the catalog changed, quiet or not', async () => {
    const { retrainer, catalogDrift } = aRetrainer(10_000);
    retrainer.noteIndexed('model-a', 100, T0);
    await retrainer.maybeRetrain(T0 + 60_000);
    expect(catalogDrift).not.toHaveBeenCalled();
  });

  it('never reads the catalog for a drift check when RETRAIN_DRIFT_SHARE is 1', async () => {
    const { retrainer, catalogDrift } = aRetrainer(0, 1);
    retrainer.noteIndexed('model-a', 5_000, T0);
    await retrainer.maybeRetrain(T0 + 60_000);
    expect(catalogDrift).not.toHaveBeenCalled();
  });

  it('waits afresh for a check that came due again after a swap, not from when the first one did', async () => {
    const { retrainer, catalogDrift, serving } = aRetrainer(10_000);
    retrainer.noteIndexed('model-a', 256, T0);
    await retrainer.maybeRetrain(T0 + 1_000);
    // Another process swapped in model-b: its count starts again, and no check is due.
    serving.modelId = 'model-b';
    retrainer.noteIndexed('model-b', 1, T0 + 2_000);
    await retrainer.maybeRetrain(T0 + 3_000);
    // An hour later an import into model-b's collection makes one due again, mid-import.
    const later = T0 + 3_600_000;
    retrainer.noteIndexed('model-b', 256, later);
    await retrainer.maybeRetrain(later + 1_000);
    expect(catalogDrift).not.toHaveBeenCalled();
  });

  it('holds a due check back while memory is past its high-water mark, and runs it once it is not', async () => {
    const { retrainer, catalogDrift, memory } = aRetrainer(0);
    memory.pressure = 'heap';
    retrainer.noteIndexed('model-a', 256, T0);
    await retrainer.maybeRetrain(T0 + 1_000);
    await retrainer.maybeRetrain(T0 + 2_000);
    expect(catalogDrift).not.toHaveBeenCalled();
    memory.pressure = null;
    await retrainer.maybeRetrain(T0 + 3_000);
    expect(catalogDrift).toHaveBeenCalledTimes(1);
  });
});
