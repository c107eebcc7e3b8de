import {
  calledFunctions,
  columnConstraints,
  describeType,
  type Fields,
  fieldsIf,
  list,
  nameListKey,
  names,
  nodeOf,
  relationKey,
  str,
  type TypeInfo,
  typeInfo,
} from './ast.ts'
import type { FindingClaims, LintStatement, Severity } from './lint-types.ts'
import { longIdentifiers } from './long-identifiers.ts'
import type { Subject } from './rule-catalog.ts'
import { type SchemaState, schemaOf } from './schema-state.ts'

/** Names the application's models still use: a drop or rename of one breaks the running code. */
export interface ModelNames {
  /** `schema.table`. */
  readonly tables: ReadonlySet<string>
  /** `schema.table.column`. */
  readonly columns: ReadonlySet<string>
}

/** What a rule found in one statement, before it is dressed as a finding. */
export interface Hit {
  readonly rule: string
  readonly message: string
  readonly subject: Partial<Subject>
  /** Overrides the rule's severity (e.g. raised when the models still use a dropped column). */
  readonly severity?: Severity
  /** Overrides the rule's claims (a foreign key takes another lock than a check). */
  readonly claims?: FindingClaims
}

/** What the rules know while reading one migration's statements in order. */
export interface MigrationScope {
  readonly revision: string
  readonly transactional: boolean
  readonly state: SchemaState
  readonly models: ModelNames | undefined
  /** `table/constraint` added NOT VALID earlier in this migration. */
  readonly notValidHere: Set<string>
  /** `table/constraint` dropped with IF EXISTS earlier in this migration. */
  readonly droppedIfExists: Set<string>
  /** Existing tables whose schema this migration has changed so far. */
  readonly alteredTables: Set<string>
}

/** Functions that PostgreSQL marks volatile: a default calling one is evaluated per row. */
const NON_VOLATILE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_setting',
  'lower',
  'upper',
  'concat',
  'length',
  'abs',
  'round',
  'date_trunc',
  'make_interval',
  'make_date',
  'jsonb_build_object',
  'jsonb_build_array',
  'json_build_object',
  'to_jsonb',
  'array_length',
  'coalesce',
  'nullif',
])

/** Runs every statement rule over one statement, in the state before it. */
export function checkStatement(statement: LintStatement, scope: MigrationScope): readonly Hit[] {
  if (statement.ast === undefined) {
    return [
      {
        rule: 'syntax-error',
        message: `the SQL does not parse: ${statement.syntaxError ?? 'syntax error'}`,
        subject: {},
      },
    ]
  }
  const [type, fields] = nodeOf(statement.ast)
  const hits: Hit[] = [...identifierHits(statement.sql)]
  if (statement.inScript === true && !scope.transactional && refusesTransaction(type, fields)) {
    hits.push({
      rule: 'ban-concurrent-index-in-transaction',
      message: `${statement.sql.split(/\s+/).slice(0, 4).join(' ')} is one of several statements in one op.execute() script, which PostgreSQL runs as a single implicit transaction, so it fails; give it an op.execute() of its own`,
      subject: {},
    })
  }
  const existing = (table: string) => scope.state.existsBefore(table, scope.revision)
  switch (type) {
    case 'IndexStmt':
      hits.push(...indexHits(fields, scope, existing))
      break
    case 'DropStmt':
      hits.push(...dropHits(fields, scope, existing))
      break
    case 'ReindexStmt':
      hits.push(...reindexHits(fields, scope))
      break
    case 'AlterTableStmt':
      hits.push(...alterTableHits(fields, scope, existing))
      break
    case 'CreateStmt':
      hits.push(...newColumnsHits(relationKey(fields.relation), list(fields.tableElts), true))
      if (!scope.transactional && fields.if_not_exists !== true) {
        hits.push(robust(`CREATE TABLE ${display(relationKey(fields.relation))}`))
      }
      break
    case 'RenameStmt':
      hits.push(...renameHits(fields, scope, existing))
      break
    case 'AlterEnumStmt':
      if (str(fields.oldVal) !== undefined) {
        const enumName = nameListKey(fields.typeName)
        hits.push({
          rule: 'renaming-enum-value',
          message: `renames value '${str(fields.oldVal)}' of ${display(enumName)} to '${str(fields.newVal)}'`,
          subject: { name: display(enumName), column: str(fields.oldVal) ?? '' },
        })
      }
      break
    case 'TruncateStmt':
      if (fields.behavior === 'DROP_CASCADE') {
        const tables = list(fields.relations).map((r) => display(relationKey(r)))
        hits.push({
          rule: 'ban-truncate-cascade',
          message: `TRUNCATE ${tables.join(', ')} CASCADE`,
          subject: { table: tables.join(', ') },
        })
      }
      break
    case 'VacuumStmt': {
      const full = list(fields.options).some((o) => fieldsIf(o, 'DefElem')?.defname === 'full')
      if (full) {
        const tables = list(fields.rels).map((r) =>
          display(relationKey(fieldsIf(r, 'VacuumRelation')?.relation)),
        )
        hits.push({
          rule: 'prefer-repack',
          message: `VACUUM FULL ${tables.join(', ')}`,
          subject: { table: tables.join(', ') || 'every table' },
        })
      }
      break
    }
    case 'ClusterStmt': {
      const table =
        fields.relation === undefined
          ? 'every clustered table'
          : display(relationKey(fields.relation))
      hits.push({ rule: 'prefer-repack', message: `CLUSTER ${table}`, subject: { table } })
      break
    }
    case 'TransactionStmt':
      hits.push({
        rule: 'transaction-nesting',
        message: `${String(fields.kind).replace('TRANS_STMT_', '')} inside the migration`,
        subject: {},
      })
      break
    case 'DropdbStmt':
      hits.push({
        rule: 'ban-drop-database',
        message: `DROP DATABASE ${str(fields.dbname)}`,
        subject: { name: str(fields.dbname) ?? '' },
      })
      break
    case 'CreateDomainStmt':
      if (
        list(fields.constraints).some((c) => fieldsIf(c, 'Constraint')?.contype === 'CONSTR_CHECK')
      ) {
        const name = display(nameListKey(fields.domainname))
        hits.push({
          rule: 'ban-domain-with-constraint',
          message: `domain ${name} has a CHECK constraint`,
          subject: { name },
        })
      }
      break
    case 'AlterDomainStmt':
      if (fields.subtype === 'C') {
        const name = display(nameListKey(fields.typeName))
        hits.push({
          rule: 'ban-domain-with-constraint',
          message: `adds a constraint to domain ${name}`,
          subject: { name },
        })
      }
      break
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'InsertStmt':
      hits.push(...backfillHits(type, fields, scope))
      break
  }
  return hits
}

/** Statements PostgreSQL refuses to run inside a transaction block. */
function refusesTransaction(type: string, fields: Fields): boolean {
  if (type === 'VacuumStmt') return true
  if (type === 'IndexStmt' || type === 'DropStmt') return fields.concurrent === true
  if (type === 'ReindexStmt')
    return list(fields.params).some((p) => fieldsIf(p, 'DefElem')?.defname === 'concurrently')
  return false
}

function indexHits(fields: Fields, scope: MigrationScope, existing: (t: string) => boolean): Hit[] {
  const table = relationKey(fields.relation)
  const name = str(fields.idxname) ?? '(unnamed)'
  const subject = { table: display(table), name }
  const hits: Hit[] = []
  if (fields.concurrent === true) {
    if (scope.transactional) hits.push(concurrentInTransaction(`CREATE INDEX CONCURRENTLY ${name}`))
  } else if (existing(table)) {
    hits.push({
      rule: 'require-concurrent-index-creation',
      message: `CREATE ${fields.unique === true ? 'UNIQUE ' : ''}INDEX ${name} on existing table ${display(table)}`,
      subject,
    })
  }
  if (!scope.transactional && fields.if_not_exists !== true)
    hits.push(robust(`CREATE INDEX ${name}`))
  return hits
}

function dropHits(fields: Fields, scope: MigrationScope, existing: (t: string) => boolean): Hit[] {
  const hits: Hit[] = []
  const keys = list(fields.objects).map((o) => nameListKey(fieldsIf(o, 'List')?.items ?? [o]))
  for (const key of keys) {
    switch (fields.removeType) {
      case 'OBJECT_INDEX': {
        const table = scope.state.tableOfIndex(key)
        if (fields.concurrent === true) {
          if (scope.transactional)
            hits.push(concurrentInTransaction(`DROP INDEX CONCURRENTLY ${display(key)}`))
        } else if (table === undefined || existing(table)) {
          hits.push({
            rule: 'require-concurrent-index-deletion',
            message: `DROP INDEX ${display(key)}${table === undefined ? '' : ` on ${display(table)}`}`,
            subject: {
              table: table === undefined ? 'its table' : display(table),
              name: display(key),
            },
          })
        }
        break
      }
      case 'OBJECT_TABLE': {
        if (!existing(key)) break
        const inModels = scope.models?.tables.has(key) === true
        hits.push({
          rule: 'ban-drop-table',
          message: `DROP TABLE ${display(key)}${inModels ? ', which the models still define' : ''}`,
          subject: { table: display(key) },
          ...(inModels ? { severity: 'error' as const } : {}),
        })
        for (const referenced of scope.state.referencedBy(key)) {
          hits.push(referencedLock(key, referenced, `DROP TABLE ${display(key)}`))
        }
        break
      }
      case 'OBJECT_SCHEMA':
        hits.push({
          rule: 'ban-drop-schema',
          message: `DROP SCHEMA ${display(key).replace(/^public\./, '')}`,
          subject: { name: display(key).replace(/^public\./, '') },
        })
        break
    }
  }
  if (
    !scope.transactional &&
    fields.missing_ok !== true &&
    ['OBJECT_INDEX', 'OBJECT_TABLE'].includes(String(fields.removeType))
  ) {
    hits.push(
      robust(
        `DROP ${fields.removeType === 'OBJECT_INDEX' ? 'INDEX' : 'TABLE'} ${keys.map(display).join(', ')}`,
      ),
    )
  }
  return hits
}

function reindexHits(fields: Fields, scope: MigrationScope): Hit[] {
  const concurrent = list(fields.params).some(
    (p) => fieldsIf(p, 'DefElem')?.defname === 'concurrently',
  )
  const target =
    fields.relation === undefined ? (str(fields.name) ?? '') : display(relationKey(fields.relation))
  if (concurrent)
    return scope.transactional ? [concurrentInTransaction(`REINDEX CONCURRENTLY ${target}`)] : []
  const table =
    fields.kind === 'REINDEX_OBJECT_INDEX'
      ? scope.state.tableOfIndex(relationKey(fields.relation))
      : relationKey(fields.relation)
  return [
    {
      rule: 'require-concurrent-reindex',
      message: `REINDEX ${target}`,
      subject: { table: table === undefined ? 'its table' : display(table), name: target },
    },
  ]
}

function alterTableHits(
  fields: Fields,
  scope: MigrationScope,
  existing: (t: string) => boolean,
): Hit[] {
  const table = relationKey(fields.relation)
  const old = existing(table)
  const hits: Hit[] = []
  const known = scope.state.table(table)
  for (const item of list(fields.cmds)) {
    const cmd = fieldsIf(item, 'AlterTableCmd')
    if (cmd === undefined) continue
    const column = str(cmd.name) ?? ''
    const subject = { table: display(table), column }
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = fieldsIf(cmd.def, 'ColumnDef') ?? {}
        if (old) hits.push(...addColumnHits(table, def))
        hits.push(...newColumnsHits(table, [cmd.def], false))
        if (!scope.transactional && cmd.missing_ok !== true)
          hits.push(robust(`ADD COLUMN ${str(def.colname)}`))
        break
      }
      case 'AT_DropColumn': {
        if (!old) break
        const inModels = scope.models?.columns.has(`${table}.${column}`) === true
        hits.push({
          rule: 'ban-drop-column',
          message: `DROP COLUMN ${display(table)}.${column}${inModels ? ', which the models still define' : ''}`,
          subject,
          ...(inModels ? { severity: 'error' as const } : {}),
        })
        break
      }
      case 'AT_AlterColumnType': {
        if (!old) break
        const def = fieldsIf(cmd.def, 'ColumnDef') ?? {}
        const to = typeInfo(def.typeName)
        const from = known?.columns.get(column)?.type
        const verdict = typeChange(from, to, def.raw_default !== undefined)
        if (verdict === 'free') break
        hits.push({
          rule: 'changing-column-type',
          message:
            verdict === 'unknown'
              ? `changes the type of ${display(table)}.${column} to ${describeType(to)}; its current type is unknown to lint (the column was not made by a migration), so it may rewrite the table (--trace measures it)`
              : verdict === 'timezone'
                ? `changes ${display(table)}.${column} from ${describeType(from!)} to ${describeType(to)}: free only when the session's TimeZone is UTC, a full rewrite otherwise`
                : `changes ${display(table)}.${column} from ${from === undefined ? '?' : describeType(from)} to ${describeType(to)}${def.raw_default === undefined ? '' : ' with USING'}, which rewrites the table`,
          subject,
          ...(verdict === 'rewrite' ? {} : { severity: 'warning' as const }),
        })
        break
      }
      case 'AT_SetNotNull':
        if (old && !scope.state.provenNotNull(table, column)) {
          hits.push({
            rule: 'adding-not-nullable-field',
            message: `SET NOT NULL on ${display(table)}.${column} without a validated CHECK (${column} IS NOT NULL)`,
            subject,
          })
        }
        break
      case 'AT_DropNotNull':
        if (old)
          hits.push({
            rule: 'ban-drop-not-null',
            message: `DROP NOT NULL on ${display(table)}.${column}`,
            subject,
          })
        break
      case 'AT_AddConstraint': {
        const constraint = fieldsIf(cmd.def, 'Constraint') ?? {}
        hits.push(...addConstraintHits(table, constraint, scope, old))
        break
      }
      case 'AT_ValidateConstraint':
        if (scope.transactional && scope.notValidHere.has(`${table}/${column}`)) {
          hits.push({
            rule: 'constraint-missing-not-valid',
            message: `VALIDATE CONSTRAINT ${column} in the same transaction that added it NOT VALID: the add's lock is still held during the scan`,
            subject: { table: display(table), name: column },
          })
        }
        break
      case 'AT_DropConstraint': {
        for (const referenced of scope.state.referencedBy(table, column)) {
          hits.push(
            referencedLock(table, referenced, `DROP CONSTRAINT ${column} on ${display(table)}`),
          )
        }
        if (!scope.transactional && cmd.missing_ok !== true)
          hits.push(robust(`DROP CONSTRAINT ${column}`))
        if (cmd.missing_ok === true) scope.droppedIfExists.add(`${table}/${column}`)
        break
      }
      case 'AT_DetachPartition': {
        const partition = fieldsIf(cmd.def, 'PartitionCmd')
        if (partition?.concurrent !== true) {
          hits.push({
            rule: 'require-concurrent-partition-detach',
            message: `DETACH PARTITION ${display(relationKey(partition?.name))} from ${display(table)}`,
            subject: { table: display(table), name: display(relationKey(partition?.name)) },
          })
        }
        break
      }
    }
  }
  if (old) scope.alteredTables.add(table)
  return hits
}

function addColumnHits(table: string, def: Fields): Hit[] {
  const column = str(def.colname) ?? ''
  const subject = { table: display(table), column }
  const constraints = columnConstraints(def)
  const type = typeInfo(def.typeName)
  const hits: Hit[] = []
  const defaultExpr = constraints.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr
  const identity = constraints.some((c) => c.contype === 'CONSTR_IDENTITY')
  const generated = constraints.some((c) => c.contype === 'CONSTR_GENERATED')
  const serial = ['serial4', 'serial8', 'serial2'].includes(type.name)
  if (identity || serial) {
    hits.push({
      rule: 'adding-serial-or-identity-field',
      message: `adds ${serial ? type.name.replace('4', '').replace('8', '').replace('2', '') : 'identity'} column ${column} to existing table ${display(table)}`,
      subject,
    })
  } else if (generated) {
    hits.push({
      rule: 'adding-stored-generated-field',
      message: `adds stored generated column ${column} to existing table ${display(table)}`,
      subject,
    })
  } else if (defaultExpr !== undefined) {
    const volatile = calledFunctions(defaultExpr).filter((f) => !NON_VOLATILE.has(f))
    if (volatile.length > 0) {
      hits.push({
        rule: 'adding-field-with-volatile-default',
        message: `adds ${column} to existing table ${display(table)} with a default that calls ${volatile.map((f) => `${f}()`).join(', ')}, evaluated once per existing row`,
        subject,
      })
    }
  }
  const notNull = constraints.some(
    (c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY',
  )
  if (notNull && defaultExpr === undefined && !identity && !generated && !serial) {
    hits.push({
      rule: 'adding-required-field',
      message: `adds NOT NULL column ${column} without a default to existing table ${display(table)}`,
      subject,
    })
  }
  for (const constraint of constraints) {
    if (constraint.contype === 'CONSTR_FOREIGN' && constraint.skip_validation !== true) {
      hits.push(
        constraintNotValid(
          table,
          str(constraint.conname) ??
            `${column} REFERENCES ${display(relationKey(constraint.pktable))}`,
          'foreign key',
          relationKey(constraint.pktable),
        ),
      )
    } else if (constraint.contype === 'CONSTR_CHECK' && constraint.skip_validation !== true) {
      hits.push(
        constraintNotValid(table, str(constraint.conname) ?? `${column} CHECK`, 'check', undefined),
      )
    } else if (constraint.contype === 'CONSTR_UNIQUE') {
      hits.push({
        rule: 'disallowed-unique-constraint',
        message: `adds UNIQUE column ${column} to existing table ${display(table)}, which builds its index under ACCESS EXCLUSIVE`,
        subject: { ...subject, name: `${column}_key` },
      })
    }
  }
  return hits
}

/** Style rules for columns of new tables and new columns alike. */
function newColumnsHits(table: string, elements: readonly unknown[], newTable: boolean): Hit[] {
  const hits: Hit[] = []
  const primaryColumns = new Set<string>()
  for (const element of elements) {
    const constraint = fieldsIf(element, 'Constraint')
    if (constraint?.contype === 'CONSTR_PRIMARY') {
      for (const key of names(constraint.keys)) primaryColumns.add(key)
    }
  }
  for (const element of elements) {
    const def = fieldsIf(element, 'ColumnDef')
    if (def === undefined) continue
    const column = str(def.colname) ?? ''
    const type = typeInfo(def.typeName)
    const subject = { table: display(table), column }
    if (type.name === 'json')
      hits.push({ rule: 'prefer-jsonb', message: `${display(table)}.${column} is json`, subject })
    if (type.name === 'timestamp')
      hits.push({
        rule: 'prefer-timestamptz',
        message: `${display(table)}.${column} is timestamp without time zone`,
        subject,
      })
    const constraints = columnConstraints(def)
    const key =
      primaryColumns.has(column) ||
      constraints.some((c) => c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_IDENTITY')
    if (
      key &&
      (type.name === 'int4' ||
        type.name === 'int2' ||
        type.name === 'serial4' ||
        type.name === 'serial2')
    ) {
      hits.push({
        rule: 'prefer-bigint-over-int',
        message: `${newTable ? 'new table ' : ''}${display(table)}.${column} is a ${type.name.startsWith('serial') ? type.name : describeType(type)} key`,
        subject,
      })
    }
  }
  return hits
}

function addConstraintHits(
  table: string,
  constraint: Fields,
  scope: MigrationScope,
  old: boolean,
): Hit[] {
  const name = str(constraint.conname) ?? '(unnamed)'
  if (constraint.skip_validation === true) scope.notValidHere.add(`${table}/${name}`)
  const hits: Hit[] = []
  if (!scope.transactional && !scope.droppedIfExists.has(`${table}/${name}`)) {
    hits.push({
      ...robust(`ADD CONSTRAINT ${name}`),
      message: `ADD CONSTRAINT ${name} without dropping it IF EXISTS first, in a non-transactional migration`,
    })
  }
  if (!old) return hits
  const subject = { table: display(table), name }
  switch (constraint.contype) {
    case 'CONSTR_FOREIGN':
      if (constraint.skip_validation !== true)
        hits.push(constraintNotValid(table, name, 'foreign key', relationKey(constraint.pktable)))
      break
    case 'CONSTR_CHECK':
      if (constraint.skip_validation !== true)
        hits.push(constraintNotValid(table, name, 'check', undefined))
      break
    case 'CONSTR_UNIQUE':
      if (str(constraint.indexname) === undefined) {
        hits.push({
          rule: 'disallowed-unique-constraint',
          message: `ADD CONSTRAINT ${name} UNIQUE on existing table ${display(table)} builds its index under ACCESS EXCLUSIVE`,
          subject,
        })
      }
      break
    case 'CONSTR_PRIMARY': {
      const usingIndex = str(constraint.indexname) !== undefined
      const columns = names(constraint.keys)
      const known = scope.state.table(table)
      const nullable = columns.filter((c) => {
        const state = known?.columns.get(c)
        return state === undefined ? true : !state.notNull && !scope.state.provenNotNull(table, c)
      })
      if (!usingIndex) {
        hits.push({
          rule: 'adding-primary-key-field',
          message: `ADD PRIMARY KEY ${name} on existing table ${display(table)} builds its index under ACCESS EXCLUSIVE`,
          subject,
        })
      } else if (nullable.length > 0 && known !== undefined) {
        hits.push({
          rule: 'adding-primary-key-field',
          message: `ADD PRIMARY KEY ${name} USING INDEX on ${display(table)} sets NOT NULL on ${nullable.join(', ')}, which scans the table under ACCESS EXCLUSIVE`,
          subject,
          claims: { lock: 'AccessExclusiveLock', scan: true },
        })
      }
      break
    }
    case 'CONSTR_EXCLUSION':
      hits.push({
        rule: 'ban-exclusion-constraint',
        message: `ADD CONSTRAINT ${name} EXCLUDE on existing table ${display(table)}`,
        subject,
      })
      break
  }
  return hits
}

function renameHits(
  fields: Fields,
  scope: MigrationScope,
  existing: (t: string) => boolean,
): Hit[] {
  const table = relationKey(fields.relation)
  if (!existing(table)) return []
  if (fields.renameType === 'OBJECT_COLUMN') {
    const column = str(fields.subname) ?? ''
    const inModels = scope.models?.columns.has(`${table}.${column}`) === true
    return [
      {
        rule: 'renaming-column',
        message: `renames ${display(table)}.${column} to ${str(fields.newname)}${inModels ? ', a column the models still define' : ''}`,
        subject: { table: display(table), column },
        ...(inModels ? { severity: 'error' as const } : {}),
      },
    ]
  }
  if (fields.renameType === 'OBJECT_TABLE') {
    const inModels = scope.models?.tables.has(table) === true
    return [
      {
        rule: 'renaming-table',
        message: `renames ${display(table)} to ${str(fields.newname)}${inModels ? ', a table the models still define' : ''}`,
        subject: { table: display(table) },
        ...(inModels ? { severity: 'error' as const } : {}),
      },
    ]
  }
  return []
}

function backfillHits(type: string, fields: Fields, scope: MigrationScope): Hit[] {
  if (!scope.transactional || scope.alteredTables.size === 0) return []
  // Seed rows (INSERT ... VALUES) are not a backfill; INSERT ... SELECT copies existing data.
  if (type === 'InsertStmt' && fieldsIf(fields.selectStmt, 'SelectStmt')?.valuesLists !== undefined)
    return []
  const target = relationKey(fields.relation)
  const altered = [...scope.alteredTables].map(display)
  return [
    {
      rule: 'backfill-with-ddl',
      message: `${type.replace('Stmt', '').toUpperCase()} on ${display(target)} in the same transaction as the schema change of ${altered.join(', ')}`,
      subject: { table: altered.join(', ') },
    },
  ]
}

/**
 * Whether changing a column from `from` to `to` rewrites the table. PostgreSQL skips the rewrite
 * when the old type is binary-coercible to the new one and no `USING` is given (manual, ALTER
 * TABLE, "Notes"): a longer or unlimited varchar, varchar to text, more numeric precision at the
 * same scale, more timestamp precision. timestamp ↔ timestamptz is free only in a UTC session.
 */
function typeChange(
  from: TypeInfo | undefined,
  to: TypeInfo,
  using: boolean,
): 'free' | 'rewrite' | 'timezone' | 'unknown' {
  if (from === undefined) return 'unknown'
  if (using || from.array !== to.array) return 'rewrite'
  const grows = (a: readonly number[], b: readonly number[]) =>
    b.length === 0 || (a.length > 0 && (b[0] ?? 0) >= (a[0] ?? 0))
  const textual = new Set(['varchar', 'text'])
  if (from.name === to.name) {
    if (
      from.name === 'varchar' ||
      from.name === 'timestamp' ||
      from.name === 'timestamptz' ||
      from.name === 'time'
    ) {
      return grows(from.mods, to.mods) ? 'free' : 'rewrite'
    }
    if (from.name === 'numeric') {
      if (to.mods.length === 0) return 'free'
      return from.mods.length > 0 &&
        (to.mods[1] ?? 0) === (from.mods[1] ?? 0) &&
        grows(from.mods, to.mods)
        ? 'free'
        : 'rewrite'
    }
    return from.mods.join() === to.mods.join() ? 'free' : 'rewrite'
  }
  if (textual.has(from.name) && to.name === 'text') return 'free'
  if (from.name === 'text' && to.name === 'varchar' && to.mods.length === 0) return 'free'
  if (from.name === 'cidr' && to.name === 'inet') return 'free'
  if (
    (from.name === 'timestamp' && to.name === 'timestamptz') ||
    (from.name === 'timestamptz' && to.name === 'timestamp')
  )
    return 'timezone'
  return 'rewrite'
}

function constraintNotValid(
  table: string,
  name: string,
  kind: 'foreign key' | 'check',
  referenced: string | undefined,
): Hit {
  return {
    rule: 'constraint-missing-not-valid',
    message: `adds ${kind} ${name} to existing table ${display(table)}${referenced === undefined ? '' : ` (referencing ${display(referenced)})`} without NOT VALID`,
    subject: { table: display(table), name },
    claims: {
      scan: true,
      lock: kind === 'foreign key' ? 'ShareRowExclusiveLock' : 'AccessExclusiveLock',
    },
  }
}

function referencedLock(table: string, referenced: string, what: string): Hit {
  return {
    rule: 'locks-referenced-table',
    message: `${what} takes an ACCESS EXCLUSIVE lock on ${display(referenced)} too (the table its foreign key references)`,
    subject: { table: display(table), name: display(referenced) },
  }
}

function concurrentInTransaction(what: string): Hit {
  return {
    rule: 'ban-concurrent-index-in-transaction',
    message: `${what} in a migration that runs in a transaction`,
    subject: {},
  }
}

function robust(what: string): Hit {
  return {
    rule: 'prefer-robust-stmts',
    message: `${what} without IF [NOT] EXISTS in a non-transactional migration`,
    subject: { name: what },
  }
}

function identifierHits(sql: string): Hit[] {
  return [...new Set(longIdentifiers(sql))].map((name) => ({
    rule: 'identifier-too-long',
    message: `identifier "${name.slice(0, 40)}…" is ${Buffer.byteLength(name, 'utf8')} bytes long`,
    subject: { name: `"${name.slice(0, 40)}…"` },
  }))
}

/** `public.orders` is shown as `orders`; other schemas stay qualified. */
export function display(key: string): string {
  return schemaOf(key) === 'public' ? key.slice('public.'.length) : key
}
