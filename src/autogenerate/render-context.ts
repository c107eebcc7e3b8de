import type { ColumnType } from '../schema/schema-snapshot.ts'
import type { Doc } from './render-layout.ts'

/**
 * What column, table and operation renderers need from the module they write into: the imports
 * they use, how enum and custom types are named there, and notes for what the DSL cannot say.
 */
export interface RenderContext {
  /** Records that the code uses a DSL export (for the import line) and returns its name. */
  use(name: string): string
  /** The expression of an enum type's column function (`mood`), declared by the module. */
  enumType(type: Extract<ColumnType, { kind: 'enum' }>): string
  /** The values of an enum type as the module declares it, if known. */
  enumValues(type: Extract<ColumnType, { kind: 'enum' }>): readonly string[] | undefined
  /** The expression of a custom type's column function (`customType('tsvector')` or a const). */
  customType(sql: string): Doc
  /** Records something the rendered code cannot reproduce exactly; written as a comment. */
  note(text: string): void
  /**
   * The expression for an SQL default the module spells its own way (`nextval(orderNoSeq)`), if
   * any; absent or undefined: an `sql` fragment.
   */
  sqlDefault?(sql: string): Doc | undefined
}

/**
 * Collects the DSL names a piece of code uses, for a minimal import line.
 */
export class ImportSet {
  readonly #names = new Set<string>()

  /** Adds `name` and returns it, so call sites read `call(imports.use('table'), ...)`. */
  use(name: string): string {
    this.#names.add(name)
    return name
  }

  /** Whether any name was used. */
  get size(): number {
    return this.#names.size
  }

  /**
   * The import specifiers in the formatter's order: case-insensitive, capitals first on a tie,
   * types marked with `type` (given in `types`).
   */
  specifiers(types: ReadonlySet<string> = new Set()): readonly string[] {
    return [...this.#names]
      .sort(compareSpecifiers)
      .map((name) => (types.has(name) ? `type ${name}` : name))
  }
}

function compareSpecifiers(a: string, b: string): number {
  const la = a.toLowerCase()
  const lb = b.toLowerCase()
  if (la !== lb) return la < lb ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}
