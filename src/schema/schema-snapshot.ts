/**
 * The normalized description of a database schema. The model DSL produces it from TypeScript
 * tables; introspection produces it from a live database; autogenerate compares two of them. All
 * names are final (naming conventions applied), all data is readonly and plain (JSON-safe).
 */

import type { EngineTableOptions } from './engine-options.ts'

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
  /** `MINVALUE`; absent: the default for the column's type and direction. */
  readonly minValue?: number
  /** `MAXVALUE`; absent: the default for the column's type and direction. */
  readonly maxValue?: number
  /** `CACHE`; absent: 1. */
  readonly cache?: number
  /** `CYCLE`; absent: no cycle. */
  readonly cycle?: boolean
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
  /**
   * `GENERATED ALWAYS AS (expression) STORED`: the expression the database computes the column
   * from; exclusive with `default`, `identity` and `serial`. Absent: an ordinary column.
   */
  readonly generated?: string
  /**
   * `COLLATE`: the name of the column's collation (`C`, `en_US.utf8`) when it is not its type's
   * default, found on the search path. Absent: the type's default.
   */
  readonly collation?: string
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
  /** `EXCLUDE` constraints; absent: none. */
  readonly exclusions?: readonly ExclusionDef[]
  /** `PARTITION BY`: the table is partitioned; absent: an ordinary table. */
  readonly partitionBy?: PartitionKeyDef
  /** The table's partitions (one level), sorted by schema and name; absent: none. */
  readonly partitions?: readonly PartitionDef[]
  /**
   * Options for particular engines (`ENGINE=` on MySQL, `STRICT` on SQLite); absent: none. Each
   * dialect reads its own and ignores the others'.
   */
  readonly engineOptions?: EngineTableOptions
}

/** One element of an exclusion constraint: an index element and the operator it excludes with. */
export interface ExclusionElement extends IndexElement {
  /** The operator, as SQL: `=`, `&&`, or `OPERATOR(schema.&&)` when not visible. */
  readonly operator: string
}

/** `[CONSTRAINT name] EXCLUDE [USING method] (element WITH operator, ...) [WHERE (predicate)]`. */
export interface ExclusionDef {
  readonly name: string | undefined
  readonly elements: readonly ExclusionElement[]
  /** Access method of the constraint's index: gist (the usual one), btree (default), ... */
  readonly method: string | undefined
  /** Predicate, without `WHERE`: only rows matching it are constrained. */
  readonly where: string | undefined
  /** Non-key columns of the constraint's index (`INCLUDE (...)`). */
  readonly include: readonly string[]
  readonly deferrable: boolean
  readonly initiallyDeferred: boolean
}

/** The partitioning strategy of a partitioned table (manual, 5.12 "Table Partitioning"). */
export type PartitionStrategy = 'range' | 'list' | 'hash'

/** `PARTITION BY strategy (elements)`. */
export interface PartitionKeyDef {
  readonly strategy: PartitionStrategy
  /**
   * The key's elements as SQL, as `PARTITION BY` lists them: a column name (`payment_date`), or
   * an expression, parenthesised unless it is a function call (`lower(name)`, `(a + b)`), with
   * its collation and operator class if any.
   */
  readonly elements: readonly string[]
}

/**
 * The values a partition holds (`FOR VALUES ...` or `DEFAULT`); each value is an SQL constant
 * (`'2024-01-01'`, `42`, `NULL`, and `MINVALUE`/`MAXVALUE` in ranges).
 */
export type PartitionBound =
  | { readonly kind: 'range'; readonly from: readonly string[]; readonly to: readonly string[] }
  | { readonly kind: 'list'; readonly values: readonly string[] }
  | { readonly kind: 'hash'; readonly modulus: number; readonly remainder: number }
  | { readonly kind: 'default' }

/** A partition of a partitioned table: `CREATE TABLE name PARTITION OF parent bound`. */
export interface PartitionDef {
  /** The partition's own schema; undefined for the default schema. */
  readonly schema: string | undefined
  readonly name: string
  readonly bound: PartitionBound
  readonly comment: string | undefined
}

export interface EnumDef {
  readonly schema: string | undefined
  readonly name: string
  readonly values: readonly string[]
}

/** The integer type a sequence counts in (`CREATE SEQUENCE ... AS type`). */
export type SequenceDataType = 'smallint' | 'integer' | 'bigint'

/**
 * `CREATE SEQUENCE`: a sequence of its own (the sequences behind identity and serial columns are
 * part of their column). Options equal to PostgreSQL's defaults for the data type and direction
 * are `undefined` (manual, CREATE SEQUENCE), so that a model and the database compare alike.
 */
export interface SequenceDef {
  readonly schema: string | undefined
  readonly name: string
  /** `AS type`; undefined: `bigint`. */
  readonly dataType: SequenceDataType | undefined
  /** `START WITH`; undefined: the minimum (ascending) or maximum (descending). */
  readonly start: number | undefined
  /** `INCREMENT BY`; undefined: 1. */
  readonly increment: number | undefined
  /** `MINVALUE`; undefined: 1 ascending, the type's minimum descending. */
  readonly minValue: number | undefined
  /** `MAXVALUE`; undefined: the type's maximum ascending, -1 descending. */
  readonly maxValue: number | undefined
  /** `CACHE`; undefined: 1. */
  readonly cache: number | undefined
  /** `CYCLE`: wraps around at the end instead of failing. */
  readonly cycle: boolean
  /** `OWNED BY table.column` (a table of the sequence's schema): dropped with that column. */
  readonly ownedBy: SequenceOwner | undefined
}

/** The column a sequence belongs to (`OWNED BY`); it is in the sequence's schema. */
export interface SequenceOwner {
  readonly table: string
  readonly column: string
}

/**
 * `CREATE DOMAIN name AS type [DEFAULT ...] [NOT NULL] [CONSTRAINT c CHECK (...)]...`: a type with
 * constraints, whose values columns of that type hold.
 */
export interface DomainDef {
  readonly schema: string | undefined
  readonly name: string
  /** The underlying type. */
  readonly type: ColumnType
  /** The default of columns of the domain that have none of their own. */
  readonly default: ColumnDefault | undefined
  readonly notNull: boolean
  /** Check constraints, sorted by name; `VALUE` names the value checked. */
  readonly checks: readonly CheckDef[]
}

/** One attribute of a composite type. */
export interface CompositeAttributeDef {
  readonly name: string
  readonly type: ColumnType
}

/** `CREATE TYPE name AS (attribute type, ...)`: a row type of its own. */
export interface CompositeTypeDef {
  readonly schema: string | undefined
  readonly name: string
  /** The attributes, in their order. */
  readonly attributes: readonly CompositeAttributeDef[]
}

/** `CREATE EXTENSION`: a packaged set of types, functions and tables. */
export interface ExtensionDef {
  readonly name: string
  /**
   * The schema its objects are created in (`SCHEMA`); undefined for the default schema. Models
   * that leave it out get the default schema.
   */
  readonly schema: string | undefined
  /** `VERSION`; undefined in models: the default version, any version compares equal. */
  readonly version: string | undefined
}

/**
 * Something a view needs to exist first, as PostgreSQL records it (`pg_depend`) or a model
 * declares it: a table, view or function, and for a relation the columns used. Ordering data
 * only: never compared.
 */
export interface ObjectDependency {
  readonly schema: string | undefined
  readonly name: string
  /** The columns of a table or view the dependant uses; empty: the whole object (or unknown). */
  readonly columns: readonly string[]
}

/** One output column of a view: its name and type as `format_type()` prints it. */
export interface ViewColumnDef {
  readonly name: string
  readonly type: string
}

/**
 * `CREATE [MATERIALIZED] VIEW name [WITH (options)] AS query`. `definition` is the query as
 * `pg_get_viewdef()` prints it (introspected) or as the model writes it; comparisons use
 * PostgreSQL's spelling of both. `columns` and `dependsOn` are derived data, read from the
 * catalogs or the normalization, that decide how a change is made and in which order; they are
 * never compared.
 */
export interface ViewDef {
  readonly schema: string | undefined
  readonly name: string
  readonly materialized: boolean
  /** The query, without a trailing semicolon. */
  readonly definition: string
  /** `WITH CHECK OPTION` (plain views): `local` or `cascaded`; undefined: none. */
  readonly checkOption: 'local' | 'cascaded' | undefined
  /** `security_barrier` (plain views). */
  readonly securityBarrier: boolean
  /** `security_invoker` (plain views, PostgreSQL 15+). */
  readonly securityInvoker: boolean
  /**
   * Materialized views: filled when created (`WITH DATA`, the default); false: created empty
   * (`WITH NO DATA`) and left for a refresh. Introspection reports whether it is populated.
   * A creation option, never compared; always true for plain views.
   */
  readonly withData: boolean
  /** Indexes of a materialized view, sorted by name; none for plain views. */
  readonly indexes: readonly IndexDef[]
  readonly comment: string | undefined
  /** Output columns, when known (introspected or normalized); empty when not. Never compared. */
  readonly columns: readonly ViewColumnDef[]
  /** What the view reads. Never compared. */
  readonly dependsOn: readonly ObjectDependency[]
}

/** A parameter of a function, procedure or aggregate. */
export interface FunctionParameterDef {
  /** `IN` (the default), `OUT`, `INOUT` or `VARIADIC`. */
  readonly mode: 'in' | 'out' | 'inout' | 'variadic'
  readonly name: string | undefined
  /** The type as `format_type()` prints it (`integer`, `text[]`, `public.mpaa_rating`). */
  readonly type: string
  /** `DEFAULT expression`, as `pg_get_function_arguments()` prints it. */
  readonly default: string | undefined
}

/** A configuration parameter a function sets while it runs (`SET name = value`). */
export interface FunctionSettingDef {
  readonly name: string
  /** The value as PostgreSQL stores it (`public, pg_temp` for `search_path`). */
  readonly value: string
}

/**
 * `CREATE FUNCTION` or `CREATE PROCEDURE`. Its identity is its schema, name and the types of its
 * parameters that are not `OUT` (overloads are distinct functions).
 */
export interface FunctionDef {
  readonly schema: string | undefined
  readonly name: string
  readonly kind: 'function' | 'procedure'
  readonly parameters: readonly FunctionParameterDef[]
  /**
   * `RETURNS ...` as `pg_get_function_result()` prints it: `integer`, `SETOF film`,
   * `TABLE(a integer, b text)`, `trigger`, `void`; undefined for a procedure.
   */
  readonly returns: string | undefined
  /** `LANGUAGE`: `sql`, `plpgsql`, ... */
  readonly language: string
  /**
   * The body: the text between the dollar quotes (`prosrc`), kept exactly; or, when `atomic`, the
   * SQL-standard body (`BEGIN ATOMIC ... END` or `RETURN ...`) as PostgreSQL prints it.
   */
  readonly body: string
  /** A SQL-standard body (PostgreSQL 14+), parsed when created, instead of a string. */
  readonly atomic: boolean
  readonly volatility: 'volatile' | 'stable' | 'immutable'
  /** `STRICT` (`RETURNS NULL ON NULL INPUT`). */
  readonly strict: boolean
  readonly securityDefiner: boolean
  readonly leakproof: boolean
  readonly parallel: 'unsafe' | 'restricted' | 'safe'
  /** `COST`; undefined: the default (100, or 1 for C and internal functions). */
  readonly cost: number | undefined
  /** `ROWS` of a set-returning function; undefined: the default (1000). */
  readonly rows: number | undefined
  /** `SET` clauses, sorted by name. */
  readonly settings: readonly FunctionSettingDef[]
  readonly comment: string | undefined
}

/** A function an aggregate, trigger or event trigger calls, by name. */
export interface FunctionRef {
  readonly schema: string | undefined
  readonly name: string
}

/** `CREATE AGGREGATE name (types) (SFUNC = ..., STYPE = ..., ...)` (ordinary aggregates). */
export interface AggregateDef {
  readonly schema: string | undefined
  readonly name: string
  /** The aggregated arguments (usually types alone). */
  readonly parameters: readonly FunctionParameterDef[]
  readonly stateFunction: FunctionRef
  /** `STYPE`, as `format_type()` prints it. */
  readonly stateType: string
  readonly finalFunction: FunctionRef | undefined
  readonly combineFunction: FunctionRef | undefined
  /** `INITCOND`, the state's initial value as text. */
  readonly initialCondition: string | undefined
  readonly parallel: 'unsafe' | 'restricted' | 'safe'
  readonly comment: string | undefined
}

/** A data-changing event a trigger fires on. */
export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate'

/**
 * `CREATE TRIGGER name timing events ON table FOR EACH level [WHEN (...)] EXECUTE FUNCTION f(args)`.
 * `schema` and `table` name the table or view it is on.
 */
export interface TriggerDef {
  readonly schema: string | undefined
  readonly table: string
  readonly name: string
  readonly timing: 'before' | 'after' | 'instead of'
  /** In PostgreSQL's order: insert, delete, update, truncate. */
  readonly events: readonly TriggerEvent[]
  /** `UPDATE OF columns`; empty: any column. */
  readonly updateOf: readonly string[]
  readonly forEach: 'row' | 'statement'
  /** `WHEN (condition)`, without the parentheses. */
  readonly when: string | undefined
  readonly function: FunctionRef
  /** Arguments passed to the function (`TG_ARGV`), as strings. */
  readonly arguments: readonly string[]
  /** `REFERENCING OLD TABLE AS name` (transition table). */
  readonly oldTable: string | undefined
  /** `REFERENCING NEW TABLE AS name`. */
  readonly newTable: string | undefined
}

/** `CREATE EVENT TRIGGER name ON event [WHEN TAG IN (...)] EXECUTE FUNCTION f()`. */
export interface EventTriggerDef {
  readonly name: string
  /** `ddl_command_start`, `ddl_command_end`, `sql_drop`, `table_rewrite` (or `login`, 17+). */
  readonly event: string
  /** Command tags it is limited to, upper case and sorted; empty: every command. */
  readonly tags: readonly string[]
  readonly function: FunctionRef
}

/** A whole schema: what the models declare, or what a database holds. */
export interface SchemaSnapshot {
  readonly tables: readonly TableDef[]
  readonly enums: readonly EnumDef[]
  /** Sequences of their own, not those of identity or serial columns. */
  readonly sequences: readonly SequenceDef[]
  readonly domains: readonly DomainDef[]
  readonly compositeTypes: readonly CompositeTypeDef[]
  /** Extensions (not their objects, which are never compared nor pulled). */
  readonly extensions: readonly ExtensionDef[]
  /** Views and materialized views. */
  readonly views: readonly ViewDef[]
  /** Functions and procedures. */
  readonly functions: readonly FunctionDef[]
  readonly aggregates: readonly AggregateDef[]
  /** Triggers on tables and views. */
  readonly triggers: readonly TriggerDef[]
  readonly eventTriggers: readonly EventTriggerDef[]
  /**
   * The engine options a table gets when it states none (MySQL's default storage engine, the
   * database's character set and collation), as introspection reads them; absent: none known.
   * Models written from the database leave out a table's options that equal them.
   */
  readonly engineDefaults?: EngineTableOptions
}

/** A possibly schema-qualified name. */
export interface QualifiedName {
  readonly schema: string | undefined
  readonly name: string
}
