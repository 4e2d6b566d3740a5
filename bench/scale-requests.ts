import { SeededRandom } from '../src/common/seeded-random';
import { RecipeInput } from '../src/recipes/recipe.types';
import { LoadRequest } from './http-load';
import { BENCH_QUERIES } from './queries';

/** The request mix of each route the scale run measures, in the order they are measured. */
export interface RouteMix {
  id: string;
  title: string;
  requests: Array<string | LoadRequest>;
  /** Sent one after another at this pace for as long as each load runs (an app recording what its users do). */
  alongside?: { perSecond: number; requests: LoadRequest[] };
}

/** Interactions recorded per second beside the second user-recommendations load. */
const WRITES_PER_SECOND = 7;

/** Constraints given as parameters rather than in the text, as an app's filter chips send them. */
const FILTERED_SEARCHES: ReadonlyArray<Record<string, string>> = [
  { q: 'tofu', diet: 'vegan' },
  { q: '牛肉', maxMinutes: '30' },
  { q: '汤', exclude: '香菜' },
  { q: 'curry', cuisine: 'indian' },
  { q: 'pasta', exclude: 'cheese' },
  { q: '鸡蛋', diet: 'vegetarian', maxMinutes: '20' },
];

const query = (params: Record<string, string>): string => new URLSearchParams(params).toString();

/**
 * Requests over a catalog sample: `ids` are recipe ids read from the running service, `seed`
 * the bundled recipes whose ingredient lists stand in for what people type into a pantry, and
 * `users` the users asked for (of `community` with history). Deterministic for the same inputs.
 */
export function routeMixes(input: {
  ids: readonly string[];
  seed: readonly RecipeInput[];
  users: readonly string[];
  community?: number;
}): RouteMix[] {
  const rng = new SeededRandom(99_173);
  const pickId = (): string => input.ids[rng.nextInt(input.ids.length)];
  const withIngredients = input.seed.filter((r) => r.ingredients.length >= 3);
  const pantry = (): string[] => {
    const recipe = withIngredients[rng.nextInt(withIngredients.length)];
    const names = recipe.ingredients.map((i) => i.name);
    const count = Math.min(names.length, 3 + rng.nextInt(4));
    for (let i = names.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [names[i], names[j]] = [names[j], names[i]];
    }
    return names.slice(0, count);
  };
  const times = (n: number, make: (i: number) => string | LoadRequest) => Array.from({ length: n }, (_, i) => make(i));

  const search = [
    ...BENCH_QUERIES.map((q) => `/api/search?${query({ q, limit: '10' })}`),
    ...FILTERED_SEARCHES.map((params) => `/api/search?${query({ ...params, limit: '10' })}`),
  ];
  return [
    { id: 'noop', title: 'no-op route (GET /api/health/live), same HTTP stack', requests: ['/api/health/live'] },
    { id: 'search', title: `search (GET /api/search, ${search.length} queries in Chinese and English)`, requests: search },
    {
      id: 'similar',
      title: 'similar dishes (GET /api/recipes/:id/similar)',
      requests: times(200, () => `/api/recipes/${encodeURIComponent(pickId())}/similar?limit=10`),
    },
    ...(['similar', 'pantry'] as const).map((mode) => ({
      id: `by_ingredients_${mode}`,
      title: `by ingredients, mode ${mode} (POST /api/search/by-ingredients)`,
      requests: times(100, () => ({
        method: 'POST' as const,
        path: '/api/search/by-ingredients',
        body: { ingredients: pantry(), mode, limit: 10 },
      })),
    })),
    {
      id: 'session_recommendations',
      title: 'session recommendations (POST /api/recommendations)',
      requests: times(100, (i) => ({
        method: 'POST' as const,
        path: '/api/recommendations',
        body: {
          liked: times(2 + rng.nextInt(3), pickId),
          disliked: rng.next() < 0.5 ? [pickId()] : [],
          limit: 10,
          ...(i % 3 === 0 ? { filters: { maxMinutes: 60 } } : {}),
        },
      })),
    },
    {
      id: 'user_recommendations',
      title: `user recommendations (GET /api/users/:id/recommendations, ${input.users.length} of ${input.community ?? input.users.length} users with history)`,
      requests: input.users.map((user) => `/api/users/${encodeURIComponent(user)}/recommendations?limit=10`),
    },
    {
      id: 'user_recommendations_writes',
      title: `user recommendations while ${WRITES_PER_SECOND} interactions a second are recorded (POST /api/users/:id/interactions)`,
      requests: input.users.map((user) => `/api/users/${encodeURIComponent(user)}/recommendations?limit=10`),
      alongside: {
        perSecond: WRITES_PER_SECOND,
        requests: times(500, (i) => ({
          method: 'POST' as const,
          path: `/api/users/${encodeURIComponent(input.users[i % input.users.length])}/interactions`,
          body: { recipeId: pickId(), type: i % 4 === 0 ? 'view' : 'like' },
        })) as LoadRequest[],
      },
    },
  ];
}

/**
 * The history a community of `users` users leaves, as a catalog of this size would have: 10–50
 * interactions each (likes, dislikes, ratings on a 5-point scale, cooked, views), over `ids`
 * with a Zipf-like popularity (weight 1 / (rank + 10)^0.9, rank in `ids` order), so a few dishes
 * are met by many users and neighbours overlap. A user's recommendations read the history of
 * the users who share the most dishes with them: with a dozen users that read was free, and a
 * query that scanned every interaction stayed hidden until 10,000 users made it 1.5 s.
 */
export function communityInteractions(ids: readonly string[], users: readonly string[]): Array<Record<string, unknown>> {
  const rng = new SeededRandom(4_242);
  const cumulative = new Float64Array(ids.length);
  let total = 0;
  for (let i = 0; i < ids.length; i++) cumulative[i] = total += 1 / Math.pow(i + 10, 0.9);
  const pick = (): string => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = ids.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return ids[lo];
  };
  const out: Array<Record<string, unknown>> = [];
  for (const userId of users) {
    const chosen = new Set<string>();
    const draws = 10 + rng.nextInt(41);
    for (let i = 0; i < draws; i++) chosen.add(pick());
    for (const recipeId of chosen) {
      const kind = rng.next();
      if (kind < 0.35) out.push({ userId, recipeId, type: 'like' });
      else if (kind < 0.45) out.push({ userId, recipeId, type: 'dislike' });
      else if (kind < 0.7) out.push({ userId, recipeId, type: 'rating', value: 1 + rng.nextInt(5), scale: 5 });
      else if (kind < 0.8) out.push({ userId, recipeId, type: 'cooked' });
      else out.push({ userId, recipeId, type: 'view' });
    }
  }
  return out;
}
