/**
 * S6's migrations, described once: the kind of history `aludel lint` reads in a real project,
 * not S1's one-table chain. Tables are the model of S4 (`lib/model.ts`: 10 columns of mixed
 * types, a primary key, 2 indexes and a foreign key each); the migrations after a table's creation
 * change it the way a team does over time, in a cycle of ten: add columns, build an index
 * concurrently (in a `transactional = false` file), add a foreign key `NOT VALID` and validate it
 * in the next migration, backfill with SQL, change a column's type, build an index without
 * CONCURRENTLY (a mistake lint must flag), create a view and a comment with SQL, add a check
 * constraint `NOT VALID`. Only aludel has a linter here, so only `tools/aludel.ts` renders it.
 */
import { type ModelColumn, type ModelTable, modelTables } from './model.ts'
import { revisionOf } from './workload.ts'

/** One operation of a migration, as an `op.…` call renders it. */
export type LintStep =
  | { readonly kind: 'createTable'; readonly table: ModelTable }
  | { readonly kind: 'addColumn'; readonly table: string; readonly column: ModelColumn }
  | {
      readonly kind: 'createIndex'
      readonly table: string
      readonly name: string
      readonly columns: readonly string[]
      readonly concurrently: boolean
    }
  | {
      readonly kind: 'createForeignKey'
      readonly table: string
      readonly name: string
      readonly column: string
      readonly references: string
      readonly notValid: boolean
    }
  | {
      readonly kind: 'createCheck'
      readonly table: string
      readonly name: string
      readonly condition: string
      readonly notValid: boolean
    }
  | { readonly kind: 'validateConstraint'; readonly table: string; readonly name: string }
  | {
      readonly kind: 'alterType'
      readonly table: string
      readonly column: string
      /** `text` from varchar (no rewrite) or `bigint` from integer (a rewrite). */
      readonly to: 'text' | 'bigint'
    }
  | {
      readonly kind: 'execute'
      readonly sql: string
      /** What `downgrade` runs; none for a backfill. */
      readonly undo?: string
    }

/** One migration file of S6. */
export interface LintMigration {
  readonly revision: string
  /** The revision before it; undefined for the first. */
  readonly parent: string | undefined
  readonly message: string
  /** False: the file says `export const transactional = false` (CONCURRENTLY needs it). */
  readonly transactional: boolean
  readonly steps: readonly LintStep[]
}

/** A chain of S6 migrations, and how many of them (from the first) build the schema. */
export interface LintHistory {
  readonly migrations: readonly LintMigration[]
  /** The first `applied` migrations are the database's state; the rest are pending. */
  readonly applied: number
}

/** Migrations per table in {@link lintHistory}: its creation and nine changes. */
export const CYCLE = 10

/**
 * `files` migrations (rounded down to whole cycles of {@link CYCLE}) for `aludel lint --all`: each
 * cycle creates one table and changes it nine times. Nothing is applied.
 */
export function lintHistory(files: number): LintHistory {
  const tables = modelTables(Math.floor(files / CYCLE))
  const migrations: LintMigration[] = []
  for (const table of tables) {
    for (let step = 0; step < CYCLE; step++) {
      migrations.push(migration(migrations, cycleStep(step, table, { create: true })))
    }
  }
  return { migrations, applied: 0 }
}

/** Tables per schema-building migration in {@link traceHistory}. */
const TABLES_PER_MIGRATION = 100

/**
 * The schema of `tables` tables, built by the first migrations (up to 100 tables each, so "a few"
 * migrations for 300), then `pending` migrations of one to three statements each on those tables,
 * in the same cycle as {@link lintHistory} (its first step changes `parent_id` to bigint instead
 * of creating the table), each cycle on a different table.
 */
export function traceHistory(tables: number, pending: number): LintHistory {
  const model = modelTables(tables)
  const migrations: LintMigration[] = []
  for (let first = 0; first < model.length; first += TABLES_PER_MIGRATION) {
    const chunk = model.slice(first, first + TABLES_PER_MIGRATION)
    migrations.push(
      migration(migrations, {
        message: `create tables ${chunk[0]!.name} to ${chunk.at(-1)!.name}`,
        transactional: true,
        steps: chunk.map((table) => ({ kind: 'createTable', table })),
      }),
    )
  }
  const applied = migrations.length
  for (let i = 0; i < pending; i++) {
    // Spread the cycles over the schema: 37 is prime to 300, so 50 pending hit 5 tables of 300.
    const table = model[(Math.floor(i / CYCLE) * 37) % model.length]!
    migrations.push(migration(migrations, cycleStep(i % CYCLE, table, { create: false })))
  }
  return { migrations, applied }
}

type MigrationBody = Pick<LintMigration, 'message' | 'transactional' | 'steps'>

/** Appends the next revision of the chain. */
function migration(before: readonly LintMigration[], body: MigrationBody): LintMigration {
  return { revision: revisionOf(before.length), parent: before.at(-1)?.revision, ...body }
}

/** Step `step` of a table's cycle; with `create`, step 0 creates the table. */
function cycleStep(step: number, table: ModelTable, options: { create: boolean }): MigrationBody {
  const t = table.name
  const body = (message: string, steps: LintStep[], transactional = true): MigrationBody => ({
    message: `${t}: ${message}`,
    transactional,
    steps,
  })
  const column = (name: string, kind: ModelColumn['kind'], rest: Partial<ModelColumn> = {}) => ({
    name,
    kind,
    primaryKey: false,
    notNull: false,
    ...rest,
  })
  switch (step) {
    case 0:
      return options.create
        ? body('create', [{ kind: 'createTable', table }])
        : body('parent_id to bigint', [
            { kind: 'alterType', table: t, column: 'parent_id', to: 'bigint' },
          ])
    case 1:
      return body('add notes and archived', [
        { kind: 'addColumn', table: t, column: column('notes', 'text') },
        {
          kind: 'addColumn',
          table: t,
          column: column('archived', 'boolean', {
            notNull: true,
            default: { kind: 'boolean', value: false },
          }),
        },
      ])
    case 2:
      return body(
        'index name concurrently',
        [
          {
            kind: 'createIndex',
            table: t,
            name: `ix_${t}_name`,
            columns: ['name'],
            concurrently: true,
          },
        ],
        false,
      )
    case 3:
      return body('add owner_id with a foreign key not valid', [
        { kind: 'addColumn', table: t, column: column('owner_id', 'integer') },
        {
          kind: 'createForeignKey',
          table: t,
          name: `fk_${t}_owner_id`,
          column: 'owner_id',
          references: table.references,
          notValid: true,
        },
      ])
    case 4:
      return body('validate the owner foreign key', [
        { kind: 'validateConstraint', table: t, name: `fk_${t}_owner_id` },
      ])
    case 5:
      return body('backfill notes', [
        {
          kind: 'execute',
          sql: `UPDATE ${t} SET notes = 'imported' WHERE notes IS NULL AND active`,
        },
      ])
    case 6:
      return body('name to text', [{ kind: 'alterType', table: t, column: 'name', to: 'text' }])
    case 7:
      return body('index uid', [
        {
          kind: 'createIndex',
          table: t,
          name: `ix_${t}_uid`,
          columns: ['uid'],
          concurrently: false,
        },
      ])
    case 8:
      return body('active view and comment', [
        {
          kind: 'execute',
          sql: `CREATE VIEW v_${t}_active AS SELECT id, name, price, created_at FROM ${t} WHERE active;\nCOMMENT ON TABLE ${t} IS 'rows of ${t}; see v_${t}_active'`,
          undo: `COMMENT ON TABLE ${t} IS NULL;\nDROP VIEW v_${t}_active`,
        },
      ])
    default:
      return body('price check not valid', [
        {
          kind: 'createCheck',
          table: t,
          name: `ck_${t}_price_positive`,
          condition: 'price >= 0',
          notValid: true,
        },
      ])
  }
}
