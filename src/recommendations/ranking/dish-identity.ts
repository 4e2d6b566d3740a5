import { dishKey, foldSameDishes } from '../../search/same-dish';

export { dishKey };

/**
 * Keeps the first (best-ranked) item of each dish and reports the others as `alsoIn`, so a list
 * never shows the same dish twice. Items whose dish is in `blocked` (what the user already
 * liked, disliked, rated or cooked) are dropped: another source's copy of a dish is the same dish.
 * "The same dish" is the one rule search and similar dishes fold by ({@link dishKey}).
 */
export function foldSameDish<T extends { id: string; name: string; source: string }>(
  ranked: readonly T[],
  blocked: ReadonlySet<string> = new Set(),
): Array<{ item: T; alsoIn: Array<{ id: string; source: string }> }> {
  const open = ranked
    .map((item) => ({ id: item.id, source: item.source, nameKey: dishKey(item.name), item }))
    .filter((c) => c.nameKey.length === 0 || !blocked.has(c.nameKey));
  return foldSameDishes(open).map(({ lead, others }) => ({
    item: lead.item,
    alsoIn: others.map((o) => ({ id: o.id, source: o.source })),
  }));
}
