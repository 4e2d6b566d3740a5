import { execute } from '../src/database/sql';
import { InteractionSignal } from '../src/users/user-interaction.types';
import { NewInteraction, UserInteractionsRepository } from '../src/users/user-interactions.repository';
import { onPostgres } from './support/postgres/databases';
import { databasePerTest } from './support/process-databases';

/**
 * Interactions stamped with the same time (a client's batch, an import) come back in one order
 * whatever order they were stored in and whichever database holds them: recommendations read
 * them in that order (the first of two equal times wins), so two databases with the same
 * history must agree. Runs on SQLite and, in the e2e-postgres project, on PostgreSQL, against
 * the same expected lists.
 */
describe(`Interactions at the same time (${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  const databases = databasePerTest('interaction-order');
  const AT = '2025-03-01T12:00:00.000Z';
  const EARLIER = '2025-02-01T12:00:00.000Z';

  /** One history; the last one is older than the rest, which share one time. */
  const history = (userId: string): NewInteraction[] => [
    { userId, recipeId: 'r2', type: 'like', at: AT },
    { userId, recipeId: 'r1', type: 'rating', value: 5, scale: 5, preference: 1, at: AT },
    { userId, recipeId: 'r3', type: 'view', at: AT },
    { userId, recipeId: 'r1', type: 'rating', value: 1, scale: 5, preference: -1, at: AT },
    { userId, recipeId: 'r2', type: 'dislike', at: AT },
    { userId, recipeId: 'r3', type: 'cooked', at: AT },
    { userId, recipeId: 'r1', type: 'like', at: EARLIER },
  ];
  const read = (signals: readonly InteractionSignal[]) => signals.map((s) => `${s.userId} ${s.recipeId} ${s.type} ${s.preference} ${s.at}`);

  it('reads them in the same order whichever order they were stored in', async () => {
    const dataSource = await databases.open();
    for (const id of ['r1', 'r2', 'r3']) {
      await execute(
        dataSource,
        `INSERT INTO recipes (id, source, source_id, name, language, ingredients, steps, tags, diets, flavors, methods, tools,
           allergens, extra, content_hash, created_at, updated_at)
         VALUES (?, 'test', ?, ?, 'en', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '{}', 'h', ?, ?)`,
        [id, id, id, AT, AT],
      );
    }
    const repository = new UserInteractionsRepository(dataSource);
    // One insert at a time, so each database stores the rows in this order: one user's history
    // as listed, another's backwards.
    for (const record of history('fwd')) await repository.insert([record]);
    for (const record of history('bwd').reverse()) await repository.insert([record]);

    const expected = (userId: string, types = ['rating', 'like', 'dislike', 'cooked', 'view']) =>
      [
        `${userId} r1 rating -1 ${AT}`,
        `${userId} r1 rating 1 ${AT}`,
        `${userId} r2 dislike null ${AT}`,
        `${userId} r2 like null ${AT}`,
        `${userId} r3 cooked null ${AT}`,
        `${userId} r3 view null ${AT}`,
        `${userId} r1 like null ${EARLIER}`,
      ].filter((line) => types.includes(line.split(' ')[2]));
    expect(read(await repository.forUser('fwd'))).toEqual(expected('fwd'));
    expect(read(await repository.forUser('bwd'))).toEqual(expected('bwd'));

    // Neighbours' explicit histories, and everyone's for popularity (users apart by id on a tie).
    const explicit = ['rating', 'like', 'dislike', 'cooked'];
    const neighbours = await repository.neighbourhood('someone-else', ['r1', 'r2', 'r3']);
    expect(read(neighbours.get('fwd')!)).toEqual(expected('fwd', explicit));
    expect(read(neighbours.get('bwd')!)).toEqual(expected('bwd', explicit));
    const both = expected('bwd', explicit).flatMap((line, i) => [line, expected('fwd', explicit)[i]]);
    expect(read(await repository.recentExplicit())).toEqual(both);
    // A limit that cuts through the tie keeps the same rows on either database.
    expect(read(await repository.recentExplicit(3))).toEqual(both.slice(0, 3));
  });
});
