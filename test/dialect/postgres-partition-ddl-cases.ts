import { expect } from 'vitest'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type { PartitionDef } from '../../src/schema/schema-snapshot.ts'
import { column, element, T, table } from '../support/snapshot-literals.ts'
import type { DialectSession } from './dialect-session.ts'

/**
 * The DDL compiler cases of partitioned tables, partitions, exclusion constraints, generated
 * columns and collations, for postgres-ddl-compiler.test.ts: they run in its script, on the
 * `app` schema it made, and remove what they create.
 */
export interface PartitionDdlCase {
  readonly name: string
  readonly op: MigrationOp
  readonly sql: { readonly postgres: readonly string[] }
  readonly check?: (s: DialectSession) => Promise<void>
}

const y2024: PartitionDef = {
  schema: 'app',
  name: 'events_2024',
  bound: { kind: 'range', from: ["'2024-01-01'"], to: ["'2025-01-01'"] },
  comment: 'The year 2024',
}
const fallback: PartitionDef = {
  schema: 'app',
  name: 'events_other',
  bound: { kind: 'default' },
  comment: undefined,
}

async function partitions(s: DialectSession): Promise<string[]> {
  const rows = await s.rows<{ t: string }>(
    `SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) AS t
       FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
      WHERE h.inhparent = 'app.events'::regclass ORDER BY 1`,
  )
  return rows.map((r) => r.t)
}

async function columnSql(s: DialectSession, relation: string): Promise<string[]> {
  const rows = await s.rows<{ t: string }>(
    `SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            || COALESCE(' COLLATE ' || NULLIF(co.collname, 'default'), '')
            || CASE WHEN a.attgenerated = 's' THEN ' AS ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END AS t
       FROM pg_attribute a
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [relation],
  )
  return rows.map((r) => r.t)
}

export const PARTITION_DDL_CASES: readonly PartitionDdlCase[] = [
  {
    name: 'createTable partitioned, with a collation and a generated column',
    op: {
      kind: 'createTable',
      table: table('events', {
        schema: 'app',
        columns: [
          column('id', T.integer, { nullable: false }),
          column('at', T.date, { nullable: false }),
          column('code', T.text, { collation: 'C' }),
          column('twice', T.integer, { generated: 'id * 2' }),
        ],
        primaryKey: { name: 'events_pkey', columns: ['id', 'at'] },
        partitionBy: { strategy: 'range', elements: ['at'] },
      }),
      ifNotExists: false,
    },
    sql: {
      postgres: [
        'CREATE TABLE app.events (\n    id integer NOT NULL,\n    at date NOT NULL,\n    code text COLLATE "C",\n    twice integer GENERATED ALWAYS AS (id * 2) STORED,\n    CONSTRAINT events_pkey PRIMARY KEY (id, at)\n) PARTITION BY RANGE (at)',
      ],
    },
    check: async (s) =>
      expect(await columnSql(s, 'app.events')).toEqual([
        'id integer',
        'at date',
        'code text COLLATE C',
        'twice integer AS (id * 2)',
      ]),
  },
  {
    name: 'createPartition with a range and a comment',
    op: {
      kind: 'createPartition',
      schema: 'app',
      table: 'events',
      partition: y2024,
      ifNotExists: false,
    },
    sql: {
      postgres: [
        "CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        "COMMENT ON TABLE app.events_2024 IS 'The year 2024'",
      ],
    },
  },
  {
    name: 'createPartition default, if not exists',
    op: {
      kind: 'createPartition',
      schema: 'app',
      table: 'events',
      partition: fallback,
      ifNotExists: true,
    },
    sql: {
      postgres: ['CREATE TABLE IF NOT EXISTS app.events_other PARTITION OF app.events DEFAULT'],
    },
    check: async (s) =>
      expect(await partitions(s)).toEqual([
        "events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        'events_other DEFAULT',
      ]),
  },
  {
    name: 'detachPartition',
    op: {
      kind: 'detachPartition',
      schema: 'app',
      table: 'events',
      partitionSchema: 'app',
      name: 'events_2024',
      definition: y2024,
    },
    sql: { postgres: ['ALTER TABLE app.events DETACH PARTITION app.events_2024'] },
    check: async (s) => expect(await partitions(s)).toEqual(['events_other DEFAULT']),
  },
  {
    name: 'attachPartition with another bound',
    op: {
      kind: 'attachPartition',
      schema: 'app',
      table: 'events',
      partition: { ...y2024, bound: { kind: 'range', from: ['MINVALUE'], to: ["'2025-01-01'"] } },
    },
    sql: {
      postgres: [
        "ALTER TABLE app.events ATTACH PARTITION app.events_2024 FOR VALUES FROM (MINVALUE) TO ('2025-01-01')",
      ],
    },
    check: async (s) =>
      expect(await partitions(s)).toEqual([
        "events_2024 FOR VALUES FROM (MINVALUE) TO ('2025-01-01')",
        'events_other DEFAULT',
      ]),
  },
  {
    name: 'dropPartition',
    op: {
      kind: 'dropPartition',
      schema: 'app',
      table: 'events',
      partitionSchema: 'app',
      name: 'events_other',
      ifExists: false,
      definition: fallback,
    },
    sql: { postgres: ['DROP TABLE app.events_other'] },
    check: async (s) =>
      expect(await partitions(s)).toEqual([
        "events_2024 FOR VALUES FROM (MINVALUE) TO ('2025-01-01')",
      ]),
  },
  {
    name: 'alterColumn collation (the type named again)',
    op: {
      kind: 'alterColumn',
      schema: 'app',
      table: 'events',
      column: 'code',
      changes: { collation: { to: 'POSIX', from: 'C', type: T.text } },
    },
    sql: { postgres: ['ALTER TABLE app.events ALTER COLUMN code TYPE text COLLATE "POSIX"'] },
    check: async (s) =>
      expect((await columnSql(s, 'app.events'))[2]).toBe('code text COLLATE POSIX'),
  },
  {
    name: 'createTable with an exclusion constraint',
    op: {
      kind: 'createTable',
      table: table('rooms', {
        schema: 'app',
        columns: [column('id', T.integer), column('booked', T.custom('tstzrange'))],
        exclusions: [
          {
            name: 'rooms_no_overlap',
            elements: [{ ...element('booked'), operator: '&&' }],
            method: 'gist',
            where: 'id > 0',
            include: [],
            deferrable: true,
            initiallyDeferred: false,
          },
        ],
      }),
      ifNotExists: false,
    },
    sql: {
      postgres: [
        'CREATE TABLE app.rooms (\n    id integer,\n    booked tstzrange,\n    CONSTRAINT rooms_no_overlap EXCLUDE USING gist (booked WITH &&) WHERE (id > 0) DEFERRABLE\n)',
      ],
    },
  },
  {
    name: 'createExclusionConstraint on an expression',
    op: {
      kind: 'createExclusionConstraint',
      schema: 'app',
      table: 'rooms',
      exclusion: {
        name: 'rooms_one_per_day',
        elements: [{ ...element({ expression: 'lower(booked)' }), operator: '=' }],
        method: undefined,
        where: undefined,
        include: [],
        deferrable: false,
        initiallyDeferred: false,
      },
    },
    sql: {
      postgres: [
        'ALTER TABLE app.rooms ADD CONSTRAINT rooms_one_per_day EXCLUDE ((lower(booked)) WITH =)',
      ],
    },
    check: async (s) =>
      expect(
        (
          await s.rows<{ t: string }>(
            `SELECT conname || ' ' || pg_get_constraintdef(oid) AS t FROM pg_constraint
              WHERE conrelid = 'app.rooms'::regclass AND contype = 'x' ORDER BY conname`,
          )
        ).map((r) => r.t),
      ).toEqual([
        'rooms_no_overlap EXCLUDE USING gist (booked WITH &&) WHERE ((id > 0)) DEFERRABLE',
        'rooms_one_per_day EXCLUDE USING btree (lower(booked) WITH =)',
      ]),
  },
  {
    name: 'dropTable of the partitioned table and its partitions',
    op: {
      kind: 'dropTable',
      schema: 'app',
      name: 'events',
      ifExists: false,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP TABLE app.events'] },
  },
  {
    name: 'dropTable of the table with exclusion constraints',
    op: {
      kind: 'dropTable',
      schema: 'app',
      name: 'rooms',
      ifExists: false,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP TABLE app.rooms'] },
  },
]
