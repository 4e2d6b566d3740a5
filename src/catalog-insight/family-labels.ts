/** A concept that sets a family apart, with how common it is inside and across the catalog. */
export interface DefiningConcept {
  id: string;
  /** Share of the family's dishes that have it. */
  familyShare: number;
  /** Share of the whole catalog's dishes that have it. */
  catalogShare: number;
  /** familyShare · ln(familyShare / catalogShare): common in the family and rare elsewhere. */
  score: number;
}

/** A concept must be in at least this share of a family to define it: one odd dish says nothing. */
export const MIN_FAMILY_SHARE = 0.25;

/**
 * The concepts most over-represented in a family against the catalog, best first. The score is
 * the concept's term of the family's KL divergence from the catalog, so a concept in every dish
 * of the family and few others leads, and one as common everywhere (garlic) scores nothing.
 */
export function definingConcepts(
  familyCounts: ReadonlyMap<string, number>,
  familySize: number,
  catalogCounts: ReadonlyMap<string, number>,
  catalogSize: number,
  limit = 5,
): DefiningConcept[] {
  const out: DefiningConcept[] = [];
  if (familySize === 0 || catalogSize === 0) return out;
  for (const [id, count] of familyCounts) {
    const familyShare = count / familySize;
    const catalogShare = (catalogCounts.get(id) ?? count) / catalogSize;
    if (familyShare < MIN_FAMILY_SHARE || familyShare <= catalogShare) continue;
    out.push({ id, familyShare, catalogShare, score: familyShare * Math.log(familyShare / catalogShare) });
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, limit);
}

export interface ConceptNames {
  zh: string;
  en: string;
}

/** A family's name from its first two defining concepts: "猪肉·红烧" / "pork · red-braised". */
export function familyLabel(
  defining: readonly DefiningConcept[],
  nameOf: (id: string) => ConceptNames,
  fallback: ConceptNames,
): ConceptNames {
  const top = defining.slice(0, 2).map((c) => nameOf(c.id));
  if (top.length === 0) return fallback;
  return { zh: top.map((n) => n.zh).join('·'), en: top.map((n) => n.en).join(' · ') };
}
