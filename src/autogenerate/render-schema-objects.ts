/**
 * Sequences, domains, composite types and extensions as the model DSL and the `op` facade spell
 * them: declarations for `pull`, facade calls for migrations.
 */
import {
  assertNever,
  type Change,
  type DomainChanges,
  type MigrationOp,
  type SchemaObjectOp,
  type SequenceChanges,
} from '../operations/migration-op.ts'
import type {
  CheckDef,
  ColumnDefault,
  ColumnType,
  CompositeAttributeDef,
  CompositeTypeDef,
  DomainDef,
  ExtensionDef,
  SequenceDef,
  SequenceOwner,
} from '../schema/schema-snapshot.ts'
import { renderColumnType, renderDefault, renderSql } from './render-column.ts'
import type { RenderContext } from './render-context.ts'
import { array, call, type Doc, object } from './render-layout.ts'
import { flag, type Option, schemaOption, statement } from './render-statement.ts'
import { propertyKey, renderLiteral, renderString } from './render-value.ts'

/** `callee(args, { options })`, the options object only when one is given. */
export function declarationCall(
  callee: string,
  args: readonly Doc[],
  options: readonly Option[],
): Doc {
  const given = options.filter((o): o is readonly [string, Doc] => o[1] !== undefined)
  return call(callee, given.length === 0 ? args : [...args, object(given)])
}

/** The options of `sequence(name, { ... })` (and `op.createSequence`) that reproduce `def`. */
export function sequenceOptions(def: SequenceDef): readonly Option[] {
  const n = (value: number | undefined) => (value === undefined ? undefined : renderLiteral(value))
  return [
    schemaOption(def.schema),
    ['dataType', def.dataType === undefined ? undefined : renderString(def.dataType)],
    ['start', n(def.start)],
    ['increment', n(def.increment)],
    ['minValue', n(def.minValue)],
    ['maxValue', n(def.maxValue)],
    ['cache', n(def.cache)],
    ['cycle', flag(def.cycle)],
    ['ownedBy', def.ownedBy === undefined ? undefined : renderString(ownerText(def.ownedBy))],
  ]
}

/** The arguments of `domain(name, base, { ... })` (and `op.createDomain`) that reproduce `def`. */
export function domainArguments(def: DomainDef, ctx: RenderContext): readonly Doc[] {
  return [
    renderString(def.name),
    renderColumnType(def.type, ctx),
    ...optionsObject([
      schemaOption(def.schema),
      ['notNull', flag(def.notNull)],
      ['default', def.default === undefined ? undefined : renderDefault(def.default, ctx)],
      [
        'checks',
        def.checks.length === 0 ? undefined : array(def.checks.map((c) => checkCall(c, ctx))),
      ],
    ]),
  ]
}

/** The arguments of `compositeType(name, { ... })` (and `op.createCompositeType`). */
export function compositeTypeArguments(def: CompositeTypeDef, ctx: RenderContext): readonly Doc[] {
  return [
    renderString(def.name),
    object(def.attributes.map((a) => [propertyKey(a.name), renderColumnType(a.type, ctx)])),
    ...optionsObject([schemaOption(def.schema)]),
  ]
}

/** The options of `extension(name, { ... })` (and `op.createExtension`). */
export function extensionOptions(def: ExtensionDef): readonly Option[] {
  return [
    schemaOption(def.schema),
    ['version', def.version === undefined ? undefined : renderString(def.version)],
  ]
}

/** `check('name', sql\`...\`)`, as domains list their checks. */
function checkCall(check: CheckDef, ctx: RenderContext): Doc {
  if (check.name === undefined) ctx.note('a domain check has no name; name it before running this')
  return call(ctx.use('check'), [renderString(check.name ?? ''), renderSql(check.expression, ctx)])
}

/**
 * The `await op.xxx(...)` statement that produces an operation on a sequence, domain, composite
 * type or extension; drops that carry their definition pass the declaration
 * (`op.dropSequence(sequence(...))`), which makes them reversible.
 */
export function renderSchemaObjectOp(op: SchemaObjectOp, ctx: RenderContext): Doc {
  const str = renderString
  const drops = (o: { readonly ifExists: boolean; readonly cascade: boolean }): Option[] => [
    ['ifExists', flag(o.ifExists)],
    ['cascade', flag(o.cascade)],
  ]
  switch (op.kind) {
    case 'createSequence':
      return statement(
        'createSequence',
        [str(op.sequence.name)],
        [...sequenceOptions(op.sequence), ['ifNotExists', flag(op.ifNotExists)]],
      )
    case 'dropSequence': {
      const def = op.definition
      if (def === undefined || !sameName(def, op, ctx, 'sequence')) {
        return statement('dropSequence', [str(op.name)], [schemaOption(op.schema), ...drops(op)])
      }
      const declared = declarationCall(ctx.use('sequence'), [str(def.name)], sequenceOptions(def))
      return statement('dropSequence', [declared], drops(op))
    }
    case 'alterSequence':
      return statement(
        'alterSequence',
        [str(op.name)],
        [schemaOption(op.schema), ...sequenceChangeOptions(op.changes)],
        true,
      )
    case 'renameSequence':
      return statement('renameSequence', [str(op.from), str(op.to)], [schemaOption(op.schema)])
    case 'createDomain':
      return concatStatement('createDomain', domainArguments(op.domain, ctx))
    case 'dropDomain': {
      const def = op.definition
      if (def === undefined || !sameName(def, op, ctx, 'domain')) {
        return statement('dropDomain', [str(op.name)], [schemaOption(op.schema), ...drops(op)])
      }
      return statement(
        'dropDomain',
        [call(ctx.use('domain'), domainArguments(def, ctx))],
        drops(op),
      )
    }
    case 'alterDomain':
      return statement(
        'alterDomain',
        [str(op.name)],
        [schemaOption(op.schema), ...domainChangeOptions(op.changes, ctx)],
        true,
      )
    case 'createCompositeType':
      return concatStatement('createCompositeType', compositeTypeArguments(op.type, ctx))
    case 'dropCompositeType': {
      const def = op.definition
      if (def === undefined || !sameName(def, op, ctx, 'composite type')) {
        return statement(
          'dropCompositeType',
          [str(op.name)],
          [schemaOption(op.schema), ...drops(op)],
        )
      }
      const declared = call(ctx.use('compositeType'), compositeTypeArguments(def, ctx))
      return statement('dropCompositeType', [declared], drops(op))
    }
    case 'renameType':
      return statement('renameType', [str(op.from), str(op.to)], [schemaOption(op.schema)])
    case 'alterCompositeType': {
      const attributes = (list: readonly CompositeAttributeDef[]) =>
        object(list.map((a) => [propertyKey(a.name), renderColumnType(a.type, ctx)]))
      const dropped = op.dropAttributes.map((a) => a.definition)
      const drops = dropped.every((a) => a !== undefined)
        ? attributes(dropped)
        : array(op.dropAttributes.map((a) => str(a.name)))
      const changes: Option[] = [
        ['dropAttributes', op.dropAttributes.length === 0 ? undefined : drops],
        ['addAttributes', op.addAttributes.length === 0 ? undefined : attributes(op.addAttributes)],
      ]
      return statement(
        'alterCompositeType',
        [str(op.name), ...optionsObject(changes)],
        [schemaOption(op.schema)],
      )
    }
    case 'createExtension':
      return statement(
        'createExtension',
        [str(op.extension.name)],
        [
          ...extensionOptions(op.extension),
          // The facade's default is IF NOT EXISTS.
          ['ifNotExists', op.ifNotExists ? undefined : 'false'],
        ],
      )
    case 'dropExtension': {
      const def = op.definition
      if (def === undefined || def.name !== op.name) {
        if (def !== undefined) {
          ctx.note(`the drop names extension ${op.name} but carries the definition of ${def.name}`)
        }
        return statement('dropExtension', [str(op.name)], drops(op))
      }
      const declared = declarationCall(ctx.use('extension'), [str(def.name)], extensionOptions(def))
      return statement('dropExtension', [declared], drops(op))
    }
    default:
      return assertNever(op)
  }
}

/** `await op.name(...args)`: the arguments already hold their options object. */
function concatStatement(name: string, args: readonly Doc[]): Doc {
  return statement(name, args, [])
}

/** The options object, as a one-element list when any option is given. */
function optionsObject(options: readonly Option[]): readonly Doc[] {
  const given = options.filter((o): o is readonly [string, Doc] => o[1] !== undefined)
  return given.length === 0 ? [] : [object(given)]
}

/** True when a drop's definition names what it drops; a note says so otherwise. */
function sameName(
  def: { readonly schema: string | undefined; readonly name: string },
  op: { readonly schema: string | undefined; readonly name: string },
  ctx: RenderContext,
  what: string,
): boolean {
  if (def.schema === op.schema && def.name === op.name) return true
  ctx.note(
    `the drop names ${what} ${op.name} but carries the definition of ${def.name}; the drop is written without it`,
  )
  return false
}

/** The options of `op.alterSequence`: each new value, then what it was (null: the default). */
function sequenceChangeOptions(c: SequenceChanges): readonly Option[] {
  const out: Option[] = []
  const add = <T>(key: string, change: Change<T> | undefined, render: (value: T) => Doc): void => {
    if (change === undefined) return
    const existing = `existing${key[0]!.toUpperCase()}${key.slice(1)}`
    out.push([key, render(change.to)])
    if ('from' in change) out.push([existing, render(change.from as T)])
  }
  const orNull = (value: number | undefined) =>
    value === undefined ? 'null' : renderLiteral(value)
  add('dataType', c.dataType, (t) => renderString(t ?? 'bigint'))
  add('start', c.start, renderLiteral)
  add('increment', c.increment, (n) => renderLiteral(n ?? 1))
  add('minValue', c.minValue, orNull)
  add('maxValue', c.maxValue, orNull)
  add('cache', c.cache, (n) => renderLiteral(n ?? 1))
  add('cycle', c.cycle, (b) => String(b))
  add('ownedBy', c.ownedBy, (o) => (o === undefined ? 'null' : renderString(ownerText(o))))
  return out
}

/** The options of `op.alterDomain`. */
function domainChangeOptions(c: DomainChanges, ctx: RenderContext): readonly Option[] {
  const out: Option[] = []
  const value = (d: ColumnDefault | null): Doc => (d === null ? 'null' : renderDefault(d, ctx))
  if (c.default !== undefined) {
    out.push(['default', value(c.default.to)])
    if ('from' in c.default && c.default.from !== undefined) {
      out.push(['existingDefault', value(c.default.from)])
    }
  }
  if (c.notNull !== undefined) {
    out.push(['notNull', String(c.notNull.to)])
    if (c.notNull.from !== undefined) out.push(['existingNotNull', String(c.notNull.from)])
  }
  if (c.dropChecks !== undefined && c.dropChecks.length > 0) {
    const drops = c.dropChecks.map((d) =>
      d.definition === undefined ? renderString(d.name) : checkCall(d.definition, ctx),
    )
    out.push(['dropChecks', array(drops)])
  }
  if (c.addChecks !== undefined && c.addChecks.length > 0) {
    out.push(['addChecks', array(c.addChecks.map((check) => checkCall(check, ctx)))])
  }
  return out
}

function ownerText(owner: SequenceOwner): string {
  return `${owner.table}.${owner.column}`
}

/**
 * The types a domain or composite type operation names (a domain's base type with its default,
 * each attribute's type), so that a migration declares the enums they use.
 */
export function schemaObjectTypes(
  op: MigrationOp,
): readonly { readonly type: ColumnType; readonly default: ColumnDefault | undefined }[] {
  const domain = (d: DomainDef | undefined) =>
    d === undefined ? [] : [{ type: d.type, default: d.default }]
  const composite = (t: CompositeTypeDef | undefined) =>
    (t?.attributes ?? []).map((a) => ({ type: a.type, default: undefined }))
  switch (op.kind) {
    case 'createDomain':
      return domain(op.domain)
    case 'dropDomain':
      return domain(op.definition)
    case 'createCompositeType':
      return composite(op.type)
    case 'dropCompositeType':
      return composite(op.definition)
    case 'alterCompositeType':
      return [
        ...op.addAttributes,
        ...op.dropAttributes.flatMap((a) => (a.definition === undefined ? [] : [a.definition])),
      ].map((a) => ({ type: a.type, default: undefined }))
    default:
      return []
  }
}
