import { basicNormalize } from '../src/text/text-normalizer';
import { meanOf } from './metrics/metrics';
import { EvalCatalog } from './eval-catalog';
import { EvalRecipe } from './eval-recipe';
import { Retriever } from './retrievers/retriever';

export const SIMILAR_TOP = 10;

/** One source whose own category label similar dishes should share. */
interface LabelCheck {
  id: 'howtocook-category' | 'indian-course';
  source: string;
}

const LABEL_CHECKS: readonly LabelCheck[] = [
  { id: 'howtocook-category', source: 'howtocook' },
  { id: 'indian-course', source: 'indian-food-101' },
];

export interface LabelAgreement {
  recipes: number;
  /** Mean share of the 10 similar slots held by a same-source dish of the same category. */
  sameLabelShare: number | null;
  /** The same, counted only over neighbours from the same source (those that carry the label). */
  sameLabelShareWithinSource: number | null;
  /** Mean share of the 10 slots held by dishes of the same source. */
  sameSourceShare: number | null;
}

export interface TwinPair {
  name: string;
  a: string;
  b: string;
}

export interface SimilarOutcome {
  system: string;
  labels: Record<LabelCheck['id'], LabelAgreement>;
  twins: { pairs: number; directed: number; found: number; recall: number | null };
  perRecipe: Array<{
    key: string;
    name: string;
    check: LabelCheck['id'];
    category: string | null;
    sameLabel: number;
    sameSource: number;
    returned: number;
  }>;
  perTwin: Array<{ name: string; from: string; to: string; rank: number | null }>;
  errors: string[];
}

/** Dish names compared across sources: NFKC, lower case, spaces and punctuation removed. */
export function normalisedName(name: string): string {
  return basicNormalize(name).replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The same dish in HowToCook and YunYouJun/cook, found by exact normalised name. */
export function findTwins(catalog: EvalCatalog): TwinPair[] {
  const yunyoujun = new Map<string, EvalRecipe[]>();
  for (const r of catalog.recipes) {
    if (r.source !== 'yunyoujun-cook') continue;
    const key = normalisedName(r.name);
    yunyoujun.set(key, [...(yunyoujun.get(key) ?? []), r]);
  }
  const pairs: TwinPair[] = [];
  for (const r of catalog.recipes) {
    if (r.source !== 'howtocook') continue;
    for (const twin of yunyoujun.get(normalisedName(r.name)) ?? []) pairs.push({ name: r.name, a: r.id, b: twin.id });
  }
  return pairs;
}

/** Similar-dish agreement with the sources' labels, and twin recall, for one system. */
export async function evaluateSimilar(retriever: Retriever, catalog: EvalCatalog, twins: readonly TwinPair[]): Promise<SimilarOutcome> {
  const cache = new Map<string, string[]>();
  const errors: string[] = [];
  const neighbours = async (id: string): Promise<string[]> => {
    const cached = cache.get(id);
    if (cached) return cached;
    let ids: string[] = [];
    try {
      ids = (await retriever.similar(id, SIMILAR_TOP)).slice(0, SIMILAR_TOP);
    } catch (error) {
      errors.push(`${catalog.byId.get(id)?.key ?? id}: ${(error as Error).message}`);
    }
    cache.set(id, ids);
    return ids;
  };

  const perRecipe: SimilarOutcome['perRecipe'] = [];
  const labels = {} as SimilarOutcome['labels'];
  for (const check of LABEL_CHECKS) {
    const shares: number[] = [];
    const withinShares: Array<number | null> = [];
    const sourceShares: number[] = [];
    const recipes = catalog.recipes.filter((r) => r.source === check.source && r.category !== null);
    for (const recipe of recipes) {
      const hits = (await neighbours(recipe.id)).map((id) => catalog.byId.get(id)).filter((r): r is EvalRecipe => r !== undefined);
      const sameSource = hits.filter((h) => h.source === recipe.source);
      const sameLabel = sameSource.filter((h) => h.category === recipe.category).length;
      shares.push(sameLabel / SIMILAR_TOP);
      withinShares.push(sameSource.length === 0 ? null : sameLabel / sameSource.length);
      sourceShares.push(sameSource.length / SIMILAR_TOP);
      perRecipe.push({
        key: recipe.key,
        name: recipe.name,
        check: check.id,
        category: recipe.category,
        sameLabel,
        sameSource: sameSource.length,
        returned: hits.length,
      });
    }
    labels[check.id] = {
      recipes: recipes.length,
      sameLabelShare: meanOf(shares),
      sameLabelShareWithinSource: meanOf(withinShares),
      sameSourceShare: meanOf(sourceShares),
    };
  }

  const perTwin: SimilarOutcome['perTwin'] = [];
  for (const pair of twins) {
    for (const [from, to] of [
      [pair.a, pair.b],
      [pair.b, pair.a],
    ]) {
      const index = (await neighbours(from)).indexOf(to);
      perTwin.push({
        name: pair.name,
        from: catalog.byId.get(from)?.key ?? from,
        to: catalog.byId.get(to)?.key ?? to,
        rank: index < 0 ? null : index + 1,
      });
    }
  }
  const found = perTwin.filter((t) => t.rank !== null).length;
  return {
    system: retriever.name,
    labels,
    twins: { pairs: twins.length, directed: perTwin.length, found, recall: perTwin.length === 0 ? null : found / perTwin.length },
    perRecipe,
    perTwin,
    errors,
  };
}
