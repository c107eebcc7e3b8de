/**
 * The normalized description of a database schema. The model DSL produces it from TypeScript
 * tables; introspection produces it from a live database; autogenerate compares two of them. All
 * names are final (naming conventions applied), all data is readonly and plain (JSON-safe).
 */

/** A column's type, independent of how a dialect spells it. */
export type ColumnType =
  | {
      readonly kind:
        | 'smallint'
        | 'integer'
        | 'bigint'
        | 'real'
        | 'double'
        | 'text'
        | 'boolean'
        | 'date'
        | 'interval'
        | 'uuid'
        | 'json'
        | 'jsonb'
        | 'bytea'
    }
  | {
      readonly kind: 'numeric'
      readonly precision: number | undefined
      readonly scale: number | undefined
    }
  | { readonly kind: 'varchar' | 'char'; readonly length: number | undefined }
  | {
      readonly kind: 'time' | 'timestamp'
      readonly withTimezone: boolean
      readonly precision: number | undefined
    }
  /** A named enum type (`CREATE TYPE ... AS ENUM`). */
  | { readonly kind: 'enum'; readonly name: string; readonly schema: string | undefined }
  | { readonly kind: 'array'; readonly element: ColumnType }
  /** Any other type, spelled as the database spells it (`tsvector`, `citext`, `geometry`). */
  | { readonly kind: 'custom'; readonly sql: string }

/** A column default: a JavaScript literal (rendered by the dialect) or an SQL expression. */
export type ColumnDefault =
  | { readonly kind: 'literal'; readonly value: LiteralValue }
  | { readonly kind: 'sql'; readonly sql: string }

/** Literal values a default or a bulk insert may hold. */
export type LiteralValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | Uint8Array
  | readonly LiteralValue[]
  | { readonly [key: string]: unknown }

/** `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY`. */
export interface IdentityDef {
  readonly always: boolean
  readonly start: number | undefined
  readonly increment: number | undefined
}

export interface ColumnDef {
  readonly name: string
  readonly type: ColumnType
  readonly nullable: boolean
  readonly default: ColumnDefault | undefined
  /** An identity column; exclusive with `serial` and `default`. */
  readonly identity: IdentityDef | undefined
  /** `serial`/`bigserial`: an owned sequence feeding the default. */
  readonly serial: boolean
  readonly comment: string | undefined
}

export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default'

export interface PrimaryKeyDef {
  readonly name: string | undefined
  readonly columns: readonly string[]
}

export interface ForeignKeyDef {
  readonly name: string | undefined
  readonly columns: readonly string[]
  readonly referencedSchema: string | undefined
  readonly referencedTable: string
  readonly referencedColumns: readonly string[]
  readonly onDelete: ReferentialAction | undefined
  readonly onUpdate: ReferentialAction | undefined
  readonly deferrable: boolean
  readonly initiallyDeferred: boolean
}

export interface UniqueDef {
  readonly name: string | undefined
  readonly columns: readonly string[]
  /** PostgreSQL 15+: `UNIQUE NULLS NOT DISTINCT`. */
  readonly nullsNotDistinct: boolean
}

export interface CheckDef {
  readonly name: string | undefined
  /** The boolean SQL expression, without the surrounding `CHECK (...)`. */
  readonly expression: string
}

/** One element of an index: a column or an SQL expression, with its ordering options. */
export interface IndexElement {
  readonly column: string | undefined
  readonly expression: string | undefined
  readonly order: 'asc' | 'desc' | undefined
  readonly nulls: 'first' | 'last' | undefined
  readonly opclass: string | undefined
}

export interface IndexDef {
  readonly name: string
  readonly elements: readonly IndexElement[]
  readonly unique: boolean
  /** Access method: btree (default), gin, gist, brin, hash, ... */
  readonly method: string | undefined
  /** Partial index predicate, without `WHERE`. */
  readonly where: string | undefined
  /** Non-key columns (`INCLUDE (...)`). */
  readonly include: readonly string[]
}

export interface TableDef {
  readonly schema: string | undefined
  readonly name: string
  readonly columns: readonly ColumnDef[]
  readonly primaryKey: PrimaryKeyDef | undefined
  readonly foreignKeys: readonly ForeignKeyDef[]
  readonly uniques: readonly UniqueDef[]
  readonly checks: readonly CheckDef[]
  readonly indexes: readonly IndexDef[]
  readonly comment: string | undefined
}

export interface EnumDef {
  readonly schema: string | undefined
  readonly name: string
  readonly values: readonly string[]
}

/** A whole schema: what the models declare, or what a database holds. */
export interface SchemaSnapshot {
  readonly tables: readonly TableDef[]
  readonly enums: readonly EnumDef[]
}

/** A possibly schema-qualified name. */
export interface QualifiedName {
  readonly schema: string | undefined
  readonly name: string
}
