import { VectorCollectionMissingError } from '../../src/vector-store/vector-store.errors';
import type { CollectionSpec, VectorRecord, VectorStore } from '../../src/vector-store/vector-store.port';

const SPEC: CollectionSpec = { modelId: 'alias-contract@1', dense: { ingredients: { size: 2 } }, sparse: false, distance: 'cosine' };

function point(id: string, x: number, y: number): VectorRecord {
  return {
    id,
    dense: { ingredients: [x, y] },
    contentHash: `h-${id}-${x}-${y}`,
    payload: {
      recipeId: id,
      name: id,
      source: 's',
      language: 'en',
      category: null,
      cuisine: null,
      diets: [],
      flavors: [],
      allergens: [],
      concepts: [],
      totalMinutes: null,
    },
  };
}

/**
 * Collections by name and the serving alias, for every adapter: how a rebuilt index is swapped
 * in. `open` returns another store instance on the same backend and prefix, as a second
 * process would have.
 */
export function describeVectorStoreAliasContract(
  name: string,
  factory: () => Promise<{ open(): VectorStore; prefix: string; cleanup(): Promise<void> }>,
): void {
  describe(`VectorStore aliases: ${name}`, () => {
    let env: Awaited<ReturnType<typeof factory>>;
    let a: VectorStore;
    let b: VectorStore;
    const one = { ...SPEC, build: 'one' };
    const two = { ...SPEC, build: 'two' };

    beforeEach(async () => {
      env = await factory();
      a = env.open();
      b = env.open();
      await a.ensureCollection(one);
      await a.upsert([point('p1', 1, 0)]);
      await b.ensureCollection(two);
      await b.upsert([point('p1', 0, 1), point('p2', 1, 1)]);
    });
    afterEach(() => env.cleanup());

    it('lists the collections under its prefix, builds apart', async () => {
      const names = await a.listCollections();
      expect(names).toHaveLength(2);
      expect(names.every((n) => n.startsWith(`${env.prefix}_`))).toBe(true);
      expect((await a.info()).collection).not.toBe((await b.info()).collection);
    });

    it('switches the alias atomically and every instance reads the same target', async () => {
      const [first, second] = [(await a.info()).collection, (await b.info()).collection];
      expect(await a.aliasTarget(env.prefix)).toBeNull();
      await a.switchAlias(env.prefix, first);
      expect(await b.aliasTarget(env.prefix)).toBe(first);
      await b.switchAlias(env.prefix, second);
      expect(await a.aliasTarget(env.prefix)).toBe(second);
      await b.switchAlias(env.prefix, second);
      expect(await a.aliasTarget(env.prefix)).toBe(second);
    });

    it('refuses to point the alias at a missing collection and leaves it as it was', async () => {
      const first = (await a.info()).collection;
      await a.switchAlias(env.prefix, first);
      await expect(a.switchAlias(env.prefix, `${env.prefix}_nope`)).rejects.toBeInstanceOf(VectorCollectionMissingError);
      expect(await b.aliasTarget(env.prefix)).toBe(first);
    });

    it('drops a collection by name with its alias; an absent one is no error', async () => {
      const second = (await b.info()).collection;
      await a.switchAlias(env.prefix, second);
      await a.dropCollectionNamed(second);
      expect(await a.listCollections()).toEqual([(await a.info()).collection]);
      expect(await a.aliasTarget(env.prefix)).toBeNull();
      await expect(a.dropCollectionNamed(second)).resolves.toBeUndefined();
      // Dropping another collection leaves the one this instance serves alone.
      expect(await a.count()).toBe(1);
    });

    it('reloads points another instance wrote, where it keeps them in memory', async () => {
      const reader = env.open();
      await reader.ensureCollection(one);
      expect((await reader.getVectors(['p1'])).get('p1')?.dense.ingredients).toEqual([1, 0]);
      await a.upsert([point('p1', 0, 1), point('p3', 1, 1)]);
      await a.delete(['p1']);
      await a.upsert([point('p4', 1, 0)]);
      if (reader.reloadPoints) {
        await reader.reloadPoints(['p1', 'p3']);
        expect([...(await reader.getVectors(['p1', 'p3', 'p4'])).keys()]).toEqual(['p3']);
        await reader.reloadPoints(null);
      }
      expect([...(await reader.getVectors(['p1', 'p3', 'p4'])).keys()].sort()).toEqual(['p3', 'p4']);
    });
  });
}
