import { describe, expect, it } from 'vitest'
import { describeResult } from '../../src/autogenerate/describe-change.ts'
import { renderMigration } from '../../src/autogenerate/render-migration.ts'
import { renderModels } from '../../src/autogenerate/render-models.ts'
import { reverseAll } from '../../src/operations/reverse.ts'
import type {
  CompositeTypeDef,
  DomainDef,
  ExtensionDef,
  SchemaSnapshot,
  TableDef,
} from '../../src/schema/schema-snapshot.ts'
import {
  column,
  NO_SCHEMA_OBJECTS,
  sequenceDef,
  sql,
  T,
  table,
} from '../support/snapshot-literals.ts'
import { applyOps } from './apply-ops.ts'
import { compareChecked, compareSchemas, kindsOf, onlyOp, opsOf } from './compare-helpers.ts'
import { importModule, migrationText, recorder, writeModule } from './render-support.ts'
import { SOURCES } from './schema-objects-support.ts'

const empty: SchemaSnapshot = { tables: [], enums: [], ...NO_SCHEMA_OBJECTS }

const email: DomainDef = {
  schema: undefined,
  name: 'email',
  type: T.text,
  default: undefined,
  notNull: true,
  checks: [{ name: 'email_at', expression: "VALUE ~ '@'" }],
}

const address: CompositeTypeDef = {
  schema: undefined,
  name: 'address',
  attributes: [
    { name: 'street', type: T.text },
    { name: 'contact', type: T.custom('email') },
  ],
}

const trgm: ExtensionDef = { name: 'pg_trgm', schema: undefined, version: undefined }

const orders: TableDef = table('orders', {
  columns: [
    column('no', T.bigint, { nullable: false, default: sql("nextval('order_no'::regclass)") }),
    column('ship_to', T.custom('address')),
    column('contact', T.custom('email')),
  ],
})

const models: SchemaSnapshot = {
  ...empty,
  tables: [orders],
  sequences: [sequenceDef('order_no', { start: 1000, ownedBy: { table: 'orders', column: 'no' } })],
  domains: [email],
  compositeTypes: [address],
  extensions: [trgm],
}

describe('comparing sequences, domains, composite types and extensions', () => {
  it('creates them in dependency order, an owner once its column exists, and drops in reverse', () => {
    const result = compareChecked({ models, database: empty })
    expect(kindsOf(result)).toEqual([
      'createExtension',
      'createDomain',
      'createCompositeType',
      'createSequence',
      'createTable',
      'alterSequence',
    ])
    expect(onlyOp(result, 'createSequence').sequence.ownedBy).toBeUndefined()
    expect(onlyOp(result, 'alterSequence').changes).toEqual({
      ownedBy: { to: { table: 'orders', column: 'no' }, from: undefined },
    })
    expect(kindsOf(compareChecked({ models: empty, database: models }))).toEqual([
      'alterSequence',
      'dropTable',
      'dropSequence',
      'dropCompositeType',
      'dropDomain',
      'dropExtension',
    ])
    expect(describeResult(result)).toEqual([
      'add extension pg_trgm',
      'add domain email (text)',
      'add composite type address (street text, contact email)',
      'add sequence order_no',
      'add table orders (3 columns)',
      'alter sequence order_no: owner none -> orders.no',
    ])
  })

  it('alters sequence options in place, with the bounds and start their defaults move to', () => {
    const database = {
      ...empty,
      sequences: [sequenceDef('s', { increment: 5, cache: 10, minValue: 5 })],
    }
    const integer = {
      ...empty,
      sequences: [sequenceDef('s', { dataType: 'integer', increment: 2 })],
    }
    const result = compareChecked({ models: integer, database })
    expect(onlyOp(result, 'alterSequence').changes).toEqual({
      dataType: { to: 'integer', from: undefined },
      increment: { to: 2, from: 5 },
      minValue: { to: undefined, from: 5 },
      maxValue: { to: undefined, from: undefined },
      start: { to: 1, from: 5 },
      cache: { to: undefined, from: 10 },
    })
    expect(opsOf(compareSchemas({ models: database, database }))).toEqual([])
  })

  it('leaves a change of direction to a person: it needs a RESTART', () => {
    const result = compareSchemas({
      models: { ...empty, sequences: [sequenceDef('s', { increment: -1 })] },
      database: { ...empty, sequences: [sequenceDef('s')] },
    })
    expect(opsOf(result)).toEqual([])
    expect(result.manual[0]?.upgradeHint).toBe(
      "await op.execute('ALTER SEQUENCE s AS bigint INCREMENT BY -1 NO MINVALUE NO MAXVALUE START WITH -1 RESTART')",
    )
  })

  it('takes a sequence from its column before the column goes, and gives it back after', () => {
    const owned = { table: 'orders', column: 'no' }
    const database: SchemaSnapshot = {
      ...empty,
      tables: [table('orders', { columns: [column('no', T.bigint)] })],
      sequences: [sequenceDef('s', { ownedBy: owned })],
    }
    const result = compareChecked({
      models: {
        ...database,
        tables: [table('orders', { columns: [column('id', T.bigint)] })],
        sequences: [sequenceDef('s')],
      },
      database,
    })
    expect(kindsOf(result)).toEqual(['alterSequence', 'addColumn', 'dropColumn'])
    // Without the disowning, dropping the column would drop the sequence with it.
    const dropped = compareChecked({ models: { ...empty, tables: [] }, database })
    expect(kindsOf(dropped)).toEqual(['alterSequence', 'dropTable', 'dropSequence'])
    expect(onlyOp(dropped, 'dropSequence').definition?.ownedBy).toBeUndefined()
  })

  it('follows a renamed table to the sequence it owns', () => {
    const database: SchemaSnapshot = {
      ...empty,
      tables: [table('orders', { columns: [column('no', T.bigint)] })],
      sequences: [sequenceDef('s', { ownedBy: { table: 'orders', column: 'no' } })],
    }
    const renamed: SchemaSnapshot = {
      ...database,
      tables: [table('purchases', { columns: [column('no', T.bigint)] })],
      sequences: [sequenceDef('s', { ownedBy: { table: 'purchases', column: 'no' } })],
    }
    const result = compareChecked(
      { models: renamed, database },
      { renames: new Map([['orders', 'purchases']]) },
    )
    expect(kindsOf(result)).toEqual(['renameTable'])
  })

  it("changes a domain's default, NOT NULL and checks in place, a check by drop and add", () => {
    const changed: DomainDef = {
      ...email,
      default: { kind: 'sql', sql: "'x@y'::text" },
      notNull: false,
      checks: [
        { name: 'email_at', expression: "VALUE ~ '@.'" },
        { name: 'email_short', expression: 'length(VALUE) < 100' },
      ],
    }
    const result = compareChecked({
      models: { ...empty, domains: [changed] },
      database: { ...empty, domains: [email] },
    })
    expect(onlyOp(result, 'alterDomain').changes).toEqual({
      default: { to: { kind: 'sql', sql: "'x@y'::text" }, from: null },
      notNull: { to: false, from: true },
      dropChecks: [{ name: 'email_at', definition: email.checks[0] }],
      addChecks: changed.checks,
    })
  })

  it('leaves what PostgreSQL cannot alter in place to a person, with the SQL to start from', () => {
    const result = compareSchemas({
      models: {
        ...empty,
        domains: [{ ...email, type: T.varchar(100) }],
        compositeTypes: [{ ...address, attributes: [{ name: 'street', type: T.varchar(80) }] }],
        extensions: [{ ...trgm, version: '1.6' }],
      },
      database: {
        ...empty,
        domains: [email],
        compositeTypes: [address],
        extensions: [{ ...trgm, version: '1.5' }],
      },
    })
    expect(opsOf(result)).toEqual([])
    expect(result.manual.map((m) => m.description)).toEqual([
      'composite type address: attributes (street text, contact email) in the database, (street varchar(80)) in the models; PostgreSQL cannot move an attribute or change its type while a column uses the type, so alter it by hand (attribute order follows the ALTERs)',
      'domain email: base type text in the database, varchar(100) in the models; ALTER DOMAIN cannot change a base type, so rebuild the domain, converting its columns',
      'extension pg_trgm: version 1.5 in the database, 1.6 in the models; update it by hand (its own scripts run, and not every version can go back)',
    ])
    expect(result.manual[0]?.upgradeHint).toBe(
      [
        "await op.execute('ALTER TYPE address DROP ATTRIBUTE contact')",
        "await op.execute('ALTER TYPE address ALTER ATTRIBUTE street TYPE varchar(80)')",
      ].join('\n'),
    )
  })

  it('renders a migration that gives the same operations back, and its downgrade', async () => {
    const database: SchemaSnapshot = {
      ...empty,
      sequences: [sequenceDef('legacy', { cycle: true })],
      domains: [{ ...email, name: 'old_email' }],
    }
    const result = compareChecked({
      models: {
        ...models,
        sequences: [...models.sequences, sequenceDef('legacy', { maxValue: 99 })],
      },
      database,
    })
    const rendered = renderMigration(result)
    const text = migrationText('SchemaObjects', rendered).replaceAll(
      "from 'aludel'",
      `from '${SOURCES}'`,
    )
    const path = writeModule(
      new URL('../../node_modules/.cache/aludel-test/schema-objects', import.meta.url).pathname,
      'migration.ts',
      text,
    )
    const module = await importModule<{
      upgrade(op: unknown): Promise<void>
      downgrade(op: unknown): Promise<void>
    }>(path)
    const up = recorder(true)
    await module.upgrade(up.op)
    expect(up.ops).toEqual(opsOf(result))
    const down = recorder(true)
    await module.downgrade(down.op)
    expect(down.ops).toEqual(reverseAll(opsOf(result)))
    expect(applyOps(applyOps(database, up.ops), down.ops)).toEqual(database)
  })

  it('writes models that give the snapshot back', async () => {
    const text = renderModels(models, { importPath: SOURCES })
    expect(text).toContain("export const orderNo = sequence('order_no', {")
    expect(text).toContain('no: bigint().notNull().default(nextval(orderNo))')
    expect(text).toContain("shipTo: address('ship_to')")
    const path = writeModule(
      new URL('../../node_modules/.cache/aludel-test/schema-objects', import.meta.url).pathname,
      'models.ts',
      text,
    )
    const module = await importModule<{ schema: { snapshot(): SchemaSnapshot } }>(path)
    const snapshot = module.schema.snapshot()
    expect({ ...snapshot, tables: snapshot.tables.map((t) => t.name) }).toEqual({
      ...models,
      tables: ['orders'],
    })
    expect(opsOf(compareSchemas({ models: snapshot, database: models }))).toEqual([])
  })
})
