import { InteractionSignal } from '../../users/user-interaction.types';
import { itemPriors } from './item-prior';

const NOW = Date.parse('2025-06-30T12:00:00Z');
const rating = (userId: string, recipeId: string, preference: number): InteractionSignal => ({
  userId,
  recipeId,
  type: 'rating',
  preference,
  at: new Date(NOW).toISOString(),
});

describe('itemPriors', () => {
  it('ranks a dish everyone puts at the top of their own scale first, whatever scale habits they have', () => {
    const priors = itemPriors(
      [
        // A generous rater (everything high) and a harsh one (everything low) agree that "a" is their best.
        rating('generous', 'a', 1),
        rating('generous', 'b', 0.6),
        rating('generous', 'c', 0.5),
        rating('harsh', 'a', -0.2),
        rating('harsh', 'b', -0.8),
        rating('harsh', 'c', -1),
      ],
      NOW,
    );
    expect(priors.get('a')!).toBeGreaterThan(priors.get('b')!);
    expect(priors.get('a')!).toBeGreaterThan(0);
    expect(priors.get('c')!).toBeLessThan(0);
  });

  it('trusts many agreeing users more than one', () => {
    const one = itemPriors([rating('u1', 'x', 1), rating('u1', 'y', -1)], NOW);
    const five = itemPriors(Array.from({ length: 5 }, (_, i) => [rating(`u${i}`, 'x', 1), rating(`u${i}`, 'y', -1)]).flat(), NOW);
    expect(five.get('x')!).toBeGreaterThan(one.get('x')!);
  });
});
