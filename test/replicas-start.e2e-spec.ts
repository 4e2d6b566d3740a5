import { DataSource } from 'typeorm';
import { queryRows } from '../src/database/sql';
import { SeedService } from '../src/recipes/seed.service';
import { onPostgres } from './support/postgres/databases';
import { createTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

/**
 * Replicas of the service started together on one empty database (the compose `cluster`
 * profile): each one's start-up seeds an empty catalog. Only PostgreSQL is shared by separate
 * servers; two processes on one SQLite file are not a supported deployment.
 */
(onPostgres() ? describe : describe.skip)('Two replicas starting on one empty PostgreSQL database', () => {
  const apps: TestApp[] = [];

  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  it('seed the catalog once: one imports it, the other waits and finds it full', async () => {
    const env = { SEED_ON_EMPTY: 'true' };
    apps.push(await createTestApp({ env }));
    apps.push(await createTestApp({ env, databasePath: apps[0].databasePath }));

    const summaries = await Promise.all(apps.map((t) => t.app.get(SeedService).seedIfEmpty()));

    const seeded = summaries.filter((s) => s !== null);
    expect(seeded).toHaveLength(1);
    expect(seeded[0]!.totals.created).toBeGreaterThan(1000);
    const [{ recipes }] = await queryRows<{ recipes: number }>(apps[0].app.get(DataSource), 'SELECT COUNT(*) AS recipes FROM recipes');
    expect(Number(recipes)).toBe(seeded[0]!.totals.created);
  });
});
