import { FoodLexicon } from '../text/food-lexicon';
import { SeededRandom } from '../common/seeded-random';
import { Ingredient } from '../recipes/recipe.types';
import {
  comparePantryCandidates,
  PantryCandidate,
  PantryCounter,
  PantryKeys,
  PantryMatcher,
  PantryTally,
  orderTiesBySimilarity,
} from './pantry-matcher';

describe('PantryMatcher', () => {
  const lexicon = FoodLexicon.load(undefined);
  const matcher = new PantryMatcher(lexicon);
  const tomatoEgg = [
    { name: '西红柿', concept: 'tomato' },
    { name: '鸡蛋', concept: 'egg' },
    { name: '盐', concept: 'salt' },
    { name: '食用油', concept: 'cooking-oil' },
    { name: '葱花', concept: 'scallion', optional: true },
  ];

  it('never counts staples or optional lines as missing', () => {
    const match = matcher.match(['egg', 'tomato'], tomatoEgg);
    expect(match).toMatchObject({ missingCount: 0, missingIngredients: [], coveredIngredients: ['西红柿', '鸡蛋'] });
    expect(match.used.sort()).toEqual(['egg', 'tomato']);
  });

  it('lists what is missing by the recipe’s own names, a concept once', () => {
    const match = matcher.match(['egg'], [...tomatoEgg, { name: '番茄块', concept: 'tomato' }, { name: '秘制酱' }]);
    expect(match.missingCount).toBe(2);
    expect(match.missingIngredients).toEqual(['西红柿', '番茄块', '秘制酱']);
  });

  it('lets a learned pantry item cover the unresolved lines it names, and only those', () => {
    const pozole = [{ name: 'pork shoulder', concept: 'pork' }, { name: '2 cups hominy, drained' }, { name: 'Tomatillos' }];
    const match = matcher.match(['pork', 'learned:hominy'], pozole);
    expect(match).toMatchObject({ missingCount: 1, missingIngredients: ['Tomatillos'] });
    expect(match.coveredIngredients).toEqual(['pork shoulder', '2 cups hominy, drained']);
    expect(match.used.sort()).toEqual(['learned:hominy', 'pork']);
    expect(matcher.match(['pork'], pozole).missingCount).toBe(2);
  });

  it('follows the hierarchy both ways', () => {
    expect(matcher.match(['chicken'], [{ name: '鸡胸肉', concept: 'chicken-offal' }]).missingCount).toBe(0);
    expect(matcher.match(['chicken-offal'], [{ name: '鸡肉', concept: 'chicken' }]).missingCount).toBe(0);
    expect(matcher.match(['beef'], [{ name: '鸡肉', concept: 'chicken' }]).missingCount).toBe(1);
  });

  it('orders by fewest missing, then most used, then similarity, then id', () => {
    const list: PantryCandidate[] = [
      { id: 'd', missing: 1, used: 2 },
      { id: 'c', missing: 0, used: 1 },
      { id: 'b', missing: 0, used: 2, similarity: 0.5 },
      { id: 'a', missing: 0, used: 2, similarity: 0.9 },
      { id: 'e', missing: 0, used: 2, similarity: 0.5 },
    ];
    expect(list.sort(comparePantryCandidates).map((c) => c.id)).toEqual(['a', 'b', 'e', 'c', 'd']);
  });

  it('counts what ranking reads exactly as the full match does', () => {
    // Concepts from every corner of the hierarchy and the staples, unresolved names, optional lines, repeats.
    const concepts = [
      'tomato',
      'egg',
      'salt',
      'cooking-oil',
      'scallion',
      'chicken',
      'chicken-offal',
      'beef',
      'pork',
      'tofu',
      'water',
      'sugar',
      'rice',
    ];
    // Two spellings of hominy normalise to one learned concept; "to taste" normalises to nothing.
    const names = ['秘制酱', '番茄块', 'house sauce', '2 cups hominy, drained', 'Hominy', 'Tomatillos', 'to taste'];
    const learned = ['learned:hominy', 'learned:tomatillo', 'learned:house sauce'];
    const rng = new SeededRandom(11);
    const keys = new PantryKeys();
    let coveredByLearned = 0;
    for (let round = 0; round < 300; round++) {
      const lines: Ingredient[] = Array.from({ length: rng.nextInt(12) }, () =>
        rng.nextInt(4) === 0
          ? { name: names[rng.nextInt(names.length)], optional: rng.nextInt(3) === 0 }
          : { name: names[rng.nextInt(names.length)], concept: concepts[rng.nextInt(concepts.length)], optional: rng.nextInt(5) === 0 },
      );
      const items = [...concepts, ...learned];
      const pantry = [...new Set(Array.from({ length: 1 + rng.nextInt(4) }, () => items[rng.nextInt(items.length)]))];
      const anchor = pantry.filter((c) => !lexicon.isStaple(c));
      const counter = new PantryCounter(lexicon, keys, pantry, anchor);
      const match = matcher.match(pantry, lines);
      expect(counter.count(keys.encode(lines))).toBe(match.missingCount);
      expect(counter.used).toBe(match.used.length);
      expect(counter.anchored).toBe(match.used.some((c) => anchor.includes(c)));
      if (match.used.some((c) => c.startsWith('learned:'))) coveredByLearned += 1;
    }
    expect(coveredByLearned).toBeGreaterThan(10);
  });
});

describe('PantryTally', () => {
  it('heads the same first places, every candidate tied with the last of them included, as a full sort', () => {
    const rng = new SeededRandom(5);
    for (let round = 0; round < 50; round++) {
      const candidates: PantryCandidate[] = Array.from({ length: 1 + rng.nextInt(400) }, (_, i) => ({
        id: `r${String(i).padStart(4, '0')}`,
        // Some rounds miss 60–69 things each: past the histogram's last bucket.
        missing: round % 5 === 0 ? 60 + rng.nextInt(10) : rng.nextInt(6),
        used: 1 + rng.nextInt(3),
      }));
      // Sized for every candidate, or for one and grown as they come.
      const tally = new PantryTally((ordinal) => candidates[ordinal].id, round % 2 === 0 ? candidates.length : 1);
      candidates.forEach((c, ordinal) => tally.add(ordinal, c.missing, c.used));
      const end = 1 + rng.nextInt(30);
      const full = [...candidates].sort(comparePantryCandidates);
      const head = tally.head(end);
      expect(tally.total).toBe(candidates.length);
      expect(head.slice(0, end)).toEqual(full.slice(0, end));
      // Everything tied with the last place is in the head, and nothing ranked below it.
      const last = full[Math.min(end, full.length) - 1];
      const upToLast = full.filter((c) => comparePantryCandidates(c, last) <= 0 || (c.missing === last.missing && c.used === last.used));
      expect(head).toEqual(upToLast);
    }
  });
});

describe('orderTiesBySimilarity', () => {
  it('orders the first places as a full sort with every similarity known, asking a store that keeps no order among equal scores', async () => {
    const rng = new SeededRandom(9);
    for (let round = 0; round < 200; round++) {
      // Few distinct scores, so ties at the cut are common (identical dishes score the same).
      const similarity = new Map<string, number>();
      const candidates: PantryCandidate[] = Array.from({ length: 1 + rng.nextInt(120) }, (_, i) => {
        const id = `r${String(i).padStart(3, '0')}`;
        similarity.set(id, rng.nextInt(5) / 4 - 0.5);
        return { id, missing: rng.nextInt(3), used: 1 + rng.nextInt(2) };
      });
      const tally = new PantryTally((ordinal) => candidates[ordinal].id);
      candidates.forEach((c, ordinal) => tally.add(ordinal, c.missing, c.used));
      const end = 1 + rng.nextInt(25);
      let asked = 0;
      const store = async (ids: string[], limit: number) => {
        asked += ids.length;
        const hits = ids.map((id) => ({ id, score: similarity.get(id)!, shuffle: rng.next() }));
        hits.sort((a, b) => b.score - a.score || a.shuffle - b.shuffle);
        return hits.slice(0, limit);
      };
      const ordered = await orderTiesBySimilarity(tally.head(end), end, store);
      const full = candidates.map((c) => ({ ...c, similarity: similarity.get(c.id) })).sort(comparePantryCandidates);
      expect(ordered.slice(0, end).map((c) => c.id)).toEqual(full.slice(0, end).map((c) => c.id));
      expect(asked).toBeLessThanOrEqual(2 * candidates.length);
    }
  });
});
