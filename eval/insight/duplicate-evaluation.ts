import { CatalogInsight } from '../../src/catalog-insight/catalog-insight';
import { EvalCatalog } from '../eval-catalog';
import { DUPLICATE_LABELS } from '../fixtures/duplicate-labels';
import { TwinPair } from '../similar-agreement';

export interface DuplicateEvaluation {
  proposed: number;
  crossSource: number;
  twins: number;
  twinsFound: number;
  /** Labelled pairs still proposed, and how many of them are the same dish. */
  labelledProposed: number;
  labelledSame: number;
  precision: number | null;
  byThreshold: Array<{ threshold: number; labelled: number; same: number; precision: number | null }>;
}

/** Recall on the HowToCook–YunYouJun same-name twins, precision on the labelled sample of proposals. */
export function evaluateDuplicates(insight: CatalogInsight, catalog: EvalCatalog, twins: readonly TwinPair[]): DuplicateEvaluation {
  const keyOf = (id: string) => catalog.byId.get(id)?.key ?? id;
  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const proposed = new Map(insight.duplicates.map((p) => [pairKey(keyOf(p.a), keyOf(p.b)), p]));
  const twinsFound = twins.filter((t) => proposed.has(pairKey(keyOf(t.a), keyOf(t.b)))).length;
  const labels = new Map(DUPLICATE_LABELS.map((l) => [pairKey(l.a, l.b), l]));
  const labelled = [...proposed].filter(([key]) => labels.has(key));
  const same = labelled.filter(([key]) => labels.get(key)!.same).length;
  const byThreshold = [0.75, 0.8, 0.85, 0.9].map((threshold) => {
    const above = labelled.filter(([, p]) => p.score >= threshold);
    const s = above.filter(([key]) => labels.get(key)!.same).length;
    return { threshold, labelled: above.length, same: s, precision: above.length ? s / above.length : null };
  });
  return {
    proposed: insight.duplicates.length,
    crossSource: insight.duplicates.filter((p) => p.crossSource).length,
    twins: twins.length,
    twinsFound,
    labelledProposed: labelled.length,
    labelledSame: same,
    precision: labelled.length ? same / labelled.length : null,
    byThreshold,
  };
}
