/** Same strings in any order: revision lists, key columns. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const sorted = [...b].sort()
  return [...a].sort().every((item, i) => item === sorted[i])
}
