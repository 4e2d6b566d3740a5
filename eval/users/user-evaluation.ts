import { INestApplicationContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { DataSource } from 'typeorm';
import { SeededRandom } from '../../src/common/seeded-random';
import { easeRanking, itemKnnRanking, popularityRanking, Ratings } from '../metrics/rating-baselines';
import { fullRankingAt, LIKED_RATING, pairwiseCounts, sampledAt } from '../metrics/user-metrics';
import { UserRecommendationsQuery } from '../../src/recommendations/dto/recommend-request.dto';
import { RecommendationsService, UserRankingParts } from '../../src/recommendations/recommendations.service';
import { UserInteractionsService } from '../../src/users/user-interactions.service';
import { EvalCatalog } from '../eval-catalog';
import { SurveyData } from './survey';

export const HELD_OUT = 5;
export const REPETITIONS = 5;
export const LIST_LIMIT = 100;
export const SAMPLED_NEGATIVES = 100;
/** Respondents are also split into this many folds (by id) to show how much the figure moves with who is asked. */
export const RESPONDENT_FOLDS = 3;
const K = 10;

export interface UserSystemResult {
  system: string;
  pairwise: number;
  pairs: number;
  ndcg: number;
  hr: number;
  sampledNdcg: number;
  sampledHr: number;
  /** Share of held-out dishes the list holds (the service returns LIST_LIMIT at most). */
  heldOutListed: number;
  /** Liked held-out lists / sampled positives the @10 metrics averaged over. */
  likedUsers: number;
  sampledPositives: number;
  /** Pairwise accuracy of each seeded split, and of each fold of respondents (all splits pooled). */
  pairwiseBySplit: number[];
  pairwiseByFold: number[];
}

type Ranker = (userId: string, train: Ratings) => Promise<string[]>;

interface Accumulator {
  correct: number;
  pairs: number;
  ndcg: number[];
  hr: number[];
  sNdcg: number[];
  sHr: number[];
  listed: number;
  held: number;
  splits: Array<{ correct: number; pairs: number }>;
  folds: Array<{ correct: number; pairs: number }>;
}

/**
 * The per-respondent held-out protocol: in each repetition every respondent's ratings are split
 * (HELD_OUT held out, seeded), every respondent's training ratings are stored through the
 * interactions service as 10-point ratings, and each respondent's list is asked for the way a
 * client does (`GET /api/users/:id/recommendations?limit=100`, in process). The baselines see
 * exactly the same training ratings. No repetition sees another's data: the interactions of the
 * previous one are removed first.
 */
export async function evaluateUsers(
  app: INestApplicationContext,
  catalog: EvalCatalog,
  survey: SurveyData,
  options: { splitSeed?: number } = {},
): Promise<UserSystemResult[]> {
  // Split seed 0 gives the splits every earlier run used; another seed draws other held-out dishes.
  const seedBase = 1 + REPETITIONS * (options.splitSeed ?? 0);
  const recommendations = app.get(RecommendationsService);
  const interactions = app.get(UserInteractionsService);
  const dataSource = app.get(DataSource);
  const serviceRanker =
    (parts: UserRankingParts): Ranker =>
    async (userId) => {
      const query = plainToInstance(UserRecommendationsQuery, { limit: LIST_LIMIT });
      const page = await recommendations.forUser(userId, query, { parts });
      return page.items.map((hit) => hit.recipe.id);
    };
  const systems: Array<[string, Ranker]> = [
    ['service', serviceRanker('all')],
    ['service: content part', serviceRanker('content')],
    ['service: collaborative part', serviceRanker('collaborative')],
    ['popularity', async (id, train) => popularityRanking(train, id)],
    ['ItemKNN', async (id, train) => itemKnnRanking(train, id)],
    ['EASE', async (id, train) => easeRanking(train, id)],
  ];
  const acc = new Map<string, Accumulator>(
    systems.map(([name]) => [
      name,
      {
        correct: 0,
        pairs: 0,
        ndcg: [],
        hr: [],
        sNdcg: [],
        sHr: [],
        listed: 0,
        held: 0,
        splits: Array.from({ length: REPETITIONS }, () => ({ correct: 0, pairs: 0 })),
        folds: Array.from({ length: RESPONDENT_FOLDS }, () => ({ correct: 0, pairs: 0 })),
      },
    ]),
  );
  const allIds = catalog.recipes.map((r) => r.id);
  const surveyDishes = new Set(survey.dishIds);

  for (let rep = 0; rep < REPETITIONS; rep++) {
    // The evaluation's own temporary database: start each repetition with no history at all.
    await dataSource.query('DELETE FROM user_interactions');
    const seed = seedBase + rep;
    const train = new Map<string, Map<string, number>>();
    const held = new Map<string, Map<string, number>>();
    const foldOf = new Map<string, number>();
    for (const user of survey.users) {
      const random = new SeededRandom(1_000 * seed + hash(user.userId));
      const ids = [...user.ratings.keys()].sort();
      const out = new Set<string>();
      while (out.size < Math.min(HELD_OUT, ids.length - 1)) out.add(ids[random.nextInt(ids.length)]);
      const id = `survey-${rep}-${user.userId}`;
      train.set(id, new Map(ids.filter((r) => !out.has(r)).map((r) => [r, user.ratings.get(r)!])));
      held.set(id, new Map([...out].map((r) => [r, user.ratings.get(r)!])));
      foldOf.set(id, hash(user.userId) % RESPONDENT_FOLDS);
    }
    const records = [...train].flatMap(([userId, ratings]) =>
      [...ratings].map(([recipeId, value]) => ({ userId, recipeId, type: 'rating', value, scale: 10 })),
    );
    const stored = await interactions.recordMany(records);
    if (stored.failed.length > 0) throw new Error(`storing survey ratings failed: ${JSON.stringify(stored.failed[0])}`);

    for (const [userId, heldOut] of held) {
      const rated = new Set([...train.get(userId)!.keys(), ...heldOut.keys()]);
      const random = new SeededRandom(7_919 * seed + hash(userId));
      const negativesFor = () => sampleNegatives(random, allIds, surveyDishes, rated);
      const positives = [...heldOut].filter(([, r]) => r >= LIKED_RATING).map(([id]) => id);
      const negatives = positives.map(() => negativesFor());
      for (const [name, ranker] of systems) {
        const list = await ranker(userId, train);
        const a = acc.get(name)!;
        const pw = pairwiseCounts(list, heldOut);
        for (const counts of [a, a.splits[rep], a.folds[foldOf.get(userId)!]]) {
          counts.correct += pw.correct;
          counts.pairs += pw.pairs;
        }
        const full = fullRankingAt(list, heldOut, K);
        if (full) {
          a.ndcg.push(full.ndcg);
          a.hr.push(full.hit);
        }
        positives.forEach((p, i) => {
          const s = sampledAt(list, p, negatives[i], K);
          a.sNdcg.push(s.ndcg);
          a.sHr.push(s.hit);
        });
        const listed = new Set(list);
        a.listed += [...heldOut.keys()].filter((id) => listed.has(id)).length;
        a.held += heldOut.size;
      }
    }
  }
  await dataSource.query('DELETE FROM user_interactions');
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
  const share = (c: { correct: number; pairs: number }) => (c.pairs === 0 ? 0 : c.correct / c.pairs);
  return systems.map(([name]) => {
    const a = acc.get(name)!;
    return {
      system: name,
      pairwise: share(a),
      pairs: a.pairs,
      ndcg: mean(a.ndcg),
      hr: mean(a.hr),
      sampledNdcg: mean(a.sNdcg),
      sampledHr: mean(a.sHr),
      heldOutListed: a.held === 0 ? 0 : a.listed / a.held,
      likedUsers: a.ndcg.length,
      sampledPositives: a.sNdcg.length,
      pairwiseBySplit: a.splits.map(share),
      pairwiseByFold: a.folds.map(share),
    };
  });
}

/**
 * SAMPLED_NEGATIVES dishes the user never rated: the survey's own dishes first (all of them when
 * fewer, about 80 of 101), topped up from the rest of the catalog. Negatives from other cuisines
 * alone would make the test a cuisine detector.
 */
function sampleNegatives(
  random: SeededRandom,
  allIds: readonly string[],
  surveyDishes: ReadonlySet<string>,
  rated: ReadonlySet<string>,
): string[] {
  const shuffle = (ids: string[]) => {
    for (let i = ids.length - 1; i > 0; i--) {
      const j = random.nextInt(i + 1);
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    return ids;
  };
  const own = shuffle(allIds.filter((id) => surveyDishes.has(id) && !rated.has(id)));
  const rest = shuffle(allIds.filter((id) => !surveyDishes.has(id) && !rated.has(id)));
  return [...own, ...rest].slice(0, SAMPLED_NEGATIVES);
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

export function userTable(results: readonly UserSystemResult[]): string {
  const header = [
    'system',
    'pairwise acc',
    'splits',
    'respondent folds',
    'NDCG@10',
    'HR@10',
    'NDCG@10 1+100',
    'HR@10 1+100',
    'held-out listed',
  ];
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
  const rows = results.map((r) => [
    r.system,
    r.pairwise.toFixed(3),
    range(r.pairwiseBySplit),
    range(r.pairwiseByFold),
    r.ndcg.toFixed(3),
    r.hr.toFixed(3),
    r.sampledNdcg.toFixed(3),
    r.sampledHr.toFixed(3),
    r.heldOutListed.toFixed(3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
