import type { EngineTableOptions } from '../schema/engine-options.ts'
import type {
  ColumnDefault,
  ColumnType,
  CompositeTypeDef,
  IdentityDef,
  SequenceDef,
} from '../schema/schema-snapshot.ts'

/**
 * An engine's rules for comparing the models with a database, and the SQL of what a person must
 * do by hand: autogenerate's planning is the same for every engine, but when two spellings are
 * one type, default or expression, what a type change does to existing values, how renames show
 * in the text the database prints, and the statements a manual step suggests all belong to the
 * engine (as `impl.compare_type` and `impl.compare_server_default` do in Alembic).
 */
export interface Comparator {
  /**
   * Whether two column types are one type in the database. Type names have synonyms and optional
   * modifiers have defaults, so models and introspection spell one type differently.
   */
  typesEquivalent(a: ColumnType, b: ColumnType): boolean
  /**
   * The warning on changing `column` (a label such as `users.age`) from one type to another, or
   * undefined when every existing value converts safely: what converts, and how, is the engine's.
   */
  typeChangeWarning(column: string, from: ColumnType, to: ColumnType): string | undefined
  /**
   * Whether a model default (in the database's spelling where it could be normalized) and the
   * database's are the same default. `undefined` stands for no default, so `defaultsEquivalent(d,
   * undefined)` asks whether `d` amounts to none (`DEFAULT NULL` on PostgreSQL).
   */
  defaultsEquivalent(model: ColumnDefault | undefined, database: ColumnDefault | undefined): boolean
  /**
   * Whether two optional SQL expressions (checks, index expressions and predicates, generation
   * expressions, partition bounds) are one expression: the database's own normalization leaves
   * differences of layout and case that only its lexical rules can tell apart.
   */
  sqlEquivalent(a: string | undefined, b: string | undefined): boolean
  /**
   * The names an SQL text mentions, in order (keywords and function names too): enough for
   * ordering views and noticing what a trigger condition reads, where a false match only costs a
   * rebuild. Only the engine knows its quoting and case folding.
   */
  namesIn(sql: string): readonly SqlName[]
  /**
   * `sql` (a check, an index expression or predicate) with the columns `renames` maps renamed: the
   * database prints stored expressions with the new names after a rename, so the database's old
   * text must read the same before it is compared with the models.
   */
  renameSqlIdentifiers(sql: string, renames: ReadonlyMap<string, string>): string
  /** A view's query as the database prints it once the table or view `from` is renamed `to`. */
  renameRelationInQuery(sql: string, schema: string | undefined, from: string, to: string): string
  /** A column default as the database prints it once the sequence it draws from is renamed. */
  renameSequenceInDefault(sql: string, schema: string | undefined, from: string, to: string): string
  /**
   * The engine options of a table (`ENGINE=` on MySQL, `STRICT` on SQLite) where the models and
   * the database differ, as what to set and what it replaces; undefined when they agree. Only the
   * engine's own options count, and only as far as the engine says an unstated one matters.
   */
  tableOptionChanges(
    model: EngineTableOptions | undefined,
    database: EngineTableOptions | undefined,
  ): TableOptionChanges | undefined
  /** The SQL that manual steps suggest, where no operation does the change. */
  readonly hints: HintSql
}

/** What {@link Comparator.tableOptionChanges} finds: the options to set, and those they replace. */
export interface TableOptionChanges {
  readonly options: EngineTableOptions
  readonly previous: EngineTableOptions
  /** What the change costs, for the generated migration (a copied or rebuilt table). */
  readonly warning?: string
}

/** A name an SQL text mentions, as the engine resolves its spelling. */
export interface SqlName {
  readonly name: string
  /** The name right before a `.` in front of it (`app` in `app.films`), when there is one. */
  readonly qualifier: string | undefined
}

/** A column of a table, by name. */
export interface ColumnRef {
  readonly schema: string | undefined
  readonly table: string
  readonly column: string
}

/** How a column generates its values: identity, serial, or neither. */
export type ColumnGenerator =
  | { readonly kind: 'identity'; readonly identity: IdentityDef }
  | { readonly kind: 'serial' }
  | { readonly kind: 'none'; readonly hasDefault: boolean }

/** A column whose type is an enum being rebuilt, or an array of it. */
export interface EnumColumn extends ColumnRef {
  readonly array: boolean
  readonly hasDefault: boolean
}

/**
 * Statements for the hints of manual steps: a person uncomments and completes them in the
 * migration, so they are written for the engine at hand. Each string is one statement; the
 * comparison wraps them in `op.execute` and surrounds them with the operations it can express.
 */
export interface HintSql {
  /** A way of generating values in the engine's words, for the step's description. */
  describeGenerator(generator: ColumnGenerator): string
  /** The statements that make `column` generate its values as `to` does instead of `from`. */
  changeGenerator(column: ColumnRef, from: ColumnGenerator, to: ColumnGenerator): readonly string[]
  /**
   * The statement that makes a generated column's expression `to`, or makes it an ordinary column
   * (`to` undefined); undefined when only dropping the column and adding it again can.
   */
  changeGeneration(
    column: ColumnRef,
    to: string | undefined,
    from: string | undefined,
  ): string | undefined
  /**
   * Rebuilding an enum under the name `temporary` (created and the old type dropped by
   * operations): `convert` moves each column onto it, through text, and `rename` gives it the old
   * type's `name`.
   */
  rebuildEnum(
    columns: readonly EnumColumn[],
    temporary: { readonly schema: string | undefined; readonly name: string },
    name: string,
  ): { readonly convert: readonly string[]; readonly rename: string }
  /**
   * Rebuilding domain `name` on another base type under the name `temporary`: `create` makes the
   * new domain, `convert` sketches the statement converting one of its columns (a person
   * completes it for each), `replace` drops the old domain and renames the new one.
   */
  rebuildDomain(
    schema: string | undefined,
    name: string,
    temporary: string,
    type: ColumnType,
  ): { readonly create: string; readonly convert: string; readonly replace: readonly string[] }
  /** The statements that turn a composite type's attributes from `from`'s into `to`'s in place. */
  alterCompositeType(from: CompositeTypeDef, to: CompositeTypeDef): readonly string[]
  /** The statement that gives a sequence `to`'s options and restarts it at its start. */
  restartSequence(to: SequenceDef): string
  /** The statement that updates an installed extension to `version`. */
  updateExtension(name: string, version: string): string
  /** The statement that moves an installed extension to `schema` (undefined: the default one). */
  moveExtension(name: string, schema: string | undefined): string
}
