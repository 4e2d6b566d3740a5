import { INestApplicationContext } from '@nestjs/common';
import { CatalogInsightService } from '../../src/catalog-insight/catalog-insight.service';
import { buildDishFamilies, DishPoint, FAMILY_SEED } from '../../src/catalog-insight/dish-families';
import { dishVector, INGREDIENT_SHARE } from '../../src/catalog-insight/dish-vectors';
import { InsightState } from '../../src/catalog-insight/insight-views';
import { conceptNames } from '../../src/catalog-insight/recipe-facts';
import { normalized, sphericalKMeans } from '../../src/catalog-insight/spherical-kmeans';
import { clusteringAgreement } from '../metrics/clustering-metrics';
import { basicNormalize } from '../../src/text/text-normalizer';
import { EvalCatalog } from '../eval-catalog';
import { formatTable } from '../eval-report';

/** The sources whose own category field labels a dish's kind, and what that field is. */
export const LABELLED_SOURCES: ReadonlyArray<{ source: string; label: string }> = [
  { source: 'howtocook', label: 'HowToCook category' },
  { source: 'indian-food-101', label: 'Indian course' },
  { source: 'italian-giallozafferano', label: 'GialloZafferano category' },
];

export interface FamilyScore {
  system: string;
  k: number;
  /** Per source and over all three ("all": label = source + category). */
  agreement: Record<string, { nmi: number; purity: number; items: number }>;
}

/**
 * Families against the sources' own labels, next to k-means over TF-IDF of the ingredient
 * names with the same k and seed: does clustering the dish vectors find kinds of dishes better
 * than clustering the words of their ingredient lists?
 */
export async function evaluateFamilies(
  app: INestApplicationContext,
  catalog: EvalCatalog,
): Promise<{ scores: FamilyScore[]; state: InsightState; computeMs: number }> {
  const started = Date.now();
  const state = await app.get(CatalogInsightService).settled();
  const computeMs = Date.now() - started;
  const { insight } = state;
  const k = insight.k;
  const scores: FamilyScore[] = [];
  const familyOf = (id: string) => insight.recipes.get(id)?.family ?? -1;
  scores.push({ system: `families (k=${k})`, k, agreement: agreement(catalog, familyOf) });

  const lexicon = catalog.lexicon;
  const variants: Array<{ name: string; k: number; share: number }> = [
    { name: `families k=${Math.round(k / 2)}`, k: Math.round(k / 2), share: INGREDIENT_SHARE },
    { name: `families k=${2 * k}`, k: 2 * k, share: INGREDIENT_SHARE },
    { name: `families k=${k}, ingredients 0.3`, k, share: 0.3 },
    { name: `families k=${k}, ingredients 0.7`, k, share: 0.7 },
  ];
  for (const variant of variants) {
    const points: DishPoint[] = [];
    for (const recipe of state.view.values()) {
      const ingredients = [...recipe.ingredientConcepts, ...recipe.impliedIngredients.map((i) => i.concept)];
      points.push({
        id: recipe.summary.id,
        vector: dishVector(state.space, ingredients, recipe.propertyConcepts, variant.share),
        concepts: [],
      });
    }
    const families = await buildDishFamilies(points, { k: variant.k, nameOf: (id) => conceptNames(lexicon, id) });
    scores.push({ system: variant.name, k: variant.k, agreement: agreement(catalog, (id) => families.byDish.get(id)?.family ?? -1) });
  }

  const baseline = await tfidfKMeans(catalog, k);
  scores.push({
    system: `baseline: TF-IDF of ingredient names (k=${k})`,
    k,
    agreement: agreement(catalog, (id) => baseline.get(id) ?? -1),
  });
  return { scores, state, computeMs };
}

function agreement(catalog: EvalCatalog, familyOf: (id: string) => number): FamilyScore['agreement'] {
  const out: FamilyScore['agreement'] = {};
  const all: { c: number[]; l: string[] } = { c: [], l: [] };
  for (const { source } of LABELLED_SOURCES) {
    const c: number[] = [];
    const l: string[] = [];
    for (const r of catalog.recipes) {
      if (r.source !== source || !r.category) continue;
      c.push(familyOf(r.id));
      l.push(r.category);
      all.c.push(familyOf(r.id));
      all.l.push(`${source}:${r.category}`);
    }
    out[source] = clusteringAgreement(c, l);
  }
  out.all = clusteringAgreement(all.c, all.l);
  return out;
}

/** Spherical k-means over TF-IDF vectors of each recipe's normalised ingredient names. */
async function tfidfKMeans(catalog: EvalCatalog, k: number): Promise<Map<string, number>> {
  const docs = catalog.recipes.map((r) => [...new Set(r.ingredientNames.map((n) => basicNormalize(n)).filter((n) => n.length > 0))]);
  const df = new Map<string, number>();
  for (const terms of docs) for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
  const vocabulary = new Map([...df.keys()].sort().map((t, i) => [t, i]));
  const n = docs.length;
  const vectors = docs.map((terms) => {
    const v = new Float64Array(vocabulary.size);
    for (const t of terms) v[vocabulary.get(t)!] = Math.log((n + 1) / (df.get(t)! + 1)) + 1;
    return normalized(v);
  });
  const usable = catalog.recipes.map((r, i) => ({ id: r.id, v: vectors[i] })).filter((x) => x.v.some((y) => y !== 0));
  const { assignments } = await sphericalKMeans(
    usable.map((x) => x.v),
    { k, seed: FAMILY_SEED },
  );
  return new Map(usable.map((x, i) => [x.id, assignments[i]]));
}

export function familyTable(scores: readonly FamilyScore[]): string {
  const columns = [...LABELLED_SOURCES.map((s) => s.source), 'all'];
  const header = ['system', ...columns.flatMap((c) => [`${short(c)} NMI`, `${short(c)} pur`])];
  const rows = scores.map((s) => [s.system, ...columns.flatMap((c) => [s.agreement[c].nmi.toFixed(3), s.agreement[c].purity.toFixed(3)])]);
  return formatTable(header, rows);
}

function short(source: string): string {
  return source === 'howtocook' ? 'htc' : source === 'indian-food-101' ? 'ind' : source === 'italian-giallozafferano' ? 'gz' : source;
}
