/**
 * How the comparison names tables and columns: `tableId` keys maps (unambiguous, whatever the
 * names contain), `tableKey`/`columnKey` name objects to people and in rename questions and
 * answers (`users`, `auth.sessions`, `users.email`, `auth.sessions.token`).
 */

/** A map key for a table: schema and name joined by a character no identifier contains. */
export function tableId(schema: string | undefined, name: string): string {
  return `${schema ?? ''}\u0000${name}`
}

/** `name`, or `schema.name` outside the default schema. */
export function tableKey(schema: string | undefined, name: string): string {
  return schema === undefined ? name : `${schema}.${name}`
}

/** `table.column`, or `schema.table.column` outside the default schema. */
export function columnKey(schema: string | undefined, table: string, column: string): string {
  return `${tableKey(schema, table)}.${column}`
}
