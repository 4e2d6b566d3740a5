import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { QdrantStubServer } from './support/qdrant-stub/qdrant-stub.server';
import { createPostgresDatabase } from './support/postgres/databases';
import { ServiceProcess } from './support/service-process';
import { until } from './support/eventually';

jest.setTimeout(180_000);

const root = join(__dirname, '..');
/** The figure: a write through one replica is searchable through the other within 2 s. */
const FOUND_ELSEWHERE_WITHIN_MS = 2_000;
/** Recipes in the bulk import whose indexing one replica is killed in the middle of. */
const BULK = 200;

/**
 * Two replicas of the built service (`node dist/main.js`, each its own process) on one
 * PostgreSQL database and one Qdrant (the stub, served from this process), seen only through
 * their HTTP APIs, as a client behind a load balancer sees them. Needs PostgreSQL: only the
 * e2e-postgres project runs it.
 */
describe('Two replicas on one PostgreSQL and one Qdrant', () => {
  let stub: QdrantStubServer;
  let db: DataSource;
  let dir: string;
  let env: Record<string, string>;
  let a: ServiceProcess;
  let b: ServiceProcess;
  const started: ServiceProcess[] = [];
  /** The recipe the first test writes through A. */
  let quorvish: string;

  const start = async (name: string) => {
    const service = await ServiceProcess.start(name, env);
    started.push(service);
    return service;
  };
  const sql = async <T = Record<string, unknown>>(query: string, parameters: unknown[] = []): Promise<T[]> => db.query(query, parameters);
  /** Recipe ids in the collection the alias serves, one per point, from the Qdrant stub itself. */
  const servedPointIds = (): string[] => {
    const name = stub.aliases.get(env.QDRANT_COLLECTION_PREFIX)!;
    const collection = stub.collections.get(name)!;
    return [...collection.points.values()].map((point) => (point.payload as { recipeId: string }).recipeId);
  };
  const searchIds = async (service: ServiceProcess, q: string): Promise<string[]> => {
    const res = await service.get(`/api/search?limit=10&q=${encodeURIComponent(q)}`);
    return res.status === 200 ? res.body.items.map((hit: { recipe: { id: string } }) => hit.recipe.id) : [];
  };
  const diagnostics = () => started.map((service) => service.recentLog()).join('\n');

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'ensure-build.js')], { cwd: root, stdio: 'inherit' });
    stub = await QdrantStubServer.start();
    dir = mkdtempSync(join(tmpdir(), 'recipes-replicas-'));
    const url = await createPostgresDatabase();
    db = await new DataSource({ type: 'postgres', url }).initialize();
    env = {
      DATABASE_URL: url,
      // Unused on PostgreSQL, but nothing should land in the working tree.
      DATABASE_PATH: join(dir, 'unused.sqlite'),
      VECTOR_STORE: 'qdrant',
      QDRANT_URL: stub.url,
      QDRANT_COLLECTION_PREFIX: `replicas_${process.pid}`,
      // The default: whichever replica starts first on the empty database seeds the bundled catalog.
      SEED_ON_EMPTY: 'true',
      // info: the spec reads which replica seeded.
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '0',
      INDEX_FOLLOW_MS: '100',
      INDEX_POLL_MS: '100',
      // Small batches: the bulk below takes several, so a replica can die between and inside them.
      INDEX_BATCH_SIZE: '16',
      // A dead replica's claimed rows are taken over after this instead of two minutes.
      INDEX_CLAIM_LEASE_MS: '3000',
      INDEX_RETIRE_GRACE_MS: '1000',
      // No retrain of its own after the bulk import: the retrain below is asked for explicitly.
      RETRAIN_DRIFT_SHARE: '1',
    };
    // Started together on the empty database, as a deployment of two replicas does.
    [a, b] = await Promise.all([start('A'), start('B')]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
    await db?.destroy();
    await stub?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) process.stderr.write(`${diagnostics()}\n`);
  });

  it('both start together on an empty database: one seeded catalog, one model, one index they both serve', async () => {
    const [{ n, distinct }] = await sql<{ n: string; distinct: string }>(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT (source, source_id)) AS distinct FROM recipes',
    );
    // One of them seeded, the other found the catalog seeded when its turn came.
    expect([a, b].filter((service) => service.logged(/Empty catalog: seeding/)).map((service) => service.name)).toHaveLength(1);
    // The four bundled collections, each recipe once.
    expect(Number(n)).toBeGreaterThan(1000);
    expect(Number(distinct)).toBe(Number(n));
    const models = await sql<{ id: string }>('SELECT id FROM embedding_models');
    expect(models).toHaveLength(1);
    const [healthA, healthB] = await Promise.all([a.get('/api/health'), b.get('/api/health')]);
    for (const health of [healthA, healthB]) {
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({
        database: { state: 'up', recipes: Number(n) },
        embedder: { state: 'up', modelId: models[0].id },
        vectorStore: { state: 'up', collection: stub.aliases.get(env.QDRANT_COLLECTION_PREFIX) },
      });
    }
    expect(new Set(servedPointIds()).size).toBe(Number(n));
  });

  it('a recipe created through A is found by search on B within 2 s', async () => {
    const created = await a.request(
      'POST',
      '/api/recipes',
      {
        name: 'Quorvish replica dal',
        source: 'replica-test',
        sourceId: 'quorvish-dal',
        language: 'en',
        ingredients: [{ name: 'red lentils' }, { name: 'turmeric' }, { name: 'ghee' }, { name: 'cumin seeds' }],
        steps: ['Simmer the lentils with turmeric', 'Temper cumin in ghee and pour over'],
      },
      { admin: true },
    );
    expect(created.status).toBe(201);
    quorvish = created.body.id;
    // Timed from the moment the write returned, as the user who made it would.
    const found = await until(
      () => searchIds(b, 'Quorvish replica dal'),
      (ids) => ids.includes(created.body.id),
      FOUND_ELSEWHERE_WITHIN_MS,
    );
    expect(found.value).toContain(created.body.id);
    process.stdout.write(`replicas: found on B ${found.ms} ms after the write on A returned\n`);
    // And the catalog itself: B reads the recipe A wrote.
    expect((await b.get(`/api/recipes/${created.body.id}`)).body).toMatchObject({ name: 'Quorvish replica dal' });
  });

  it('shares interactions and user profiles: a rating and preferences stored through A shape what B recommends', async () => {
    const [rated] = (await b.get('/api/recipes?name=Palak%20paneer&limit=5')).body.items;
    expect(rated).toBeDefined();
    const rating = await a.request('POST', '/api/users/replica-user/interactions', { recipeId: rated.id, type: 'rating', value: 5 });
    expect(rating.status).toBe(201);
    const put = await a.request('PUT', '/api/users/replica-user/preferences', { exclude: ['peanut'] });
    expect(put.status).toBe(200);

    expect((await b.get('/api/users/replica-user/preferences')).body).toMatchObject({ userId: 'replica-user', exclude: ['peanut'] });
    const recs = await b.get('/api/users/replica-user/recommendations?limit=10');
    expect(recs.status).toBe(200);
    const hits: Array<{ recipe: { id: string }; why: { becauseYouLiked?: string[] } }> = recs.body.items;
    expect(hits.length).toBeGreaterThan(0);
    // A rated dish is never recommended back, and the list is explained by it.
    expect(hits.map((hit) => hit.recipe.id)).not.toContain(rated.id);
    expect(hits.some((hit) => hit.why.becauseYouLiked?.includes(rated.name))).toBe(true);
  });

  it('A killed (SIGKILL) while it drains a bulk import: B finishes the work, every recipe indexed exactly once', async () => {
    const writerA = `${hostname()}:${a.pid}:%`;
    const recipes = Array.from({ length: BULK }, (_, i) => ({
      name: `Replica bulk ${pseudoWord(i)} curry`,
      source: 'replica-bulk',
      sourceId: `bulk-${i}`,
      language: 'en',
      ingredients: [
        { name: 'onion' },
        { name: ['chickpeas', 'potato', 'paneer', 'spinach', 'cauliflower'][i % 5] },
        { name: 'garam masala' },
      ],
      steps: ['Fry the onion', 'Add the rest and simmer'],
    }));
    const bulk = await a.request('POST', '/api/recipes/bulk', { recipes }, { admin: true });
    expect(bulk.status).toBe(200);

    // Kill A while it holds a claim and part of the bulk is already indexed.
    const caught = await until(
      async () => {
        const [row] = await sql<{ mine: string; left: string }>(
          `SELECT (SELECT COUNT(*) FROM index_outbox WHERE claimed_by LIKE $1 AND claim_expires_at >= $2) AS mine,
                  (SELECT COUNT(*) FROM index_outbox) AS left`,
          [writerA, Date.now()],
        );
        return { mine: Number(row.mine), left: Number(row.left) };
      },
      ({ mine, left }) => mine > 0 && left < BULK,
      10_000,
    );
    await a.kill();
    expect(caught.value.mine).toBeGreaterThan(0);
    const orphaned = await sql<{ recipe_id: string }>('SELECT recipe_id FROM index_outbox WHERE claimed_by LIKE $1', [writerA]);
    const [{ n: leftAtKill }] = await sql<{ n: string }>('SELECT COUNT(*) AS n FROM index_outbox');
    process.stdout.write(`replicas: A killed holding ${orphaned.length} claimed rows, ${leftAtKill} of ${BULK} rows left in the outbox\n`);
    // Whether A's last batch finished or not in the instant before the signal, there must be work left for B.
    expect(Number(leftAtKill)).toBeGreaterThan(0);

    // B alone: the outbox empties (A's claimed rows once their lease runs out) and the index matches the catalog.
    const settled = await until(
      async () => (await b.get('/api/admin/index', { admin: true })).body,
      (report) => report.pendingOutbox === 0 && report.drift === 0,
      60_000,
    );
    expect(settled.value).toMatchObject({ pendingOutbox: 0, drift: 0, missing: [], stale: [], orphans: [] });

    const catalog = (await sql<{ id: string }>('SELECT id FROM recipes')).map((row) => row.id);
    expect(settled.value.catalog).toBe(catalog.length);
    const points = servedPointIds();
    // One point per recipe: as many points as recipes, no recipe twice, none missing.
    expect(points).toHaveLength(catalog.length);
    expect(new Set(points).size).toBe(points.length);
    expect(new Set(points)).toEqual(new Set(catalog));
    // Work A had done on its last batch without recording it is done again by B (harmless: the
    // same point is overwritten); counted for the log, not asserted, as it depends on timing.
    const upserts = new Map<string, number>();
    for (const req of stub.requestsTo('PUT', /\/points$/)) {
      for (const point of (req.body as { points: Array<{ payload: { recipeId: string } }> }).points) {
        upserts.set(point.payload.recipeId, (upserts.get(point.payload.recipeId) ?? 0) + 1);
      }
    }
    const redone = orphaned.filter(({ recipe_id }) => (upserts.get(recipe_id) ?? 0) > 1).length;
    process.stdout.write(`replicas: ${redone} of A's ${orphaned.length} claimed recipes were written to the index by both\n`);

    // As a user sees it: the recipes A was indexing when it died are found through B.
    for (const { recipe_id } of orphaned.slice(0, 3)) {
      const [{ name }] = await sql<{ name: string }>('SELECT name FROM recipes WHERE id = $1', [recipe_id]);
      const found = await until(
        () => searchIds(b, name),
        (ids) => ids.includes(recipe_id),
        10_000,
      );
      process.stdout.write(`replicas: ${name} found on B ${found.ms} ms after the index settled\n`);
      expect(found.value).toContain(recipe_id);
    }
  });

  it('retrains asked of both replicas at once build one new model, and both then serve it', async () => {
    // A comes back, as a restarted replica would, and joins B on the same database.
    a = await start('A (restarted)');
    const modelsBefore = Number((await sql<{ n: string }>('SELECT COUNT(*) AS n FROM embedding_models'))[0].n);
    const creates = stub.requestsTo('PUT', /^\/collections\/[^/]+$/).length;

    const [fromA, fromB] = await Promise.all([
      a.request('POST', '/api/admin/index/retrain', undefined, { admin: true }),
      b.request('POST', '/api/admin/index/retrain', undefined, { admin: true }),
    ]);
    expect([fromA.status, fromB.status].sort()).toEqual([200, 409]);
    const done = fromA.status === 200 ? fromA : fromB;
    const refused = fromA.status === 409 ? fromA : fromB;
    expect(refused.body).toMatchObject({ statusCode: 409, code: 'INDEX_JOB_RUNNING', details: { job: { kind: 'retrain' } } });
    expect(done.body.current).not.toBe(done.body.previous);
    // Exactly one new model and one new collection.
    expect(Number((await sql<{ n: string }>('SELECT COUNT(*) AS n FROM embedding_models'))[0].n)).toBe(modelsBefore + 1);
    expect(stub.requestsTo('PUT', /^\/collections\/[^/]+$/).length - creates).toBe(1);

    const health = (service: ServiceProcess) => service.get('/api/health').then((res) => res.body);
    for (const service of [a, b]) {
      const followed = await until(
        () => health(service),
        (body) => body.embedder?.modelId === done.body.current,
        10_000,
      );
      expect(followed.value.embedder.modelId).toBe(done.body.current);
    }
    const [healthA, healthB] = await Promise.all([health(a), health(b)]);
    expect(healthA.vectorStore.collection).toBe(healthB.vectorStore.collection);
    expect(healthA.vectorStore.collection).toBe(stub.aliases.get(env.QDRANT_COLLECTION_PREFIX));
    // Both answer from the new index.
    for (const service of [a, b]) expect(await searchIds(service, 'Quorvish replica dal')).toContain(quorvish);
    const [reportA, reportB] = await Promise.all([a.get('/api/admin/index', { admin: true }), b.get('/api/admin/index', { admin: true })]);
    expect(reportA.body).toMatchObject({ modelId: done.body.current, drift: 0 });
    expect(reportB.body).toMatchObject({ modelId: done.body.current, drift: 0 });
  });
});

/** A made-up word per number, so each bulk recipe has a name of its own to search for. */
function pseudoWord(n: number): string {
  const consonants = 'bdfgklmnprstvz';
  const vowels = 'aeiou';
  let word = '';
  let rest = n + 7 * 14 * 5;
  while (rest > 0) {
    word += consonants[rest % consonants.length] + vowels[Math.floor(rest / consonants.length) % vowels.length];
    rest = Math.floor(rest / (consonants.length * vowels.length));
  }
  return word;
}
