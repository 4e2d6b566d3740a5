import { InteractionSignal } from '../../users/user-interaction.types';
import { coInteractions, coInteractionScores } from './co-interaction';

const seen = (userId: string, recipeId: string, preference = 0): InteractionSignal => ({
  userId,
  recipeId,
  type: 'rating',
  preference,
  at: '2025-06-01T00:00:00Z',
});

describe('co-interaction', () => {
  // Two menus people were shown: pasta dishes, and curries.
  const history = [
    ...['u1', 'u2', 'u3'].flatMap((u) => [seen(u, 'carbonara', 1), seen(u, 'amatriciana', -1), seen(u, 'lasagne')]),
    ...['u4', 'u5'].flatMap((u) => [seen(u, 'dal', 1), seen(u, 'korma'), seen(u, 'biryani', -1)]),
  ];

  it('finds the dishes of the same world, liked or not, and none of another', () => {
    const scores = coInteractionScores(['carbonara'], coInteractions(history));
    expect(scores.get('amatriciana')).toBe(1);
    expect(scores.get('lasagne')).toBe(1);
    expect(scores.has('dal')).toBe(false);
    expect(scores.has('carbonara')).toBe(false);
  });
});
