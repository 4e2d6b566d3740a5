import { ConceptNames, DefiningConcept, definingConcepts, familyLabel } from './family-labels';
import { dot, nearestCentroid, POINTS_PER_PAUSE, sphericalKMeans } from './spherical-kmeans';

/** One dish as clustering sees it. */
export interface DishPoint {
  id: string;
  /** Unit vector over both spaces (see dishVector). */
  vector: Float64Array;
  /** Concepts that may define its family: ingredients (staples left out) and properties. */
  concepts: readonly string[];
}

export interface DishFamily {
  /** 1-based, largest family first (stable for one computation, not across retrains). */
  id: number;
  label: ConceptNames;
  size: number;
  /** Mean cosine distance of the members to the centroid: 0 when all alike. */
  spread: number;
  defining: DefiningConcept[];
  centroid: Float64Array;
  /** Member ids, most representative (closest to the centroid) first. */
  members: string[];
}

export interface DishFamilies {
  families: DishFamily[];
  /** Family id and similarity to its centroid, per dish. */
  byDish: Map<string, { family: number; similarity: number }>;
  k: number;
}

export const MIN_FAMILIES = 2;
export const MAX_FAMILIES = 40;

/**
 * k from the catalog size: √(n/2), the usual rule of thumb, within [2, 40]. 1,321 dishes give
 * 26 families of about 50: small enough to read as one kind of dish, large enough to hold a
 * cuisine's variants; NMI against the sources' own categories was 0.845 at 26, 0.754 at 13 and
 * 0.763 at 52 (`npm run eval`). A silhouette search would need all pairwise distances (O(n²):
 * 870,000 pairs here, 5·10⁹ at 100,000 recipes) on every recompute.
 */
export function familyCount(n: number): number {
  return Math.max(MIN_FAMILIES, Math.min(MAX_FAMILIES, Math.round(Math.sqrt(n / 2))));
}

/** Catalogs above this are clustered on a deterministic sample, then every dish is assigned. */
export const FIT_SAMPLE = 5000;

export interface FamilyOptions {
  k?: number;
  seed?: number;
  pause?: () => Promise<void>;
  nameOf: (id: string) => ConceptNames;
}

export const FAMILY_SEED = 20240601;

/** Dish families: spherical k-means over the dish vectors, labelled by their defining concepts. */
export async function buildDishFamilies(points: readonly DishPoint[], options: FamilyOptions): Promise<DishFamilies> {
  const clusterable = points.filter((p) => p.vector.some((x) => x !== 0));
  const k = Math.min(options.k ?? familyCount(clusterable.length), Math.max(1, clusterable.length));
  const fit = sampleEvenly(clusterable, FIT_SAMPLE);
  const { centroids } = await sphericalKMeans(
    fit.map((p) => p.vector),
    { k, seed: options.seed ?? FAMILY_SEED, pause: options.pause },
  );
  const members = centroids.map(() => [] as Array<{ point: DishPoint; similarity: number }>);
  for (let i = 0; i < clusterable.length; i++) {
    const point = clusterable[i];
    // 1,000 dishes between pauses ran 200–460 ms unbroken on a 9,351-recipe catalog.
    if (i % POINTS_PER_PAUSE === POINTS_PER_PAUSE - 1) await options.pause?.();
    const { index, similarity } = nearestCentroid(point.vector, centroids);
    members[index].push({ point, similarity });
  }
  const catalogCounts = countConcepts(clusterable);
  const order = centroids.map((_, i) => i).filter((i) => members[i].length > 0);
  order.sort((a, b) => members[b].length - members[a].length || a - b);
  const byDish = new Map<string, { family: number; similarity: number }>();
  const families: DishFamily[] = [];
  for (const [rank, c] of order.entries()) {
    // Sorting and counting a family's members is ~1 ms a family on a 9,351-recipe catalog.
    await options.pause?.();
    const list = members[c].sort((a, b) => b.similarity - a.similarity || (a.point.id < b.point.id ? -1 : 1));
    const id = rank + 1;
    for (const m of list) byDish.set(m.point.id, { family: id, similarity: m.similarity });
    const defining = definingConcepts(countConcepts(list.map((m) => m.point)), list.length, catalogCounts, clusterable.length);
    families.push({
      id,
      label: familyLabel(defining, options.nameOf, { zh: `菜系${id}`, en: `family ${id}` }),
      size: list.length,
      spread: list.reduce((sum, m) => sum + (1 - m.similarity), 0) / list.length,
      defining,
      centroid: centroids[c],
      members: list.map((m) => m.point.id),
    });
  }
  return { families, byDish, k };
}

/** The family a dish not clustered yet (added since) belongs to, by its nearest centroid. */
export function assignFamily(families: readonly DishFamily[], vector: Float64Array): { family: number; similarity: number } | null {
  if (families.length === 0 || !vector.some((x) => x !== 0)) return null;
  const { index, similarity } = nearestCentroid(
    vector,
    families.map((f) => f.centroid),
  );
  return { family: families[index].id, similarity };
}

/**
 * Mean cosine distance to the mean direction: how varied a set of unit vectors is (0–1 mostly).
 * Two passes over the whole catalog, so it offers to pause as k-means does.
 */
export async function spreadOf(vectors: readonly Float64Array[], pause?: () => Promise<void>): Promise<number> {
  if (vectors.length === 0) return 0;
  const mean = new Float64Array(vectors[0].length);
  for (let n = 0; n < vectors.length; n++) {
    if (n % (8 * POINTS_PER_PAUSE) === 8 * POINTS_PER_PAUSE - 1) await pause?.();
    const v = vectors[n];
    for (let i = 0; i < v.length; i++) mean[i] += v[i];
  }
  const norm = Math.sqrt(dot(mean, mean));
  if (norm === 0) return 1;
  let sum = 0;
  for (let n = 0; n < vectors.length; n++) {
    if (n % (8 * POINTS_PER_PAUSE) === 8 * POINTS_PER_PAUSE - 1) await pause?.();
    sum += 1 - dot(vectors[n], mean) / norm;
  }
  return sum / vectors.length;
}

function countConcepts(points: readonly DishPoint[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of points) for (const c of new Set(p.concepts)) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

/** Every ⌈n/limit⌉-th point in id order: the same catalog always fits the same sample. */
function sampleEvenly<T extends { id: string }>(points: readonly T[], limit: number): T[] {
  const sorted = [...points].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (sorted.length <= limit) return sorted;
  const step = sorted.length / limit;
  return Array.from({ length: limit }, (_, i) => sorted[Math.floor(i * step)]);
}
