import type { SchemaSnapshot } from './schema-snapshot.ts'

/** A table or enum, as a {@link SchemaFilter} function sees it. */
export interface SchemaObjectRef {
  readonly kind:
    | 'table'
    | 'enum'
    | 'sequence'
    | 'domain'
    | 'compositeType'
    | 'extension'
    | 'view'
    | 'function'
    | 'aggregate'
    | 'eventTrigger'
  /** Undefined for the default schema (`public`). */
  readonly schema: string | undefined
  readonly name: string
}

/**
 * Which database objects autogenerate and `check` look at — the rest (extension tables such as
 * PostGIS's, tables another tool owns) they never propose to create or drop.
 *
 * @example
 * include: {
 *   schemas: ['public', 'auth'],
 *   excludeTables: ['spatial_ref_sys', /^legacy_/],
 *   filter: (object) => !object.name.startsWith('tmp_'),
 * }
 */
export interface SchemaFilter {
  /**
   * Schemas to compare. Default: `public` and every schema the models use — so a schema the
   * models never mention is never emptied.
   */
  readonly schemas?: readonly string[]
  /**
   * Only tables matching one of these: exact names (`users`, `auth.sessions`), globs with `*` and
   * `?`, or regular expressions (tested against `name` and `schema.name`). Default: all.
   */
  readonly tables?: readonly (string | RegExp)[]
  /** Tables to leave out, in the same forms. */
  readonly excludeTables?: readonly (string | RegExp)[]
  /** A last word on each table and enum; return false to leave it out. */
  readonly filter?: (object: SchemaObjectRef) => boolean
}

/**
 * The part of a snapshot a filter selects. Foreign keys to tables outside it are kept: they are
 * part of the selected table.
 *
 * @param schemas the schemas to keep when the filter names none (`public` is `undefined`)
 */
export function filterSnapshot(
  snapshot: SchemaSnapshot,
  filter: SchemaFilter,
  schemas: ReadonlySet<string | undefined>,
  defaultSchema = 'public',
): SchemaSnapshot {
  const wanted =
    filter.schemas === undefined
      ? schemas
      : new Set(filter.schemas.map((s) => (s === defaultSchema ? undefined : s)))
  const matches = (
    patterns: readonly (string | RegExp)[],
    schema: string | undefined,
    name: string,
  ) => {
    const keys =
      schema === undefined ? [name, `${defaultSchema}.${name}`] : [`${schema}.${name}`, name]
    return patterns.some((pattern) => keys.some((key) => patternMatches(pattern, key)))
  }
  const keepTable = (schema: string | undefined, name: string) =>
    wanted.has(schema) &&
    (filter.tables === undefined || matches(filter.tables, schema, name)) &&
    !(filter.excludeTables !== undefined && matches(filter.excludeTables, schema, name)) &&
    (filter.filter === undefined || filter.filter({ kind: 'table', schema, name }))
  const keepEnum = (schema: string | undefined, name: string) =>
    wanted.has(schema) &&
    (filter.filter === undefined || filter.filter({ kind: 'enum', schema, name }))
  const keep =
    (kind: SchemaObjectRef['kind']) =>
    (o: { readonly schema: string | undefined; readonly name: string }) =>
      wanted.has(o.schema) &&
      (filter.filter === undefined || filter.filter({ kind, schema: o.schema, name: o.name }))
  return {
    ...snapshot,
    tables: snapshot.tables.filter((t) => keepTable(t.schema, t.name)),
    enums: snapshot.enums.filter((e) => keepEnum(e.schema, e.name)),
    sequences: snapshot.sequences.filter(keep('sequence')),
    domains: snapshot.domains.filter(keep('domain')),
    compositeTypes: snapshot.compositeTypes.filter(keep('compositeType')),
    extensions: snapshot.extensions.filter(keep('extension')),
    ...filterCodeObjects(snapshot, keepTable, keep, (schema, name) =>
      filter.excludeTables === undefined ? false : matches(filter.excludeTables, schema, name),
    ),
  }
}

/**
 * The views, functions, aggregates, triggers and event triggers a filter keeps: views in the
 * wanted schemas that `excludeTables` does not name (the `tables` list names tables only),
 * functions and aggregates in the wanted schemas, triggers on the tables and views kept, and
 * event triggers (which belong to no schema) unless the filter function refuses them.
 */
function filterCodeObjects(
  snapshot: SchemaSnapshot,
  keepTable: (schema: string | undefined, name: string) => boolean,
  keep: (
    kind: SchemaObjectRef['kind'],
  ) => (o: { readonly schema: string | undefined; readonly name: string }) => boolean,
  excluded: (schema: string | undefined, name: string) => boolean,
): Pick<SchemaSnapshot, 'views' | 'functions' | 'aggregates' | 'triggers' | 'eventTriggers'> {
  const views = snapshot.views.filter((v) => keep('view')(v) && !excluded(v.schema, v.name))
  const on = new Set(views.map((v) => JSON.stringify([v.schema ?? null, v.name])))
  return {
    views,
    functions: snapshot.functions.filter(keep('function')),
    aggregates: snapshot.aggregates.filter(keep('aggregate')),
    triggers: snapshot.triggers.filter(
      (t) => keepTable(t.schema, t.table) || on.has(JSON.stringify([t.schema ?? null, t.table])),
    ),
    eventTriggers: snapshot.eventTriggers.filter((e) =>
      keep('eventTrigger')({ schema: undefined, name: e.name }),
    ),
  }
}

/** The schemas a snapshot's objects live in (`undefined` for the default schema). */
export function schemasOf(snapshot: SchemaSnapshot): Set<string | undefined> {
  return new Set([
    ...snapshot.tables.map((t) => t.schema),
    ...snapshot.enums.map((e) => e.schema),
    ...[
      ...snapshot.sequences,
      ...snapshot.domains,
      ...snapshot.compositeTypes,
      ...snapshot.extensions,
      ...snapshot.views,
      ...snapshot.functions,
      ...snapshot.aggregates,
    ].map((o) => o.schema),
  ])
}

function patternMatches(pattern: string | RegExp, key: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(key)
  if (!/[*?]/.test(pattern)) return pattern === key
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  )
  return regex.test(key)
}
