import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { toErrorBody } from '../src/common/error-mapper';
import { EmbeddingModelService } from '../src/embedding/embedding-model.service';
import { FoodConceptTrainer } from '../src/embedding/food-concepts/food-concept.trainer';
import { ActiveIndexRegistry } from '../src/indexing/active-index-registry.service';
import { IndexRetrainer } from '../src/indexing/index-retrainer.service';
import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { SeedService } from '../src/recipes/seed.service';
import { eventually } from './support/eventually';
import { createPostgresDatabase, onPostgres } from './support/postgres/databases';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

describe('Food-concept model freshness', () => {
  let t: TestApp;
  const health = async () => (await t.http().get('/api/health').expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp({
      seed: { source: 'italian-giallozafferano' },
      env: { RETRAIN_DRIFT_SHARE: '0.2', RETRAIN_QUIET_MS: '200', INDEX_POLL_MS: '50', INDEX_RETIRE_GRACE_MS: '0' },
    });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('keeps the model when an admin asks to retrain an unchanged catalog', async () => {
    const before = (await health()).embedder.modelId;
    const res = await t.http().post('/api/admin/index/retrain').set('x-api-key', ADMIN_KEY).expect(200);
    expect(res.body).toEqual({ previous: before, current: before });
  });

  it('retrains by itself after a large import, swapping model and index together', async () => {
    const before = await health();
    t.app.get(OutboxWorker).start();
    await t.app.get(SeedService).seed({ source: 'indian-food-101' });

    const after = await eventually(health, (body) => body.embedder.modelId !== before.embedder.modelId && body.index.pending === 0);
    expect(after.embedder.modelId).not.toBe(before.embedder.modelId);
    expect(after.vectorStore.collection).not.toBe(before.vectorStore.collection);
    expect(after.vectorStore.points).toBe(101 + 255);

    const report = (await t.http().get('/api/admin/index').set('x-api-key', ADMIN_KEY).expect(200)).body;
    expect(report).toMatchObject({ modelId: after.embedder.modelId, catalog: 356, indexed: 356, drift: 0 });

    // The retired model's collection is gone from the embedded store's tables.
    const collections = await t.app.get(DataSource).query('SELECT name FROM vector_collections');
    expect(collections).toEqual([{ name: after.vectorStore.collection }]);
  }, 30_000);

  it('refuses the admin routes without the key', async () => {
    await t.http().post('/api/admin/index/retrain').expect(401);
    await t.http().get('/api/admin/index').set('x-api-key', 'nope-nope').expect(403);
  });
});

describe('A catalog that changed before the process started', () => {
  it('is retrained on by the next process, not only after further writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recipes-restart-'));
    const databasePath = onPostgres() ? await createPostgresDatabase() : join(dir, 'catalog.sqlite');
    // The first process never retrains by itself (the drift would have to pass the whole catalog).
    const first = await createTestApp({ databasePath, seed: { source: 'italian-giallozafferano' }, env: { RETRAIN_DRIFT_SHARE: '1' } });
    const modelOf = async (app: TestApp) => (await app.http().get('/api/health').expect(200)).body.embedder.modelId;
    const trained = await modelOf(first);
    await first.app.get(SeedService).seed({ source: 'indian-food-101' });
    await first.app.get(OutboxWorker).drain();
    expect(await modelOf(first)).toBe(trained);
    await first.close(); // its own temporary folder only: the catalog is ours

    const next = await createTestApp({ databasePath, env: { RETRAIN_DRIFT_SHARE: '0.2', RETRAIN_QUIET_MS: '200', INDEX_POLL_MS: '50' } });
    try {
      next.app.get(OutboxWorker).start();
      const health = async () => (await next.http().get('/api/health').expect(200)).body;
      const after = await eventually(health, (body) => body.embedder.modelId !== trained && body.index.pending === 0);
      expect(after.embedder.modelId).not.toBe(trained);
      expect(after.vectorStore.points).toBe(101 + 255);
    } finally {
      await next.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('Shutting down next to a drift check', () => {
  it('waits for a drift check in flight before the database closes', async () => {
    const t = await createTestApp({
      seed: { source: 'italian-giallozafferano' },
      env: { RETRAIN_DRIFT_SHARE: '0.2', RETRAIN_QUIET_MS: '200', INDEX_POLL_MS: '20' },
    });
    const models = t.app.get(EmbeddingModelService);
    const real = models.catalogDrift.bind(models);
    let started = false;
    let settled = false;
    jest.spyOn(models, 'catalogDrift').mockImplementation(async () => {
      started = true;
      // Long enough for close() to begin while the check is still reading the catalog.
      await new Promise((resolve) => setTimeout(resolve, 300));
      try {
        return await real();
      } finally {
        settled = true;
      }
    });
    t.app.get(OutboxWorker).start();
    await t.app.get(SeedService).seed({ source: 'indian-food-101' });
    await eventually(
      async () => started,
      (value) => value,
    );
    await t.close();
    expect(settled).toBe(true);
  }, 30_000);
});

describe('Indexing next to a long drift check', () => {
  it('keeps indexing new recipes while a drift check is still reading the catalog', async () => {
    const t = await createTestApp({
      seed: { source: 'italian-giallozafferano' },
      env: { RETRAIN_DRIFT_SHARE: '0.2', RETRAIN_QUIET_MS: '200', INDEX_POLL_MS: '20' },
    });
    const models = t.app.get(EmbeddingModelService);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let checking = false;
    const real = models.catalogDrift.bind(models);
    jest.spyOn(models, 'catalogDrift').mockImplementation(async () => {
      checking = true;
      await held;
      return real();
    });
    try {
      t.app.get(OutboxWorker).start();
      await t.app.get(SeedService).seed({ source: 'indian-food-101' });
      await eventually(
        async () => checking,
        (value) => value,
      );
      const created = await t
        .http()
        .post('/api/recipes')
        .set('x-api-key', ADMIN_KEY)
        .send({
          name: 'Drift check bystander',
          source: 'test',
          sourceId: 'bystander',
          ingredients: [{ name: 'chickpeas' }, { name: 'cumin' }],
        })
        .expect(201);
      const similar = await eventually(
        async () => (await t.http().get(`/api/recipes/${created.body.id}/similar?limit=1`)).status,
        (status) => status === 200,
      );
      expect(similar).toBe(200);
      expect(checking).toBe(true);
    } finally {
      release();
      await t.close();
    }
  }, 60_000);
});

describe('Shutting down during a retrain', () => {
  it('stops a retrain still training once the wait runs out, keeping the serving model', async () => {
    const t = await createTestApp({ seed: { source: 'italian-giallozafferano' }, env: { SHUTDOWN_WAIT_MS: '0' } });
    const serving = t.app.get(ActiveIndexRegistry).serving().modelId;
    // Training that would never end by itself (a catalog far larger than this one).
    let training = false;
    jest
      .spyOn(FoodConceptTrainer.prototype as unknown as { trainSteps: () => Generator<void> }, 'trainSteps')
      .mockImplementation(function* () {
        training = true;
        for (;;) yield;
      });
    try {
      const retrain = t.app.get(IndexRetrainer).retrainAndSwap();
      // What the caller of the retrain route gets: 503, the service going away.
      const outcome = retrain.then(
        () => 'finished',
        (error: unknown) => toErrorBody(error),
      );
      await eventually(
        async () => training,
        (value) => value,
      );
      const registry = t.app.get(ActiveIndexRegistry);
      await t.close();
      expect(await outcome).toMatchObject({ statusCode: 503, code: 'VECTOR_STORE_UNAVAILABLE' });
      expect(registry.serving().modelId).toBe(serving);
    } finally {
      jest.restoreAllMocks();
    }
  }, 30_000);
});
