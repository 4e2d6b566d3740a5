import { basicNormalize } from '../../text/text-normalizer';

/**
 * The bundled collections overlap (宫保鸡丁 is in two of them), so "the same dish" is decided by
 * name: bracketed notes, spaces and punctuation do not make a different dish.
 */
export function dishKey(name: string): string {
  return basicNormalize(name)
    .replace(/[（(【[][^）)】\]]*[）)】\]]/g, '')
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * Keeps the first (best-ranked) item of each dish and reports the others as `alsoIn`, so a list
 * never shows the same dish twice. Items whose dish is in `blocked` (what the user already
 * liked, disliked, rated or cooked) are dropped: another source's copy of a dish is the same dish.
 */
export function foldSameDish<T extends { id: string; name: string; source: string }>(
  ranked: readonly T[],
  blocked: ReadonlySet<string> = new Set(),
): Array<{ item: T; alsoIn: Array<{ id: string; source: string }> }> {
  const out: Array<{ item: T; alsoIn: Array<{ id: string; source: string }> }> = [];
  const byKey = new Map<string, (typeof out)[number]>();
  for (const item of ranked) {
    const key = dishKey(item.name);
    if (key.length > 0 && blocked.has(key)) continue;
    const kept = key.length > 0 ? byKey.get(key) : undefined;
    if (kept) {
      kept.alsoIn.push({ id: item.id, source: item.source });
      continue;
    }
    const entry = { item, alsoIn: [] as Array<{ id: string; source: string }> };
    out.push(entry);
    if (key.length > 0) byKey.set(key, entry);
  }
  return out;
}
