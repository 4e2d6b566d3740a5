import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { openDataSource } from '../database/data-source';
import { NEIGHBOUR_HISTORY_TTL_MS, NewInteraction, UserInteractionsRepository } from './user-interactions.repository';
import { InteractionSignal, InteractionType } from './user-interaction.types';

describe('UserInteractionsRepository.insert (group commit)', () => {
  let dir: string;
  let dataSource: DataSource;
  let repository: UserInteractionsRepository;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'interactions-db-'));
    dataSource = await openDataSource(join(dir, 'db.sqlite'));
    repository = new UserInteractionsRepository(dataSource);
    const ids = [
      ...Array.from({ length: 40 }, (_, i) => [`r${i}`, `s${i}`]).flat(),
      ...Array.from({ length: 12 }, (_, i) => `ok${i}`),
      'good-in-bad-call',
      'x',
      'fine',
    ];
    await addRecipes(ids);
  });
  const addRecipes = async (ids: string[]) => {
    const now = new Date().toISOString();
    for (const id of ids) {
      await dataSource.query(
        `INSERT INTO recipes (id, source, source_id, name, language, ingredients, steps, tags, diets, flavors, methods, tools,
           allergens, extra, content_hash, created_at, updated_at)
         VALUES (?, 'test', ?, ?, 'en', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '{}', 'h', ?, ?)`,
        [id, id, id, now, now],
      );
    }
  };
  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const like = (userId: string, recipeId: string, type: InteractionType = 'like'): NewInteraction => ({
    userId,
    recipeId,
    type,
    at: new Date().toISOString(),
  });
  const countFor = async (userId: string) =>
    Number((await dataSource.query('SELECT COUNT(*) AS n FROM user_interactions WHERE user_id = ?', [userId]))[0].n);

  it('stores every one of many inserts made at the same time, each readable once it resolved', async () => {
    const stored = await Promise.all(
      Array.from({ length: 40 }, (_, i) => repository.insert([like('many', `r${i}`), like('many', `s${i}`)])),
    );
    expect(stored.flat()).toHaveLength(80);
    expect(await countFor('many')).toBe(80);
    const history = await repository.forUser('many');
    expect(new Set(history.map((h) => h.recipeId)).size).toBe(80);
  });

  it('fails only the insert that breaks a rule when it shared a transaction with others, and that one whole', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        repository.insert(
          i === 5 ? [like('mixed', 'good-in-bad-call'), like('mixed', 'x', 'bogus' as InteractionType)] : [like('mixed', `ok${i}`)],
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 12 }, (_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
    const rows: Array<{ recipe_id: string }> = await dataSource.query('SELECT recipe_id FROM user_interactions WHERE user_id = ?', [
      'mixed',
    ]);
    expect(rows.map((r) => r.recipe_id).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `ok${i}`)
        .filter((_, i) => i !== 5)
        .sort(),
    );
  });

  it('leaves out a record whose recipe does not exist, in its place, and stores the others', async () => {
    const [first, missing, last] = await repository.insert([like('gaps', 'r1'), like('gaps', 'no-such-recipe'), like('gaps', 'r2')]);
    expect([first?.recipeId, missing, last?.recipeId]).toEqual(['r1', null, 'r2']);
    expect(await countFor('gaps')).toBe(2);
  });

  it('keeps accepting inserts after a failed one', async () => {
    await expect(repository.insert([like('after', 'x', 'bogus' as InteractionType)])).rejects.toThrow();
    await repository.insert([like('after', 'fine')]);
    expect(await countFor('after')).toBe(1);
  });
  describe('neighbourhood', () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    beforeAll(async () => {
      await addRecipes(Array.from({ length: 13 }, (_, i) => `n${i}`));
      const rows: NewInteraction[] = [
        // The user: opinions on n0..n3, and a view of n4.
        ...['n0', 'n1', 'n2', 'n3'].map((r, i) => ({ ...like('nb-me', r), at: at(i) })),
        { ...like('nb-me', 'n4', 'view'), at: at(4) },
        // Three shared opinions, and one on a dish the user has not met.
        ...['n0', 'n1', 'n2', 'n10'].map((r, i) => ({ ...like('nb-close', r, i === 1 ? 'dislike' : 'like'), at: at(10 + i) })),
        // Two shared opinions, and a cook.
        ...['n0', 'n3', 'n11'].map((r, i) => ({ ...like('nb-mid', r, i === 2 ? 'cooked' : 'like'), at: at(20 + i) })),
        // One shared opinion, its other rows views only.
        { ...like('nb-far', 'n2'), at: at(30) },
        { ...like('nb-far', 'n12', 'view'), at: at(31) },
        // Only views of the user's dishes: not a neighbour.
        ...['n0', 'n1', 'n2', 'n3'].map((r, i) => ({ ...like('nb-viewer', r, 'view'), at: at(40 + i) })),
        // Shares only what the user merely viewed: not a neighbour either.
        { ...like('nb-stranger', 'n4'), at: at(50) },
      ];
      await repository.insert(rows);
    });

    /** Each neighbour's history as (recipe, type) pairs, neighbours in the order given. */
    const pairs = (histories: ReadonlyMap<string, readonly InteractionSignal[]>) =>
      [...histories].map(([user, signals]) => [user, signals.map((s) => `${s.recipeId} ${s.type}`)]);

    it('is the explicit history of the users with the most opinions on the same dishes, most shared first, newest first', async () => {
      const histories = await repository.neighbourhood('nb-me', ['n0', 'n1', 'n2', 'n3']);
      expect(pairs(histories)).toEqual([
        ['nb-close', ['n10 like', 'n2 like', 'n1 dislike', 'n0 like']],
        ['nb-mid', ['n11 cooked', 'n3 like', 'n0 like']],
        ['nb-far', ['n2 like']],
      ]);
      for (const [user, signals] of histories) expect(signals.every((s) => s.userId === user)).toBe(true);
    });

    it('keeps the newest rows of them all when capped by rows', async () => {
      const histories = await repository.neighbourhood('nb-me', ['n0', 'n1', 'n2', 'n3'], 50, 4);
      expect(pairs(histories)).toEqual([
        ['nb-close', []],
        ['nb-mid', ['n11 cooked', 'n3 like', 'n0 like']],
        ['nb-far', ['n2 like']],
      ]);
    });

    const mine = ['n0', 'n1', 'n2', 'n3'];
    const has = (histories: ReadonlyMap<string, readonly InteractionSignal[]>, userId: string, recipeId: string) =>
      (histories.get(userId) ?? []).some((r) => r.recipeId === recipeId);

    it("has a neighbour's opinion written through this process in the very next read", async () => {
      expect(has(await repository.neighbourhood('nb-me', mine), 'nb-close', 'n12')).toBe(false);
      await repository.insert([like('nb-close', 'n12')]);
      expect(has(await repository.neighbourhood('nb-me', mine), 'nb-close', 'n12')).toBe(true);
    });

    it('has an opinion written while a read was under way in the read after it', async () => {
      await repository.neighbourhood('nb-me', mine);
      const reading = repository.neighbourhood('nb-me', mine);
      await repository.insert([like('nb-mid', 'n12')]);
      await reading;
      expect(has(await repository.neighbourhood('nb-me', mine), 'nb-mid', 'n12')).toBe(true);
    });

    it('has an opinion written through another process once the histories read before expire', async () => {
      await repository.neighbourhood('nb-me', mine);
      await new UserInteractionsRepository(dataSource).insert([like('nb-far', 'n11')]);
      const later = Date.now() + NEIGHBOUR_HISTORY_TTL_MS;
      const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
      try {
        expect(has(await repository.neighbourhood('nb-me', mine), 'nb-far', 'n11')).toBe(true);
      } finally {
        clock.mockRestore();
      }
    });

    it('keeps the users sharing the most when capped', async () => {
      const histories = await repository.neighbourhood('nb-me', ['n0', 'n1', 'n2', 'n3'], 2);
      expect([...histories.keys()]).toEqual(['nb-close', 'nb-mid']);
    });

    describe('new neighbours', () => {
      // Another user's dishes, which nobody else has an opinion on yet.
      const theirs = ['n5', 'n6'];
      beforeAll(() => repository.insert(theirs.map((r) => like('nb-two', r))));
      const neighbours = async (repo = repository) => [...(await repo.neighbourhood('nb-two', theirs)).keys()];

      it('are found in the very next read once they give an opinion through this process, ties by id', async () => {
        expect(await neighbours()).toEqual([]);
        // Counted dish by dish, nb-new-b comes first; equal counts are ordered by id.
        await repository.insert([like('nb-new-b', 'n5')]);
        await repository.insert([like('nb-new-a', 'n6')]);
        expect(await neighbours()).toEqual(['nb-new-a', 'nb-new-b']);
      });

      it('are found in the read after one that was under way when they wrote', async () => {
        const fresh = new UserInteractionsRepository(dataSource);
        const reading = fresh.neighbourhood('nb-two', theirs);
        await fresh.insert([like('nb-new-c', 'n6')]);
        await reading;
        expect(await neighbours(fresh)).toContain('nb-new-c');
      });

      it('are found once the raters read before expire when they wrote through another process', async () => {
        await neighbours();
        await new UserInteractionsRepository(dataSource).insert([like('nb-new-d', 'n5'), like('nb-new-d', 'n6', 'cooked')]);
        const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + NEIGHBOUR_HISTORY_TTL_MS);
        try {
          expect((await neighbours())[0]).toBe('nb-new-d');
        } finally {
          clock.mockRestore();
        }
      });
    });
  });
});
