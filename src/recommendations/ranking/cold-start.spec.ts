import { intraListDiversity } from '../../retrieval/diversity';
import { InteractionSignal } from '../../users/user-interaction.types';
import { catalogPrior, coldStartPicks, popularityScores } from './cold-start';

const NOW = Date.parse('2025-06-30T12:00:00Z');
const at = new Date(NOW).toISOString();
const s = (userId: string, recipeId: string, type: InteractionSignal['type'], preference: number | null = null): InteractionSignal => ({
  userId,
  recipeId,
  type,
  preference,
  at,
});

describe('popularityScores', () => {
  it('counts one vote per user and recipe, positive for likes and cooking, negative for dislikes', () => {
    const scores = popularityScores(
      [
        s('a', 'dumplings', 'like'),
        s('a', 'dumplings', 'like'),
        s('b', 'dumplings', 'cooked'),
        s('c', 'natto', 'dislike'),
        s('d', 'natto', 'rating', 0.5),
      ],
      NOW,
    );
    expect(scores.get('dumplings')).toBeCloseTo(2.25); // a like (1) and a cook (1.25)
    expect(scores.get('natto')).toBeCloseTo(-0.5);
  });
});

describe('coldStartPicks', () => {
  // Five near-copies of one noodle dish are the most popular; four distinct dishes are not.
  const noodleVariants = Array.from({ length: 5 }, (_, i) => ({
    id: `noodles-${i}`,
    vector: [1, 0.02 * i, 0, 0],
    popularity: 10 - i,
    prior: 0.5,
  }));
  const others = [
    { id: 'curry', vector: [0, 1, 0, 0], popularity: 2, prior: 0.5 },
    { id: 'salad', vector: [0, 0, 1, 0], popularity: 1, prior: 0.5 },
    { id: 'cake', vector: [0, 0, 0, 1], popularity: 0, prior: 0.5 },
    { id: 'soup', vector: [0.5, 0.5, 0.5, 0], popularity: 0, prior: 0.5 },
  ];
  const vectorOf = new Map([...noodleVariants, ...others].map((c) => [c.id, c.vector]));

  it('is more diverse than the pure popularity order', () => {
    const byPopularity = [...noodleVariants, ...others]
      .sort((a, b) => b.popularity - a.popularity)
      .slice(0, 4)
      .map((c) => c.id);
    const picked = coldStartPicks([...noodleVariants, ...others], 4, 0.5);
    expect(picked).toHaveLength(4);
    expect(picked[0]).toBe('noodles-0');
    expect(picked.filter((id) => id.startsWith('noodles')).length).toBeLessThan(2);
    const ild = (ids: string[]) => intraListDiversity(ids.map((id) => vectorOf.get(id)!));
    expect(ild(picked)).toBeGreaterThan(ild(byPopularity));
  });

  it('spreads a catalog sample when nothing is popular, and never picks a disliked dish', () => {
    const picked = coldStartPicks(
      [...others, { id: 'natto', vector: [0, 0, 0, 1], popularity: -3, prior: 0.5 }].map((c) => ({
        ...c,
        popularity: c.id === 'natto' ? -3 : 0,
      })),
      3,
      0.3,
    );
    expect(picked).toHaveLength(3);
    expect(new Set(picked).size).toBe(3);
    expect(picked).not.toContain('natto');
  });

  it('puts real dishes before condiments in the catalog fill', () => {
    expect(catalogPrior({ category: 'condiment', ingredientCount: 5 })).toBeLessThan(
      catalogPrior({ category: 'soup', ingredientCount: 5 }),
    );
    expect(catalogPrior({ category: null, ingredientCount: 1 })).toBeLessThan(catalogPrior({ category: null, ingredientCount: 4 }));
  });
});
