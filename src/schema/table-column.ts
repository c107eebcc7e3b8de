import { brand } from './brand.ts'
import type { ColumnBuilder, ColumnConfig, ColumnTarget, TableIdentity } from './column-builder.ts'
import { type IndexElementBuilder, indexElement } from './index-element.ts'
import { columnSqlPart, SQL_PART, type SqlInterpolable, type SqlPart } from './sql.ts'

const TABLECOLUMN_BRAND = brand('TableColumn')

/**
 * A column bound to its table: what `users.email` and `t.email` (in a table's extras) are. It is
 * what references, indexes, constraints and `sql` fragments name; in a fragment it renders as the
 * column's database name, quoted only when PostgreSQL needs it.
 */
export class TableColumn<C extends ColumnConfig = ColumnConfig>
  implements ColumnTarget, SqlInterpolable
{
  /** Answers `instanceof` across copies of aludel (see brand.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return TABLECOLUMN_BRAND.has(value)
  }

  /** The brand `instanceof` checks. */
  readonly [TABLECOLUMN_BRAND.symbol] = true

  /** The table that holds the column. */
  readonly table: TableIdentity
  /** The property key in the table declaration. */
  readonly key: string
  /** The database name: the builder's name, or else the key. */
  readonly name: string
  /** The column's declaration. */
  readonly builder: ColumnBuilder<C>

  constructor(table: TableIdentity, key: string, builder: ColumnBuilder<C>) {
    this.table = table
    this.key = key
    this.name = builder.state.name ?? key
    this.builder = builder
  }

  /** This column, ascending, as an index element. */
  asc(): IndexElementBuilder {
    return indexElement(this).asc()
  }

  /** This column, descending, as an index element. */
  desc(): IndexElementBuilder {
    return indexElement(this).desc()
  }

  /** This column with `NULLS FIRST`, as an index element. */
  nullsFirst(): IndexElementBuilder {
    return indexElement(this).nullsFirst()
  }

  /** This column with `NULLS LAST`, as an index element. */
  nullsLast(): IndexElementBuilder {
    return indexElement(this).nullsLast()
  }

  /** This column with an operator class (`gin_trgm_ops`), as an index element. */
  opclass(name: string): IndexElementBuilder {
    return indexElement(this).opclass(name)
  }

  [SQL_PART](): SqlPart {
    return columnSqlPart(this.name)
  }
}
