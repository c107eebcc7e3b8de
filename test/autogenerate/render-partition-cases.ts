import type { CompareResult } from '../../src/autogenerate/compare-result.ts'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type {
  ExclusionDef,
  PartitionDef,
  SchemaSnapshot,
  TableDef,
} from '../../src/schema/schema-snapshot.ts'
import { column, element, NO_SCHEMA_OBJECTS, T, table } from '../support/snapshot-literals.ts'

/**
 * Renderer inputs for partitioned tables, partitions, exclusion constraints, generated columns and
 * collations: compare results that the migration round trip renders and replays, and a snapshot
 * that `pull` writes as models.
 */

function result(...ops: readonly MigrationOp[]): CompareResult {
  return { changes: ops.map((op) => ({ op, warning: undefined })), manual: [], questions: [] }
}

/** `payment`, partitioned by month on its date, with a generated and a collated column. */
export const PAYMENT: TableDef = table('payment', {
  columns: [
    column('payment_id', T.integer, { nullable: false }),
    column('amount', T.numeric(5, 2), { nullable: false }),
    column('payment_date', T.timestamp(true), { nullable: false }),
    column('reference', T.text, { collation: 'C' }),
    column('amount_cents', T.integer, { generated: '(amount * (100)::numeric)::integer' }),
  ],
  primaryKey: { name: 'payment_pkey', columns: ['payment_date', 'payment_id'] },
  comment: 'One row per payment, partitioned by month',
  partitionBy: { strategy: 'range', elements: ['payment_date'] },
})

const JANUARY: PartitionDef = {
  schema: undefined,
  name: 'payment_p2022_01',
  bound: { kind: 'range', from: ["'2022-01-01 00:00:00+00'"], to: ["'2022-02-01 00:00:00+00'"] },
  comment: 'January 2022',
}
const BEFORE: PartitionDef = {
  schema: 'archive',
  name: 'payment_before',
  bound: { kind: 'range', from: ['MINVALUE'], to: ["'2022-01-01 00:00:00+00'"] },
  comment: undefined,
}
const REST: PartitionDef = {
  schema: undefined,
  name: 'payment_default',
  bound: { kind: 'default' },
  comment: undefined,
}

/** `booking`: a room may not be booked twice over the same period. */
const NO_OVERLAP: ExclusionDef = {
  name: 'booking_no_overlap',
  elements: [
    { ...element('room_id'), operator: '=' },
    { ...element('during'), operator: '&&' },
  ],
  method: 'gist',
  where: 'NOT cancelled',
  include: [],
  deferrable: false,
  initiallyDeferred: false,
}
const ONE_PER_DAY: ExclusionDef = {
  name: 'booking_one_start_per_day',
  elements: [{ ...element({ expression: 'lower(during)', order: 'desc' }), operator: '=' }],
  method: undefined,
  where: undefined,
  include: ['room_id'],
  deferrable: true,
  initiallyDeferred: true,
}
export const BOOKING: TableDef = table('booking', {
  columns: [
    column('id', T.integer, { nullable: false }),
    column('room_id', T.integer, { nullable: false }),
    column('during', T.custom('tstzrange'), { nullable: false }),
    column('cancelled', T.boolean, { nullable: false }),
  ],
  primaryKey: { name: 'booking_pkey', columns: ['id'] },
  exclusions: [NO_OVERLAP],
})

export const PARTITION_MIGRATION_CASES: Readonly<Record<string, CompareResult>> = {
  partitionedTables: result(
    { kind: 'createTable', table: PAYMENT, ifNotExists: false },
    {
      kind: 'createPartition',
      schema: undefined,
      table: 'payment',
      partition: JANUARY,
      ifNotExists: false,
    },
    {
      kind: 'createPartition',
      schema: undefined,
      table: 'payment',
      partition: BEFORE,
      ifNotExists: true,
    },
    {
      kind: 'createPartition',
      schema: undefined,
      table: 'payment',
      partition: REST,
      ifNotExists: false,
    },
    { kind: 'createTable', table: BOOKING, ifNotExists: false },
    {
      kind: 'createExclusionConstraint',
      schema: undefined,
      table: 'booking',
      exclusion: ONE_PER_DAY,
    },
  ),
  partitionChanges: result(
    {
      kind: 'detachPartition',
      schema: undefined,
      table: 'payment',
      partitionSchema: undefined,
      name: 'payment_p2022_01',
      definition: JANUARY,
    },
    {
      kind: 'attachPartition',
      schema: undefined,
      table: 'payment',
      partition: {
        ...JANUARY,
        bound: { kind: 'list', values: ["'2022-01-15'", 'NULL', '7'] },
        comment: undefined,
      },
    },
    {
      kind: 'dropPartition',
      schema: undefined,
      table: 'payment',
      partitionSchema: 'archive',
      name: 'payment_before',
      ifExists: false,
      definition: BEFORE,
    },
    {
      kind: 'createPartition',
      schema: 'billing',
      table: 'events',
      partition: {
        schema: undefined,
        name: 'events_h0',
        bound: { kind: 'hash', modulus: 4, remainder: 0 },
        comment: undefined,
      },
      ifNotExists: false,
    },
    {
      kind: 'dropConstraint',
      schema: undefined,
      table: 'booking',
      name: 'booking_one_start_per_day',
      ifExists: false,
      cascade: false,
      definition: { type: 'exclusion', definition: ONE_PER_DAY },
    },
    {
      kind: 'alterColumn',
      schema: undefined,
      table: 'payment',
      column: 'reference',
      changes: { collation: { to: null, from: 'C', type: T.text } },
    },
    {
      kind: 'alterColumn',
      schema: undefined,
      table: 'payment',
      column: 'reference',
      changes: {
        type: { to: T.varchar(40), from: T.text },
        collation: { to: 'POSIX', from: 'C', type: T.varchar(40) },
      },
    },
  ),
}

/** What `pull` reads from a database holding {@link PARTITION_MIGRATION_CASES}' first case. */
export const PARTITIONED_SNAPSHOT: SchemaSnapshot = {
  tables: [BOOKING, { ...PAYMENT, partitions: [REST, JANUARY, BEFORE] }],
  enums: [],
  ...NO_SCHEMA_OBJECTS,
}
