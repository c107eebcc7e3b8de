import type { ColumnType } from '../../schema/schema-snapshot.ts'

/**
 * A column type as a reader would write it in SQL, for warnings and manual steps:
 * `numeric(10,2)`, `varchar(255)`, `timestamp(3) with time zone`, `auth.role[]`.
 */
export function describeColumnType(type: ColumnType): string {
  switch (type.kind) {
    case 'double':
      return 'double precision'
    case 'numeric':
      if (type.precision === undefined) return 'numeric'
      return type.scale === undefined
        ? `numeric(${type.precision})`
        : `numeric(${type.precision},${type.scale})`
    case 'varchar':
    case 'char':
      return type.length === undefined ? type.kind : `${type.kind}(${type.length})`
    case 'time':
    case 'timestamp': {
      const precision = type.precision === undefined ? '' : `(${type.precision})`
      return `${type.kind}${precision}${type.withTimezone ? ' with time zone' : ''}`
    }
    case 'enum':
      return type.schema === undefined ? type.name : `${type.schema}.${type.name}`
    case 'array':
      return `${describeColumnType(type.element)}[]`
    case 'custom':
      return type.sql
    default:
      return type.kind
  }
}
