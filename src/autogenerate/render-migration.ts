import type { MigrationOp } from '../operations/migration-op.ts'
import { IrreversibleOperationError } from '../operations/operation-errors.ts'
import { MIGRATION_NAMING_CONVENTION } from '../operations/operations.ts'
import { reverse } from '../operations/reverse.ts'
import { resolveNamingConvention } from '../schema/naming-convention.ts'
import type { ColumnType, EnumDef } from '../schema/schema-snapshot.ts'
import { type CompareResult, whatRenameKeeps } from './compare-result.ts'
import { ImportSet } from './render-context.ts'
import {
  array,
  braces,
  call,
  commentLines,
  concat,
  type Doc,
  object,
  printDoc,
} from './render-layout.ts'
import { camelCase, DSL_NAMES, IdentifierPool } from './render-names.ts'
import { enumsOfOps, type OpRenderContext, renderOp } from './render-op.ts'
import { schemaObjectTypes } from './render-schema-objects.ts'
import type { TablePolicy } from './render-table.ts'
import { renderString } from './render-value.ts'

/** Options of {@link renderMigration}. */
export interface RenderMigrationOptions {
  /**
   * Enum types as the models declare them, for columns of an enum the changes neither create nor
   * drop (the DSL declares an enum with its values). Default: none; such an enum is declared with
   * the values its columns' defaults use, or a placeholder.
   */
  readonly enums?: readonly EnumDef[]
  /** The module the DSL is imported from; default `'aludel'`. */
  readonly importPath?: string
}

/** The parts of a migration file that {@link renderMigration} writes. */
export interface RenderedMigration {
  /** The statements of `upgrade(op)`, indented by two spaces, without the braces. */
  readonly upgradeBody: string
  /** The statements of `downgrade(op)`, the same way. */
  readonly downgradeBody: string
  /** Import lines for the DSL functions the bodies use (none when they use none). */
  readonly imports: readonly string[]
  /**
   * False when an operation must run outside a transaction (`CREATE INDEX CONCURRENTLY`): the
   * value of the file's `export const transactional`.
   */
  readonly transactional: boolean
}

/**
 * Writes autogenerate's result as the bodies of a migration: each change as the `await op.xxx()`
 * call that performs it (its warning as a `// WARNING:` comment above), each manual step as a
 * commented to-do, and the downgrade as the reverse of every change (`reverseAll`), with the
 * manual steps' downgrade hints and a to-do where a change cannot be undone automatically.
 * Tables and columns are declared with the model DSL, constraints and indexes under their exact
 * names. Pure: no database, no files.
 *
 * @example
 * const { upgradeBody, downgradeBody, imports, transactional } = renderMigration(result)
 * const text = renderScript({ ...header, upgradeBody, downgradeBody, imports, transactional })
 */
export function renderMigration(
  result: CompareResult,
  options: RenderMigrationOptions = {},
): RenderedMigration {
  const imports = new ImportSet()
  const ops = result.changes.map((change) => change.op)

  const upgrade: BodyItem[] = [
    ...result.questions.map(
      (q): BodyItem => ({
        kind: 'comment',
        label: 'QUESTION: ',
        text: `${q.kind} ${q.fromKey} is dropped and ${q.toKey} added, losing ${whatRenameKeeps(q.kind)}; if it was renamed, answer the rename question and generate again.`,
      }),
    ),
    ...result.changes.map(
      (change): BodyItem => ({ kind: 'op', op: change.op, warning: change.warning }),
    ),
    ...result.manual.map(
      (step): BodyItem => ({ kind: 'manual', text: step.description, hint: step.upgradeHint }),
    ),
  ]

  const downgrade: BodyItem[] = [...result.manual].reverse().map(
    (step): BodyItem => ({
      kind: 'manual',
      text: `undo: ${step.description}`,
      hint: step.downgradeHint,
    }),
  )
  // Each change is reversed on its own, so that one irreversible change becomes a to-do instead
  // of failing the whole migration; when all are reversible this is exactly reverseAll(ops).
  for (const op of [...ops].reverse()) {
    try {
      for (const undo of reverse(op)) downgrade.push({ kind: 'op', op: undo, warning: undefined })
    } catch (error) {
      if (!(error instanceof IrreversibleOperationError)) throw error
      downgrade.push({ kind: 'manual', text: error.message, hint: undefined })
    }
  }

  const allOps = [...ops, ...downgrade.flatMap((item) => (item.kind === 'op' ? [item.op] : []))]
  const known = [...enumsOfOps(allOps), ...(options.enums ?? [])]
  const upgradeBody = renderBody(upgrade, imports, known, 'Nothing to do: no schema changes.')
  const downgradeBody = renderBody(downgrade, imports, known, 'Nothing to undo.')
  const transactional = !allOps.some(
    (op) => (op.kind === 'createIndex' || op.kind === 'dropIndex') && op.concurrently,
  )
  return {
    upgradeBody,
    downgradeBody,
    imports: imports.size === 0 ? [] : [importLine(imports, options.importPath ?? 'aludel')],
    transactional,
  }
}

type BodyItem =
  | { readonly kind: 'op'; readonly op: MigrationOp; readonly warning: string | undefined }
  | { readonly kind: 'manual'; readonly text: string; readonly hint: string | undefined }
  | { readonly kind: 'comment'; readonly label: string; readonly text: string }

const INDENT = 2

/** How migrations declare tables: `table()`, names as written, references by name. */
const MIGRATION_TABLES: TablePolicy = {
  callee: (_, ctx) => ctx.use('table'),
  schemaOption: true,
  convention: resolveNamingConvention(MIGRATION_NAMING_CONVENTION),
  // Only `.primaryKey()` has no name argument; it is used when the migration's convention gives
  // the key's name anyway. Every other name is written out.
  omitName: (kind, where) => kind === 'pk' && where === 'column',
  reference: () => ({ kind: 'named' }),
}

function renderBody(
  items: readonly BodyItem[],
  imports: ImportSet,
  known: readonly EnumDef[],
  empty: string,
): string {
  if (items.length === 0) return `${pad()}// ${empty}`
  const ops = items.flatMap((item) => (item.kind === 'op' ? [item.op] : []))
  const { constants, declarations } = enumConstants(ops, known, imports)
  const notes: string[] = []
  const ctx: OpRenderContext = {
    tables: MIGRATION_TABLES,
    use: (name) => imports.use(name),
    enumType: (type) => constants.get(enumKey(type.schema, type.name))!.identifier,
    enumValues: (type) => constants.get(enumKey(type.schema, type.name))?.values,
    customType: (sql) => call(imports.use('customType'), [renderString(sql)]),
    note: (text) => {
      if (!notes.includes(text)) notes.push(text)
    },
    enumConstant: (schema, name) => constants.get(enumKey(schema, name)),
  }
  const blocks: Block[] = []
  if (declarations.length > 0) blocks.push({ lines: declarations.flat(), apart: true })
  for (const item of items) {
    switch (item.kind) {
      case 'op': {
        const doc = renderOp(item.op, ctx)
        const lines = [
          ...(item.warning === undefined ? [] : commentLines('WARNING: ', item.warning, INDENT)),
          ...notes.flatMap((note) => commentLines('NOTE: ', note, INDENT)),
          ...statementLines(doc),
        ]
        notes.length = 0
        blocks.push({ lines, apart: lines.length > 1 })
        break
      }
      case 'manual':
        blocks.push({
          lines: [
            ...commentLines('TODO (manual step): ', item.text, INDENT),
            ...(item.hint === undefined
              ? []
              : item.hint.split(/\r\n|\r|\n/).map((line) => `${pad()}// ${line}`.trimEnd())),
          ],
          apart: true,
        })
        break
      case 'comment':
        blocks.push({ lines: commentLines(item.label, item.text, INDENT), apart: true })
        break
    }
  }
  // A body of comments only is one comment block, as the formatter keeps it.
  const onlyComments = !items.some((item) => item.kind === 'op')
  return joinBlocks(onlyComments ? blocks.map((block) => ({ ...block, apart: false })) : blocks)
}

/** Lines of a body that belong together, and whether a blank line sets them off. */
interface Block {
  readonly lines: readonly string[]
  readonly apart: boolean
}

/**
 * One-line statements stay together; a blank line sets off anything longer, declarations and
 * comments, so that a to-do or a warning is not read as part of its neighbour.
 */
function joinBlocks(blocks: readonly Block[]): string {
  const out: string[] = []
  blocks.forEach((block, i) => {
    const previous = blocks[i - 1]
    if (previous !== undefined && (block.apart || previous.apart)) out.push('')
    out.push(...block.lines)
  })
  return out.join('\n')
}

function statementLines(doc: Doc): readonly string[] {
  return `${pad()}${printDoc(doc, INDENT)}`.split('\n')
}

function pad(): string {
  return ' '.repeat(INDENT)
}

interface EnumConstant {
  readonly identifier: string
  readonly values: readonly string[]
}

/**
 * The enums the body's columns use, declared once at the top of the body
 * (`const mood = enumType('mood', [...])`) with the values the migration knows: those this body
 * creates the enum with, else the first known definition, else the values the columns' defaults
 * use (the values matter only to check defaults).
 */
function enumConstants(
  ops: readonly MigrationOp[],
  known: readonly EnumDef[],
  imports: ImportSet,
): {
  constants: ReadonlyMap<string, EnumConstant>
  declarations: readonly (readonly string[])[]
} {
  const used = new Map<string, { schema: string | undefined; name: string; defaults: string[] }>()
  const visit = (type: ColumnType | undefined, value?: unknown): void => {
    if (type === undefined) return
    if (type.kind === 'array') {
      const items = Array.isArray(value) ? value : []
      if (items.length === 0) visit(type.element)
      for (const item of items) visit(type.element, item)
      return
    }
    if (type.kind !== 'enum') return
    const key = enumKey(type.schema, type.name)
    const entry = used.get(key) ?? { schema: type.schema, name: type.name, defaults: [] }
    if (typeof value === 'string' && value !== '' && !entry.defaults.includes(value)) {
      entry.defaults.push(value)
    }
    used.set(key, entry)
  }
  const visitColumn = (column: {
    readonly type: ColumnType
    readonly default: { readonly kind: string; readonly value?: unknown } | undefined
  }): void =>
    visit(column.type, column.default?.kind === 'literal' ? column.default.value : undefined)
  // A batch's changes name their types as the same changes alone do.
  for (const op of ops.flatMap((o): readonly MigrationOp[] =>
    o.kind === 'batchAlterTable' ? o.ops : [o],
  )) {
    if (op.kind === 'createTable') op.table.columns.forEach(visitColumn)
    else if (op.kind === 'dropTable') op.definition?.columns.forEach(visitColumn)
    else if (op.kind === 'addColumn') visitColumn(op.column)
    else if (op.kind === 'dropColumn' && op.definition !== undefined) visitColumn(op.definition)
    else if (op.kind === 'alterColumn') {
      visit(op.changes.type?.to)
      visit(op.changes.type?.from)
    } else schemaObjectTypes(op).forEach(visitColumn)
  }
  const own = enumsOfOps(ops.filter((op) => op.kind === 'createEnum'))
  const pool = new IdentifierPool([...DSL_NAMES, 'op', 't'])
  const constants = new Map<string, EnumConstant>()
  const declarations: (readonly string[])[] = []
  const sameNames = new Set<string>()
  for (const entry of used.values()) {
    if ([...used.values()].filter((other) => other.name === entry.name).length > 1) {
      sameNames.add(entry.name)
    }
  }
  for (const [key, entry] of used) {
    const def =
      own.find((e) => enumKey(e.schema, e.name) === key) ??
      known.find((e) => enumKey(e.schema, e.name) === key)
    const values = def?.values ?? (entry.defaults.length > 0 ? entry.defaults : ['unknown'])
    const camel = camelCase(entry.name)
    const identifier = pool.claim(
      sameNames.has(entry.name) && entry.schema !== undefined
        ? [camelCase(`${entry.schema}_${entry.name}`), `${camel}Enum`]
        : [camel, `${camel}Enum`],
    )
    constants.set(key, { identifier, values })
    const args: Doc[] = [renderString(entry.name), array(values.map(renderString))]
    if (entry.schema !== undefined) args.push(object([['schema', renderString(entry.schema)]]))
    const declaration = concat(`const ${identifier} = `, call(imports.use('enumType'), args))
    declarations.push([
      ...(def === undefined
        ? commentLines(
            'NOTE: ',
            `the values of enum ${entry.name} are not known here; they only check defaults.`,
            INDENT,
          )
        : []),
      ...statementLines(declaration),
    ])
  }
  return { constants, declarations }
}

function enumKey(schema: string | undefined, name: string): string {
  return `${schema ?? ''}\u0000${name}`
}

/** `import { a, b } from 'aludel'`, wrapped one name per line when too long. */
function importLine(imports: ImportSet, from: string): string {
  return printDoc(concat('import ', braces(imports.specifiers()), ` from ${renderString(from)}`), 0)
}
