/** The order of recipe ids wherever ties are broken or a list is "in id order": UTF-16 code units, as SQL's binary collation. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
