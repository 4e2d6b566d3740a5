import { alsoInOf, dishKey, foldSameDishes } from '../../search/same-dish';

export { dishKey };

/**
 * Keeps the first (best-ranked) item of each dish and reports the others as `alsoIn`, so a list
 * never shows the same dish twice. Items whose dish is in `blocked` (what the user already
 * liked, disliked, rated or cooked) are dropped: another source's copy of a dish is the same dish.
 * "The same dish" is the one rule search and similar dishes fold by ({@link dishKey}); items
 * carry their name's key, which the catalog view works out once per recipe: keyed here per
 * candidate, ~250 names a user list at 100,000 recipes, it was 2.7% of the list's CPU.
 */
export function foldSameDish<T extends { id: string; nameKey: string; source: string }>(
  ranked: readonly T[],
  blocked: ReadonlySet<string> = new Set(),
): Array<{ item: T; alsoIn: Array<{ id: string; source: string }> }> {
  const open = ranked
    .filter((item) => item.nameKey.length === 0 || !blocked.has(item.nameKey))
    .map((item) => ({ id: item.id, source: item.source, nameKey: item.nameKey, item }));
  return foldSameDishes(open).map(({ lead, others }) => ({
    item: lead.item,
    alsoIn: alsoInOf(others),
  }));
}
