import { DataSource } from 'typeorm';
import { openDataSource } from '../src/database/data-source';
import { queryRows } from '../src/database/sql';
import { OutboxWorker } from '../src/indexing/outbox-worker.service';
import { stableRecipeId } from '../src/recipes/recipes.service';
import { databaseFaults, DatabaseFaults } from './support/database-faults';
import { eventually } from './support/eventually';
import { createPostgresDatabase, onPostgres } from './support/postgres/databases';
import { StoppablePostgres, startStoppablePostgres } from './support/postgres/server';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const SOURCE = 'full-disk';
/** Room for a few dozen of these recipes above the empty schema (120 SQLite pages): the database fills in seconds. */
const SPARE_BYTES = 120 * 4096;

type Kind = 'recipe' | 'bulk' | 'interaction' | 'interactions';

interface Outcome {
  kind: Kind;
  status: number;
  body: Record<string, unknown>;
}

/**
 * The database on a full disk, made full on demand (SQLite's per-connection page limit, or on
 * PostgreSQL the server's disk-full error from a trigger; see database-faults.ts): every write
 * answered 2xx must be stored, every other one must leave nothing behind and say why in the
 * error shape, and health must say the database takes no writes until it does again.
 */
describe('Writes on a full database', () => {
  let databasePath: string;
  let t: TestApp;
  let dataSource: DataSource;
  let faults: DatabaseFaults;
  let seq = 0;

  const recipe = (sourceId: string) => ({
    name: `Full disk stew ${sourceId}`,
    description: `A stew that takes up room on disk, ${sourceId}. `.repeat(40),
    source: SOURCE,
    sourceId,
    ingredients: [{ name: 'beef' }, { name: 'potato' }, { name: 'carrot' }, { name: 'onion' }],
    steps: Array.from({ length: 6 }, (_, s) => `Step ${s + 1} of ${sourceId}: simmer and stir patiently.`),
  });

  // What the API confirmed, to compare with the file afterwards.
  const confirmedSourceIds = new Set<string>();
  const refusedSourceIds = new Set<string>();
  const confirmedInteractionIds = new Set<string>();
  const confirmedBulkUsers = new Map<string, number>();
  const refusedUsers = new Set<string>();
  let baseRecipeId: string;

  async function write(kind: Kind): Promise<Outcome> {
    const n = seq++;
    let res;
    switch (kind) {
      case 'recipe':
        res = await t
          .http()
          .post('/api/recipes')
          .set('x-api-key', ADMIN_KEY)
          .send(recipe(`stew-${n}`));
        if (res.status === 201) {
          expect(res.body.id).toBe(stableRecipeId(SOURCE, `stew-${n}`));
          confirmedSourceIds.add(`stew-${n}`);
        } else refusedSourceIds.add(`stew-${n}`);
        break;
      case 'bulk': {
        const batch = Array.from({ length: 8 }, (_, j) => recipe(`bulk-${n}-${j}`));
        res = await t.http().post('/api/recipes/bulk').set('x-api-key', ADMIN_KEY).send({ recipes: batch });
        const target = res.status === 200 ? confirmedSourceIds : refusedSourceIds;
        if (res.status === 200) expect(res.body).toMatchObject({ created: 8, failed: [] });
        for (const r of batch) target.add(r.sourceId);
        break;
      }
      case 'interaction':
        res = await t.http().post(`/api/users/user-${n}/interactions`).send({ recipeId: baseRecipeId, type: 'rating', value: 4 });
        if (res.status === 201) confirmedInteractionIds.add(res.body.id);
        else refusedUsers.add(`user-${n}`);
        break;
      case 'interactions': {
        const interactions = Array.from({ length: 50 }, (_, j) => ({
          userId: `bulk-user-${n}`,
          recipeId: baseRecipeId,
          type: j % 2 ? 'like' : 'cooked',
        }));
        res = await t.http().post('/api/interactions/bulk').set('x-api-key', ADMIN_KEY).send({ interactions });
        if (res.status === 200) {
          expect(res.body).toMatchObject({ created: 50, failed: [] });
          confirmedBulkUsers.set(`bulk-user-${n}`, 50);
        } else refusedUsers.add(`bulk-user-${n}`);
        break;
      }
    }
    return { kind, status: res.status, body: res.body };
  }

  const health = async () => {
    const res = await t.http().get('/api/health');
    return { status: res.status, body: res.body };
  };

  beforeAll(async () => {
    t = await createTestApp({
      // The indexing worker writes vectors into the same file and must cope with it filling up.
      env: { INDEX_POLL_MS: '50', INDEX_MAX_BACKOFF_MS: '300', RETRAIN_DRIFT_SHARE: '1' },
    });
    databasePath = t.databasePath;
    dataSource = t.app.get(DataSource);
    faults = databaseFaults(dataSource);
    baseRecipeId = (await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe('base')).expect(201)).body.id;
    confirmedSourceIds.add('base');
    await faults.fill(SPARE_BYTES);
    t.app.get(OutboxWorker).start();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('confirms only durable writes while the database is full, refusing the rest with 507 DATABASE_FULL', async () => {
    const kinds: Kind[] = ['bulk', 'recipe', 'interactions', 'interaction'];
    const failures = new Map<Kind, number>(kinds.map((k) => [k, 0]));
    const outcomes: Outcome[] = [];
    // Until every kind of write has been refused three times (or clearly never will be).
    for (let i = 0; i < 2000 && [...failures.values()].some((f) => f < 3); i++) {
      const kind = kinds[i % kinds.length];
      const outcome = await write(kind);
      outcomes.push(outcome);
      if (outcome.status >= 300) failures.set(kind, failures.get(kind)! + 1);
    }

    const refused = outcomes.filter((o) => o.status >= 300);
    expect([...failures.values()].every((f) => f >= 3)).toBe(true);
    expect(outcomes.filter((o) => o.status < 300).length).toBeGreaterThan(4);
    for (const o of refused) {
      expect(o).toMatchObject({
        status: 507,
        body: { statusCode: 507, code: 'DATABASE_FULL', message: 'The database has no space left; the write was not saved' },
      });
    }

    // Another connection sees exactly what was confirmed: nothing waits in an open transaction.
    const other = await openDataSource(databasePath);
    try {
      const stored = await queryRows<{ source_id: string }>(other, 'SELECT source_id FROM recipes WHERE source = ?', [SOURCE]);
      expect(new Set(stored.map((r) => r.source_id))).toEqual(confirmedSourceIds);
    } finally {
      await other.destroy();
    }
  });

  it('reports the database as not writable in health, with 200 because reads still work', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'degraded',
      failing: ['database'],
      database: { state: 'degraded', writable: false, lastWriteError: { code: 'SQLITE_FULL' } },
      vectorStore: { state: 'up' },
    });
    await t.http().get(`/api/recipes/${baseRecipeId}`).expect(200);
  });

  it('takes writes again once there is room, and health recovers', async () => {
    await faults.free();
    for (const kind of ['recipe', 'bulk', 'interaction', 'interactions'] as Kind[]) {
      const outcome = await write(kind);
      expect({ kind, status: outcome.status }).toEqual({ kind, status: kind === 'recipe' || kind === 'interaction' ? 201 : 200 });
    }
    const recovered = await eventually(health, (h) => h.body.database.writable === true);
    expect(recovered).toMatchObject({
      status: 200,
      body: { status: 'up', failing: [], database: { state: 'up', writable: true } },
    });

    // The worker's writes failed too while the file was full; it catches up once there is room.
    const index = await eventually(
      async () => (await t.http().get('/api/admin/index').set('x-api-key', ADMIN_KEY)).body,
      (report) => report.pendingOutbox === 0 && report.drift === 0,
      40_000,
    );
    expect(index).toMatchObject({ pendingOutbox: 0, drift: 0, catalog: confirmedSourceIds.size });
  });

  it('after a restart, the file holds every confirmed write and nothing that was refused', async () => {
    await t.app.close();
    const reopened = await openDataSource(databasePath);
    try {
      const recipes = await queryRows<{ id: string; source_id: string }>(reopened, 'SELECT id, source_id FROM recipes WHERE source = ?', [
        SOURCE,
      ]);
      expect(new Set(recipes.map((r) => r.source_id))).toEqual(confirmedSourceIds);
      expect(recipes.every((r) => !refusedSourceIds.has(r.source_id))).toBe(true);
      expect(recipes.every((r) => r.id === stableRecipeId(SOURCE, r.source_id))).toBe(true);

      // Every confirmed catalog write kept its indexing work: the outbox row or the vector.
      const indexed = await queryRows<{ id: string }>(
        reopened,
        'SELECT recipe_id AS id FROM index_outbox UNION SELECT id FROM vector_points',
      );
      const known = new Set(indexed.map((r) => r.id));
      expect(recipes.filter((r) => !known.has(r.id))).toEqual([]);

      const interactions = await queryRows<{ id: string; user_id: string }>(reopened, 'SELECT id, user_id FROM user_interactions');
      const singles = interactions.filter((r) => r.user_id.startsWith('user-'));
      expect(new Set(singles.map((r) => r.id))).toEqual(confirmedInteractionIds);
      const perBulkUser = new Map<string, number>();
      for (const r of interactions.filter((r) => r.user_id.startsWith('bulk-user-'))) {
        perBulkUser.set(r.user_id, (perBulkUser.get(r.user_id) ?? 0) + 1);
      }
      expect(perBulkUser).toEqual(confirmedBulkUsers);
      expect(interactions.filter((r) => refusedUsers.has(r.user_id))).toEqual([]);
      expect(refusedSourceIds.size + refusedUsers.size).toBeGreaterThan(0);
    } finally {
      await reopened.destroy();
    }
  });
});

describe('A read-only or unreachable database', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let faults: DatabaseFaults;

  beforeAll(async () => {
    t = await createTestApp();
    dataSource = t.app.get(DataSource);
    faults = databaseFaults(dataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const stew = (sourceId: string) => ({ name: 'Read-only stew', source: 'read-only', sourceId, ingredients: [{ name: 'beef' }] });

  it('refuses writes with 503 DATABASE_UNAVAILABLE while the database is read-only, and health says it is not writable', async () => {
    const id = (await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(stew('before')).expect(201)).body.id;
    await faults.readOnly(true);

    const refused = await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(stew('during'));
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      statusCode: 503,
      code: 'DATABASE_UNAVAILABLE',
      message: 'The database is unavailable; try again shortly',
      requestId: expect.any(String),
    });
    const rating = await t.http().post('/api/users/u1/interactions').send({ recipeId: id, type: 'like' });
    expect(rating.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
    await t.http().get(`/api/recipes/${id}`).expect(200);

    const health = await t.http().get('/api/health').expect(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      failing: ['database'],
      database: { state: 'degraded', writable: false, lastWriteError: { code: 'SQLITE_READONLY' } },
    });
    // On PostgreSQL, read_only_sql_transaction.
    expect(health.body.database.lastWriteError.databaseCode).toBe(onPostgres() ? '25006' : 'SQLITE_READONLY');

    await faults.readOnly(false);
    await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(stew('after')).expect(201);
    const list = await t.http().get('/api/recipes').query({ source: 'read-only' }).expect(200);
    expect(list.body.items.map((r: { sourceId: string }) => r.sourceId).sort()).toEqual(['after', 'before']);
    const recovered = await eventually(
      async () => (await t.http().get('/api/health')).body,
      (body) => body.database.writable === true,
    );
    expect(recovered).toMatchObject({ status: 'up', failing: [] });
  });

  it('answers health with 503 and a body naming the database when it cannot be reached; liveness stays 200', async () => {
    // The connection goes away under the running app, as when the volume disappears.
    await dataSource.destroy();
    const res = await t.http().get('/api/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'down', database: { state: 'down', writable: false } });
    expect(res.body.failing).toContain('database');
    expect(res.body.database.error).not.toMatch(/\//);
    await t.http().get('/api/health/live').expect(200, { status: 'ok' });
  });
});

/**
 * The PostgreSQL server stopped under the running app (a fast shutdown, as `pg_ctl stop -m fast`
 * or a restarting container): the server ends the pool's sessions, and new connections are
 * refused (ECONNREFUSED) until it is back. On a server of this file's own, so other files'
 * apps on the shared test server keep theirs.
 */
(onPostgres() ? describe : describe.skip)('A PostgreSQL server that stops and comes back', () => {
  let server: StoppablePostgres;
  let t: TestApp;

  beforeAll(async () => {
    server = await startStoppablePostgres();
    t = await createTestApp({ databasePath: await createPostgresDatabase(server.url) });
  });
  afterAll(async () => {
    await t?.close();
    await server?.remove();
  });

  const soup = (sourceId: string) => ({ name: 'Outage soup', source: 'outage', sourceId, ingredients: [{ name: 'leek' }] });
  const unavailable = {
    statusCode: 503,
    code: 'DATABASE_UNAVAILABLE',
    message: 'The database is unavailable; try again shortly',
    requestId: expect.any(String),
  };

  it('answers reads and writes with 503 DATABASE_UNAVAILABLE while it is down, and serves them again once it is up', async () => {
    const id = (await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(soup('before')).expect(201)).body.id;
    await server.stop();

    const read = await t.http().get(`/api/recipes/${id}`);
    expect({ status: read.status, body: read.body }).toEqual({ status: 503, body: unavailable });
    const list = await t.http().get('/api/recipes').query({ source: 'outage' });
    expect({ status: list.status, body: list.body }).toEqual({ status: 503, body: unavailable });
    const write = await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(soup('during'));
    expect({ status: write.status, body: write.body }).toEqual({ status: 503, body: unavailable });
    const rating = await t.http().post('/api/users/outage-user/interactions').send({ recipeId: id, type: 'like' });
    expect({ status: rating.status, body: rating.body }).toEqual({ status: 503, body: unavailable });
    const down = await t.http().get('/api/health').expect(503);
    // PostgreSQL's own words for it, not the SQLite code the failure is handled as.
    expect(down.body.database).toMatchObject({ state: 'down', error: expect.stringMatching(/^(ECONNREFUSED|57P0[123]|CONNECTION_LOST)$/) });

    // Recovery needs no restart of the app: the pool opens new connections to the server.
    await server.start();
    await eventually(
      async () => (await t.http().get(`/api/recipes/${id}`)).status,
      (status) => status === 200,
    );
    await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(soup('after')).expect(201);
    await t.http().post('/api/users/outage-user/interactions').send({ recipeId: id, type: 'like' }).expect(201);
    const after = await t.http().get('/api/recipes').query({ source: 'outage' }).expect(200);
    expect(after.body.items.map((r: { sourceId: string }) => r.sourceId).sort()).toEqual(['after', 'before']);
    await eventually(
      async () => (await t.http().get('/api/health')).status,
      (status) => status === 200,
    );
  });
});
