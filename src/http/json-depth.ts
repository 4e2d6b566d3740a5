/**
 * True when `value` nests objects and arrays more than `maxDepth` levels deep (`{}` and `[]` are
 * one level, a bare string or number none). It descends at most `maxDepth + 1` levels, so even
 * a body nested a million levels deep costs a bounded stack; a 5 MB bulk body is one pass over
 * what JSON.parse built.
 */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (maxDepth <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (jsonDepthExceeds(item, maxDepth - 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (jsonDepthExceeds(record[key], maxDepth - 1)) return true;
  return false;
}
