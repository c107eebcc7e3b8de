import { describe, expect, it } from 'vitest'
import { leftOutOf } from '../../src/commands/pull-left-out.ts'
import { pull } from '../../src/index.ts'
import { backends } from '../support/databases.ts'
import { createProject } from '../support/project.ts'
import { column, snapshot as snapshotOf, T, table } from '../support/snapshot-literals.ts'
import { freshDatabases } from './schema-objects-support.ts'

/**
 * `pull` says what its models leave out: one entry per kind of object the database holds beyond
 * what the models describe, counted from the catalogs, never dropped silently.
 */

/** One object of each kind the models cannot describe, next to tables they can. */
const SETUP = [
  'CREATE TABLE account (id integer PRIMARY KEY, owner text)',
  'GRANT SELECT ON account TO PUBLIC',
  'ALTER TABLE account ENABLE ROW LEVEL SECURITY',
  'CREATE POLICY own_rows ON account USING (owner = current_user)',
  'CREATE TABLE audit_log (id integer, note text)',
  'CREATE RULE keep_audit AS ON DELETE TO audit_log DO INSTEAD NOTHING',
  'CREATE UNLOGGED TABLE scratch (id integer)',
  'CREATE TABLE base_item (id integer)',
  'CREATE TABLE special_item (extra text) INHERITS (base_item)',
  'CREATE STATISTICS account_stats (dependencies) ON id, owner FROM account',
  'CREATE TYPE float_range AS RANGE (subtype = float8)',
  'CREATE TABLE measure (id integer, at integer) PARTITION BY RANGE (at)',
  'CREATE TABLE measure_low PARTITION OF measure FOR VALUES FROM (0) TO (10) PARTITION BY LIST (id)',
  'CREATE TABLE measure_low_1 PARTITION OF measure_low FOR VALUES IN (1)',
  'CREATE INDEX measure_low_id ON measure_low (id)',
  "COMMENT ON CONSTRAINT account_pkey ON account IS 'The key'",
]

describe.each(backends())('pull on $backend', ({ backend, skip }) => {
  const database = freshDatabases(backend)

  it.skipIf(skip)('reports every kind of object it did not model, with its count', async () => {
    const db = await database()
    await db.inspect(async (query) => {
      for (const statement of SETUP) await query(statement)
    })
    const project = createProject(db.url)
    const result = await pull(project.config)
    expect(result.tables).toBe(6)
    const lines = result.leftOut.map((item) => `${item.count} ${item.description}`)
    expect([...lines].sort()).toEqual(
      [
        '1 partitions of partitions (sub-partitioning)',
        '1 range types',
        '1 unlogged tables (pulled as ordinary tables)',
        '1 tables with row-level security enabled',
        '1 privileges granted or revoked (GRANT, REVOKE)',
        '1 row-level security policies',
        '1 rules',
        '1 extended statistics (CREATE STATISTICS)',
        '1 table inheritance links (INHERITS)',
        '1 indexes of single partitions',
        '1 comments on constraints and indexes',
      ].sort(),
    )

    const cli = await project.cli(['pull', '--output', 'schema.ts'])
    expect(cli.code).toBe(0)
    expect(cli.stderr).toContain('not modelled: 1 rules\n')
    expect(cli.stderr).toContain('not modelled: 1 row-level security policies\n')
    const json = await project.cli(['pull', '--output', 'other.ts', '--json'])
    expect(JSON.parse(json.stdout).leftOut).toContainEqual({
      kind: 'grants',
      description: 'privileges granted or revoked (GRANT, REVOKE)',
      count: 1,
    })
  })

  it.skipIf(skip)('reports nothing when the models describe everything', async () => {
    const db = await database()
    await db.inspect(async (query) => {
      await query('CREATE TABLE item (id integer PRIMARY KEY, label text)')
      // A row trigger on a partitioned table: PostgreSQL clones it onto every partition, and the
      // clones are the parent's trigger, not objects of their own.
      await query('CREATE TABLE reading (at integer NOT NULL, v text) PARTITION BY RANGE (at)')
      await query('CREATE TABLE reading_low PARTITION OF reading FOR VALUES FROM (0) TO (10)')
      await query(
        'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
      )
      await query(
        'CREATE TRIGGER reading_touch BEFORE UPDATE ON reading FOR EACH ROW EXECUTE FUNCTION touch()',
      )
    })
    expect((await pull(createProject(db.url).config)).leftOut).toEqual([])
  })
})

describe('what pull leaves out', () => {
  it('subtracts what the snapshot models from what the census counted', () => {
    const snapshot = snapshotOf([
      table('t', { columns: [column('id', T.integer, { nullable: false, serial: true })] }),
    ])
    expect(
      leftOutOf(
        [
          { kind: 'tables', count: 1 },
          { kind: 'sequences', count: 2 },
          { kind: 'rules', count: 0 },
          { kind: 'policies', count: 3 },
        ],
        snapshot,
      ),
    ).toEqual([
      { kind: 'sequences', description: 'sequences', count: 1 },
      { kind: 'policies', description: 'row-level security policies', count: 3 },
    ])
  })
})
