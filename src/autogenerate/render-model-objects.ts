import { nameKey, quoteQualifiedName } from '../schema/quote-identifier.ts'
import type {
  ColumnType,
  CompositeTypeDef,
  DomainDef,
  SchemaSnapshot,
} from '../schema/schema-snapshot.ts'
import type { RenderContext } from './render-context.ts'
import { call, concat, type Doc, printDoc } from './render-layout.ts'
import { camelCase, type IdentifierPool } from './render-names.ts'
import {
  compositeTypeArguments,
  declarationCall,
  domainArguments,
  extensionOptions,
  sequenceOptions,
} from './render-schema-objects.ts'
import { renderString } from './render-value.ts'

/** How `pull`'s module declares sequences, domains, composite types and extensions. */
export interface ModelObjects {
  /** The constant of the domain or composite type a custom type names, if the module has one. */
  typeConstant(sql: string): string | undefined
  /** `nextval(constant)` for a default that draws from a sequence the module declares. */
  nextval(sql: string, ctx: RenderContext): Doc | undefined
  /** Custom types the domains and composite types are made of, which need declaring too. */
  readonly partTypes: readonly string[]
  /** The declarations, each block a list of lines: extensions, sequences, then types. */
  blocks(ctx: RenderContext): readonly (readonly string[])[]
  /** The constants, for `defineSchema({ ... })`. */
  readonly entries: readonly string[]
}

/**
 * Names the snapshot's sequences, domains, composite types and extensions in `pool` and says how
 * the module declares and uses them: a column of a domain is `email()`, a default drawing from a
 * sequence `nextval(orderNoSeq)`, and domains and composite types are declared after what they
 * are made of.
 */
export function modelObjects(snapshot: SchemaSnapshot, pool: IdentifierPool): ModelObjects {
  const claim = (name: string, schema: string | undefined, suffix: string): string => {
    const camel = camelCase(name)
    return pool.claim(
      schema === undefined
        ? [camel, `${camel}${suffix}`]
        : [camel, camelCase(`${schema}_${name}`), `${camel}${suffix}`],
    )
  }
  const extensions = snapshot.extensions.map((def) => ({
    def,
    id: claim(def.name, undefined, 'Extension'),
  }))
  const sequences = snapshot.sequences.map((def) => ({
    def,
    id: claim(def.name, def.schema, 'Sequence'),
    text: nameKey(`nextval(${sqlString(quoteQualifiedName(def.schema, def.name))}::regclass)`),
  }))
  const types = orderedTypes(snapshot).map((object) => ({
    ...object,
    id: claim(object.def.name, object.def.schema, 'Type'),
    sql: nameKey(quoteQualifiedName(object.def.schema, object.def.name)),
  }))
  const statement = (doc: Doc) => printDoc(doc, 0).split('\n')
  return {
    typeConstant: (sql) => types.find((t) => t.sql === nameKey(sql))?.id,
    nextval: (sql, ctx) => {
      const found = sequences.find((s) => s.text === nameKey(sql))
      return found === undefined ? undefined : call(ctx.use('nextval'), [found.id])
    },
    partTypes: types.flatMap((t) =>
      (t.kind === 'domain' ? [t.def.type] : t.def.attributes.map((a) => a.type)).flatMap(customSql),
    ),
    blocks: (ctx) =>
      [
        extensions.map(({ def, id }) =>
          statement(
            concat(
              `export const ${id} = `,
              declarationCall(
                ctx.use('extension'),
                [renderString(def.name)],
                extensionOptions(def),
              ),
            ),
          ),
        ),
        sequences.map(({ def, id }) =>
          statement(
            concat(
              `export const ${id} = `,
              declarationCall(ctx.use('sequence'), [renderString(def.name)], sequenceOptions(def)),
            ),
          ),
        ),
        types.map((t) =>
          statement(
            concat(
              `export const ${t.id} = `,
              t.kind === 'domain'
                ? call(ctx.use('domain'), domainArguments(t.def, ctx))
                : call(ctx.use('compositeType'), compositeTypeArguments(t.def, ctx)),
            ),
          ),
        ),
      ]
        .filter((block) => block.length > 0)
        .map((block) => block.flat()),
    entries: [...extensions, ...sequences, ...types].map((o) => o.id),
  }
}

type TypeObject =
  | { readonly kind: 'domain'; readonly def: DomainDef }
  | { readonly kind: 'composite'; readonly def: CompositeTypeDef }

/**
 * Domains and composite types in an order where each comes after those it is made of (a module
 * calls `email()` when it declares a type with an `email` attribute).
 */
function orderedTypes(snapshot: SchemaSnapshot): readonly TypeObject[] {
  const all: TypeObject[] = [
    ...snapshot.domains.map((def): TypeObject => ({ kind: 'domain', def })),
    ...snapshot.compositeTypes.map((def): TypeObject => ({ kind: 'composite', def })),
  ]
  const bySql = new Map(all.map((o) => [nameKey(quoteQualifiedName(o.def.schema, o.def.name)), o]))
  const out: TypeObject[] = []
  const state = new Set<TypeObject>()
  const visit = (object: TypeObject) => {
    if (state.has(object)) return
    state.add(object)
    const parts =
      object.kind === 'domain' ? [object.def.type] : object.def.attributes.map((a) => a.type)
    for (const sql of parts.flatMap(customSql)) {
      const used = bySql.get(nameKey(sql))
      if (used !== undefined) visit(used)
    }
    out.push(object)
  }
  for (const object of all) visit(object)
  return out
}

function customSql(type: ColumnType): readonly string[] {
  if (type.kind === 'array') return customSql(type.element)
  return type.kind === 'custom' ? [type.sql] : []
}

/** A string constant as PostgreSQL's deparser prints it: quotes doubled. */
function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}
