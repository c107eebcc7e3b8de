import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlComparator } from '../../../src/dialect/mysql/mysql-comparator.ts'
import {
  MysqlIntrospector,
  UNIQUE_INDEX_COMMENT,
} from '../../../src/dialect/mysql/mysql-introspector.ts'
import { quoteIdentifier as q, quoteString } from '../../../src/dialect/mysql/mysql-quoting.ts'
import { MysqlTypeMapper } from '../../../src/dialect/mysql/mysql-type-mapper.ts'
import type {
  ColumnDefault,
  ColumnType,
  SchemaSnapshot,
  TableDef,
} from '../../../src/schema/schema-snapshot.ts'
import {
  column,
  foreignKey,
  index,
  lit,
  NO_SCHEMA_OBJECTS,
  sql,
  T,
  table,
} from '../../support/snapshot-literals.ts'
import {
  createMysqlDatabase,
  mysqlUnavailable,
  type TestMysqlDatabase,
} from './mysql-connection-support.ts'

/**
 * `MysqlIntrospector` on a real MySQL or MariaDB server: tables written with the DDL the type
 * mapper produces, read back and compared with the comparator; keys, checks and indexes as MySQL
 * keeps them; hostile names; aludel's own tables left out; and the same number of queries for
 * one table as for thirty.
 */

const unavailable = await mysqlUnavailable()
const types = new MysqlTypeMapper()
const introspector = new MysqlIntrospector(types)

let db: TestMysqlDatabase

beforeAll(async () => {
  if (unavailable === undefined) db = await createMysqlDatabase()
})
afterAll(async () => {
  await db?.drop()
})

/** Runs `ddl` (several statements) and reads the database back. */
async function introspectAfter(ddl: string, exclude: readonly string[] = []) {
  await db.connection.execute(ddl)
  return introspector.introspect(db.connection, { excludeTables: exclude })
}

function tableOf(snapshot: SchemaSnapshot, name: string): TableDef {
  const found = snapshot.tables.find((t) => t.name === name)
  if (found === undefined)
    throw new Error(`no table ${name} in ${snapshot.tables.map((t) => t.name)}`)
  return found
}

describe.skipIf(unavailable !== undefined)('MysqlIntrospector', () => {
  it('reads every type the mapper writes back as an equivalent type', async () => {
    const model: readonly ColumnType[] = [
      T.smallint,
      T.integer,
      T.bigint,
      T.real,
      T.double,
      T.text,
      T.boolean,
      T.date,
      T.time(false),
      T.time(false, 3),
      T.timestamp(false),
      T.timestamp(false, 6),
      T.timestamp(true),
      T.timestamp(true, 3),
      T.uuid,
      T.json,
      T.jsonb,
      T.bytea,
      T.numeric(10, 2),
      T.numeric(),
      T.varchar(255),
      T.char(3),
      T.custom("enum('a','b')"),
      T.custom('mediumtext'),
      T.custom('int unsigned'),
    ]
    const columns = model.map((type, i) => `c${i} ${types.sqlType(type)} NULL`).join(', ')
    const live = tableOf(await introspectAfter(`CREATE TABLE types_t (${columns})`), 'types_t')
    expect(live.columns.map((c) => c.name)).toEqual(model.map((_, i) => `c${i}`))
    live.columns.forEach((c, i) => {
      expect(
        mysqlComparator.typesEquivalent(model[i]!, c.type),
        `${JSON.stringify(model[i])} read as ${JSON.stringify(c.type)}`,
      ).toBe(true)
    })
    // The mapper's own types come back as themselves, not as custom text.
    expect(live.columns.slice(0, 15).map((c) => c.type)).toEqual([
      T.smallint,
      T.integer,
      T.bigint,
      T.real,
      T.double,
      T.text,
      T.boolean,
      T.date,
      T.time(false),
      T.time(false, 3),
      T.timestamp(false),
      T.timestamp(false, 6),
      T.timestamp(true),
      T.timestamp(true, 3),
      T.char(36),
    ])
    expect(live.columns[15]!.type).toEqual(T.json)
    expect(live.columns[16]!.type).toEqual(T.json)
    expect(live.columns[17]!.type).toEqual(T.bytea)
    expect(live.columns[19]!.type).toEqual(T.numeric(65, 30))
    // MariaDB's json is longtext checked by json_valid(): the check is not the models' business.
    expect(live.checks).toEqual([])
    expect(live.columns.every((c) => c.collation === undefined)).toBe(true)
  })

  it('reads defaults of every kind back as what the models wrote', async () => {
    const at = new Date('2024-02-03T04:05:06.789Z')
    const defaults: readonly [ColumnType, ColumnDefault][] = [
      [T.varchar(20), lit('it\'s "quoted"')],
      [T.varchar(20), lit('back\\slash')],
      [T.varchar(20), lit('NULL')],
      [T.varchar(20), lit(5)],
      [T.text, lit('long text')],
      [T.integer, lit(42)],
      [T.integer, lit(-7)],
      [T.bigint, lit(9007199254740993n)],
      [T.numeric(10, 2), lit(1.5)],
      [T.double, lit(0.25)],
      [T.boolean, lit(true)],
      [T.boolean, lit(false)],
      [T.boolean, sql('TRUE')],
      [T.date, lit(at)],
      [T.timestamp(false), lit(at)],
      [T.timestamp(false, 3), lit(at)],
      [T.timestamp(true, 6), lit(at)],
      [T.time(false), lit(at)],
      [T.json, lit({ a: [1, 'two'] })],
      [T.bytea, lit(new Uint8Array([0, 1, 254]))],
      [T.timestamp(true), sql('CURRENT_TIMESTAMP')],
      [T.timestamp(false, 3), sql('CURRENT_TIMESTAMP(3)')],
      [T.timestamp(false), sql('now()')],
      [T.uuid, sql('uuid()')],
      [T.integer, sql('1 + 2')],
      [T.date, sql('CURRENT_DATE')],
      [T.integer, lit(null)],
    ]
    const columns = defaults
      .map(
        ([type, value], i) =>
          `d${i} ${types.sqlType(type)} NULL DEFAULT ${types.sqlDefault(value, type)}`,
      )
      .join(',\n')
    const live = tableOf(
      await introspectAfter(`CREATE TABLE defaults_t (${columns})`),
      'defaults_t',
    )
    const modelTable = table('defaults_t', {
      columns: defaults.map(([type, value], i) => column(`d${i}`, type, { default: value })),
    })
    const normalized = await introspector.normalize(db.connection, {
      ...NO_SCHEMA_OBJECTS,
      enums: [],
      tables: [modelTable],
    })
    live.columns.forEach((c, i) => {
      const label = `d${i}: ${JSON.stringify(defaults[i]![1], (_, v) => (typeof v === 'bigint' ? String(v) : v))} read as ${JSON.stringify(c.default)}`
      expect(
        mysqlComparator.defaultsEquivalent(normalized.tables[0]!.columns[i]!.default, c.default),
        label,
      ).toBe(true)
    })
    // DEFAULT NULL is no default; a string 'NULL' is one.
    expect(live.columns.at(-1)!.default).toBeUndefined()
    expect(live.columns[2]!.default).toEqual(sql("'NULL'"))
    // And a different value is a different default.
    expect(mysqlComparator.defaultsEquivalent(lit(43), live.columns[5]!.default)).toBe(false)
  })

  it('reads serial, generated columns, comments and collations', async () => {
    const live = tableOf(
      await introspectAfter(`CREATE TABLE gen_t (
        id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'the key',
        price int NOT NULL,
        total int GENERATED ALWAYS AS (price * 2) STORED,
        half int AS (price / 2) VIRTUAL,
        code varchar(10) COLLATE utf8mb4_bin NOT NULL,
        note text COMMENT 'it''s a note'
      ) COMMENT = 'generated things'`),
      'gen_t',
    )
    expect(live.comment).toBe('generated things')
    const [id, price, total, half, code, note] = live.columns
    expect(id).toEqual(
      column('id', T.bigint, { nullable: false, serial: true, comment: 'the key' }),
    )
    expect(price).toEqual(column('price', T.integer, { nullable: false }))
    expect(total!.generated).toBeDefined()
    expect(mysqlComparator.sqlEquivalent(total!.generated, 'price * 2')).toBe(true)
    expect(total!.default).toBeUndefined()
    expect(half!.type.kind).toBe('custom')
    expect(half!.type.kind === 'custom' && half!.type.sql).toMatch(
      /GENERATED ALWAYS AS \(.*price.*\) VIRTUAL$/,
    )
    expect(half!.generated).toBeUndefined()
    expect(code!.collation).toBe('utf8mb4_bin')
    expect(note!.comment).toBe("it's a note")
    expect(live.primaryKey).toEqual({ name: undefined, columns: ['id'] })
  })

  it('reads keys, checks and indexes, leaving out the indexes MySQL makes for foreign keys', async () => {
    const snapshot = await introspectAfter(`
      CREATE TABLE parent (a int NOT NULL, b int NOT NULL, email varchar(100), PRIMARY KEY (b, a),
        CONSTRAINT uq_parent_email UNIQUE (email));
      CREATE TABLE child (
        id int NOT NULL PRIMARY KEY,
        pa int, pb int, other int, age int, name varchar(50), data json,
        CONSTRAINT fk_child_parent FOREIGN KEY (pb, pa) REFERENCES parent (b, a) ON DELETE CASCADE ON UPDATE SET NULL,
        CONSTRAINT fk_child_other FOREIGN KEY (other) REFERENCES child (id),
        CONSTRAINT ck_child_age CHECK (age > 0 AND age < 200),
        CONSTRAINT uq_child_name_age UNIQUE (name, age)
      );
      CREATE INDEX ix_child_other ON child (other);
      CREATE UNIQUE INDEX ix_child_age ON child (age) COMMENT ${quoteString(UNIQUE_INDEX_COMMENT)};
      CREATE INDEX ix_child_desc ON child (age DESC, name(10));
      CREATE UNIQUE INDEX ix_child_prefix ON child (name(5));
      CREATE FULLTEXT INDEX ix_child_ft ON child (name);`)
    const parent = tableOf(snapshot, 'parent')
    expect(parent.primaryKey).toEqual({ name: undefined, columns: ['b', 'a'] })
    expect(parent.uniques).toEqual([
      { name: 'uq_parent_email', columns: ['email'], nullsNotDistinct: false },
    ])
    expect(parent.indexes).toEqual([])
    const child = tableOf(snapshot, 'child')
    expect(child.foreignKeys).toEqual([
      foreignKey('fk_child_other', ['other'], 'child', ['id']),
      foreignKey('fk_child_parent', ['pb', 'pa'], 'parent', ['b', 'a'], {
        onDelete: 'cascade',
        onUpdate: 'set null',
      }),
    ])
    expect(child.uniques).toEqual([
      { name: 'uq_child_name_age', columns: ['name', 'age'], nullsNotDistinct: false },
    ])
    expect(child.checks.map((c) => c.name)).toEqual(['ck_child_age'])
    expect(
      mysqlComparator.sqlEquivalent(child.checks[0]!.expression, 'age > 0 AND age < 200'),
    ).toBe(true)
    // fk_child_parent's own index is left out; fk_child_other uses ix_child_other.
    expect(child.indexes).toEqual([
      index('ix_child_age', ['age'], { unique: true }),
      index('ix_child_desc', [{ column: 'age', order: 'desc' }, { expression: '`name`(10)' }]),
      index('ix_child_ft', ['name'], { method: 'fulltext' }),
      index('ix_child_other', ['other']),
      index('ix_child_prefix', [{ expression: '`name`(5)' }], { unique: true }),
    ])
  })

  it('round-trips hostile names through quoting and introspection', async () => {
    const names = ['Upper Case', 'back`tick', "it's", 'select', 'naïve_名前', '"dq"', '1st']
    const columns = names.map((n) => `${q(n)} int`).join(', ')
    const tableName = 'Weird `Table` "x"'
    const live = tableOf(
      await introspectAfter(
        `CREATE TABLE ${q(tableName)} (${columns}, CONSTRAINT ${q('ck "odd"')} CHECK (${q(names[0]!)} > ${q(names[1]!)}), INDEX ${q('ix `odd`')} (${q(names[3]!)}))`,
      ),
      tableName,
    )
    expect(live.columns.map((c) => c.name)).toEqual(names)
    expect(live.checks[0]!.name).toBe('ck "odd"')
    expect(
      mysqlComparator.sqlEquivalent(live.checks[0]!.expression, '"Upper Case" > `back``tick`'),
    ).toBe(true)
    expect(live.indexes).toEqual([index('ix `odd`', ['select'])])
  })

  it('leaves out the tables excludeTables names, bare or qualified', async () => {
    const snapshot = await introspectAfter(
      'CREATE TABLE aludel_version (v text); CREATE TABLE aludel_ledger (v text); CREATE TABLE kept (v text)',
      ['aludel_version', `${db.name}.aludel_ledger`],
    )
    const names = snapshot.tables.map((t) => t.name)
    expect(names).toContain('kept')
    expect(names).not.toContain('aludel_version')
    expect(names).not.toContain('aludel_ledger')
    expect(snapshot.tables.every((t) => t.schema === undefined)).toBe(true)
  })

  it('runs the same number of queries for one table as for thirty', async () => {
    const fresh = await createMysqlDatabase()
    try {
      const count = async () => {
        const before = fresh.connection.queries()
        await introspector.introspect(fresh.connection)
        return fresh.connection.queries() - before
      }
      await fresh.connection.execute('CREATE TABLE t0 (id int PRIMARY KEY, v text)')
      const one = await count()
      const ddl = Array.from(
        { length: 29 },
        (_, i) =>
          `CREATE TABLE t${i + 1} (id int PRIMARY KEY, p int, CONSTRAINT fk_${i} FOREIGN KEY (p) REFERENCES t0 (id), CHECK (p > 0), UNIQUE (p))`,
      ).join(';')
      await fresh.connection.execute(ddl)
      const thirty = await count()
      expect((await introspector.introspect(fresh.connection)).tables).toHaveLength(30)
      expect(thirty).toBe(one)
      expect(one).toBeLessThanOrEqual(7)
    } finally {
      await fresh.drop()
    }
  })

  it('normalizes without asking the server anything', async () => {
    const before = db.connection.queries()
    const model = {
      ...NO_SCHEMA_OBJECTS,
      enums: [],
      tables: [table('n', { columns: [column('a', T.varchar(5), { default: lit(5) })] })],
    }
    const normalized = await introspector.normalize(db.connection, model)
    expect(db.connection.queries()).toBe(before)
    expect(normalized.tables[0]!.columns[0]!.default).toEqual(sql("'5'"))
  })

  it('counts tables, views, triggers and routines, and reads views', async () => {
    await db.connection.execute(
      'CREATE VIEW kept_v AS SELECT v FROM kept; CREATE TRIGGER kept_tr BEFORE INSERT ON kept FOR EACH ROW SET NEW.v = NEW.v',
    )
    const counts = await introspector.census(db.connection, { excludeTables: ['aludel_version'] })
    const of = (kind: string) => counts.find((c) => c.kind === kind)?.count
    const tables = (await introspector.introspect(db.connection)).tables.length
    expect(of('tables')).toBe(tables - 1)
    expect(of('views')).toBe(1)
    expect(of('triggers')).toBe(1)
    // A view is read with the server's rewrite of its query, the current database's name left out.
    expect(
      (await introspector.introspect(db.connection)).views.map((v) => [v.name, v.definition]),
    ).toEqual([['kept_v', 'select `kept`.`v` AS `v` from `kept`']])
  })
})
