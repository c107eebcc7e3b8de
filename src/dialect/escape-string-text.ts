/**
 * The text a model's escape string `E'...'` means, given the body between its quotes: doubled
 * quotes and backslash escapes (`\n`, `\t`, `\r`, `\b`, `\f`, and any other character standing
 * for itself) resolved. Models write text holding a backslash in this form (it reads the same in
 * PostgreSQL whatever `standard_conforming_strings` says); engines without it get the plain text.
 */
export function escapeStringText(body: string): string {
  const named: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }
  return body.replace(/''/g, "'").replace(/\\(.)/gs, (_, ch: string) => named[ch] ?? ch)
}
