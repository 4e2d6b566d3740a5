/** Set-overlap ranking: the ingredient baseline of the evaluation. */

export interface FeatureDocument {
  id: string;
  features: ReadonlySet<string>;
}

export interface JaccardHit {
  id: string;
  score: number;
}

/** |A ∩ B| / |A ∪ B|; 0 for two empty sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Top k documents by Jaccard similarity to `query`, positive scores only; ties keep input order. */
export function rankByJaccard(
  query: ReadonlySet<string>,
  documents: readonly FeatureDocument[],
  k: number,
  excludeId?: string,
): JaccardHit[] {
  if (query.size === 0) return [];
  return documents
    .map((doc, index) => ({ id: doc.id, index, score: doc.id === excludeId ? 0 : jaccard(query, doc.features) }))
    .filter((hit) => hit.score > 0)
    .sort((x, y) => y.score - x.score || x.index - y.index)
    .slice(0, k)
    .map(({ id, score }) => ({ id, score }));
}
