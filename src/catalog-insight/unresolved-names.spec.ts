import { FoodConceptModel } from '../embedding/food-concepts/food-concept.model';
import { learnedConceptId } from '../embedding/learned-concepts/learned-concepts';
import { FoodLexicon } from '../text/food-lexicon';
import { conceptNames } from './recipe-facts';
import { unresolvedNames } from './unresolved-names';

describe('unresolved names', () => {
  const lexicon = FoodLexicon.load(undefined);

  it('names neighbouring concepts as families and the rest of the service do (猪肉, 面包), not by their first surface form', () => {
    const model = {
      unresolved: [{ name: 'corn tortilla', recipes: 5 }],
      documentFrequency: (id: string) => (id === learnedConceptId('corn tortilla') ? 5 : 0),
      nearestConcepts: (_id: string, n: number, keep: (id: string) => boolean) =>
        ['pork', 'bread', 'stir-fry']
          .filter(keep)
          .slice(0, n)
          .map((id, i) => ({ id, similarity: 0.9 - i / 10 })),
    } as unknown as FoodConceptModel;
    const [item] = unresolvedNames(model, lexicon, 10);
    expect(item.neighbours.map(({ id, zh, en }) => ({ id, zh, en }))).toEqual([
      { id: 'pork', zh: '猪肉', en: 'pork' },
      { id: 'bread', zh: '面包', en: 'bread' },
      { id: 'stir-fry', ...conceptNames(lexicon, 'stir-fry') },
    ]);
  });
});
