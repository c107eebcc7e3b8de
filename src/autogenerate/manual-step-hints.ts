/**
 * Small builders for the code in manual steps' hints: TypeScript lines a person uncomments and
 * completes in the migration, so they use the `op` API where it has the operation and
 * `op.execute` with SQL where it has not (the SQL comes from the dialect's `Comparator.hints`).
 */

/** A TypeScript string literal in the generated files' style (single quotes). */
export function tsString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
}

/** `await op.execute('<sql>')`. */
export function executeLine(sql: string): string {
  return `await op.execute(${tsString(sql)})`
}

/** The `{ schema: '...' }` options argument, or nothing in the default schema. */
export function schemaOption(schema: string | undefined): string {
  return schema === undefined ? '' : `, { schema: ${tsString(schema)} }`
}
