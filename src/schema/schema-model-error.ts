import { AludelError } from '../aludel-error.ts'

/**
 * Every reason a schema model can be rejected; stable identifiers for programs that branch on them.
 */
export type SchemaModelErrorCode =
  /** Two columns of one table have the same database name. */
  | 'DUPLICATE_COLUMN'
  /** `.identity()` on a column whose type is not smallint, integer or bigint. */
  | 'IDENTITY_NOT_INTEGER'
  /** `.identity()` together with `.default()` (or with serial). */
  | 'IDENTITY_WITH_DEFAULT'
  /** `.generatedAs()` together with `.default()`, `.identity()` or serial. */
  | 'GENERATED_WITH_DEFAULT'
  /** A partition whose parent is not partitioned or not in the model, or two partition keys. */
  | 'INVALID_PARTITION'
  /** `.default()` on a serial column, whose default is its sequence. */
  | 'SERIAL_WITH_DEFAULT'
  /** A primary key declared on columns and at table level, or twice at table level. */
  | 'DUPLICATE_PRIMARY_KEY'
  /** `.references()` or `foreignKey()` points at a table or column that cannot be found. */
  | 'UNRESOLVED_REFERENCE'
  /** An index, constraint or `sql` fragment names a column the table does not have. */
  | 'UNKNOWN_COLUMN'
  /** An index with no columns or expressions. */
  | 'EMPTY_INDEX'
  /** A unique, primary key or foreign key constraint with no columns. */
  | 'EMPTY_CONSTRAINT'
  /** An enum with no values, an empty value, a value too long or a value listed twice. */
  | 'INVALID_ENUM'
  /** Two different tables with the same schema-qualified name in one model. */
  | 'DUPLICATE_TABLE'
  /** Two enums with the same schema-qualified name but different values in one model. */
  | 'DUPLICATE_ENUM'
  /** Two indexes or constraints (or a table and an index) that would get the same name. */
  | 'DUPLICATE_NAME'
  /** An explicit name longer than 63 bytes, the shortest identifier limit of the engines. */
  | 'NAME_TOO_LONG'
  /** An empty table, column, schema or constraint name. */
  | 'INVALID_NAME'
  /** A naming convention with an unknown token, or a token the constraint cannot fill. */
  | 'INVALID_NAMING_CONVENTION'
  /** A column builder without a name where its name is needed. */
  | 'UNNAMED_COLUMN'
  /** A foreign key whose columns and referenced columns do not match up. */
  | 'INVALID_FOREIGN_KEY'
  /** A default value that cannot be stored as a literal. */
  | 'INVALID_DEFAULT'
  /** A bad argument to a builder: a negative length, an unknown referential action, ... */
  | 'INVALID_ARGUMENT'

/**
 * A schema model (tables, columns, enums, indexes, constraints) is invalid; the message says what
 * is wrong and what to do, `code` says which rule was broken, `table` and `column` say where.
 *
 * @example
 * try {
 *   model.snapshot()
 * } catch (error) {
 *   if (error instanceof SchemaModelError && error.code === 'DUPLICATE_COLUMN') ...
 * }
 */
export class SchemaModelError extends AludelError {
  readonly category = 'usage' as const
  /** The table at fault, schema-qualified when not in the default schema; undefined if none. */
  readonly table: string | undefined
  /** The column at fault (its database name); undefined if none. */
  readonly column: string | undefined

  constructor(
    readonly code: SchemaModelErrorCode,
    message: string,
    details: { readonly table?: string; readonly column?: string; readonly cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.table = details.table
    this.column = details.column
  }
}
