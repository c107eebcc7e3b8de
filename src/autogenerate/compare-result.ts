import type { MigrationOp } from '../operations/migration-op.ts'

/** One operation autogenerate proposes, with what a reviewer should know about it. */
export interface SchemaChange {
  /** The upgrade operation, carrying enough (definitions, `from` values) for `reverse()`. */
  readonly op: MigrationOp
  /**
   * A warning the renderer writes as a comment above the operation: data loss (a dropped table or
   * column), a narrowing type change, a NOT NULL on a column that may hold nulls.
   */
  readonly warning: string | undefined
}

/**
 * A change autogenerate cannot express safely as operations, written into the migration as a
 * commented to-do for a person (an enum value removed or reordered, which PostgreSQL cannot do in
 * place).
 */
export interface ManualStep {
  /** What changed and what to do, one line. */
  readonly description: string
  /** Code the person might start from, commented out in the upgrade. */
  readonly upgradeHint: string | undefined
  /** The same for the downgrade. */
  readonly downgradeHint: string | undefined
}

/**
 * A table, column, sequence or type that disappeared while a compatible one appeared: a rename,
 * or a drop and an add? Only a person can tell; the answer decides between one rename and losing
 * the data (for a sequence: the values already drawn, so the counter would start over; for a type:
 * the columns of the old one, which cannot simply be converted to a new enum or composite type).
 */
export interface RenameQuestion {
  readonly kind:
    | 'table'
    | 'column'
    | 'partition'
    | 'sequence'
    | 'enum'
    | 'domain'
    | 'composite type'
    | 'view'
  /** Schema of the table or sequence (undefined: the default schema). */
  readonly schema: string | undefined
  /** For a column: its table (the new name, if the table is renamed too). */
  readonly table: string | undefined
  readonly from: string
  readonly to: string
  /** `users.fullname`, `auth.sessions`: how questions and answers name the old object. */
  readonly fromKey: string
  /** `users.full_name`: how they name the new one. */
  readonly toKey: string
}

/** What a rename keeps and a drop and an add would lose: the data, or a sequence's counter. */
export function whatRenameKeeps(kind: RenameQuestion['kind']): string {
  if (kind === 'sequence') return 'the values already drawn'
  if (kind === 'partition') return 'its rows'
  if (kind === 'view') return 'what reads it (a materialized view: its rows)'
  return kind === 'table' || kind === 'column' ? 'its data' : 'the data of the columns using it'
}

/**
 * Answers to rename questions, by `fromKey`: the `toKey` it was renamed to, or `null` for "not a
 * rename: drop and add".
 */
export type RenameAnswers = ReadonlyMap<string, string | null>

/** What comparing the models with the database found. */
export interface CompareResult {
  /** Operations in dependency order: enums and schemas first, drops in reverse dependency order. */
  readonly changes: readonly SchemaChange[]
  readonly manual: readonly ManualStep[]
  /** Rename candidates with no answer yet; while any remain, `changes` assume drop-and-add. */
  readonly questions: readonly RenameQuestion[]
}
