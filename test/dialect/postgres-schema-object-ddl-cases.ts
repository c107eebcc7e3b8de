import { expect } from 'vitest'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type { CompositeTypeDef, DomainDef, SequenceDef } from '../../src/schema/schema-snapshot.ts'
import { sequenceDef, T } from '../support/snapshot-literals.ts'
import type { DialectSession } from './dialect-session.ts'

/**
 * The DDL compiler cases of sequences, domains, composite types and extensions, for
 * postgres-ddl-compiler.test.ts: they run in its script, on the `app` schema it made, and remove
 * what they create. Extensions run only as no-ops (plpgsql exists everywhere, PGlite has no
 * other); extensions.test.ts creates real ones on the server.
 */
export interface SchemaObjectDdlCase {
  readonly name: string
  readonly op: MigrationOp
  readonly sql: { readonly postgres: readonly string[] }
  readonly check?: (s: DialectSession) => Promise<void>
}

const counter: SequenceDef = {
  schema: 'app',
  name: 'counter',
  dataType: 'integer',
  start: 10,
  increment: 5,
  minValue: 10,
  maxValue: 1000,
  cache: 20,
  cycle: true,
  ownedBy: undefined,
}

const plain: SequenceDef = sequenceDef('plain_seq')

const email: DomainDef = {
  schema: 'app',
  name: 'email',
  type: T.varchar(200),
  default: { kind: 'literal', value: 'nobody@example.com' },
  notNull: true,
  checks: [{ name: 'email_at', expression: "VALUE ~ '@'" }],
}

const address: CompositeTypeDef = {
  schema: 'app',
  name: 'address',
  attributes: [
    { name: 'street', type: T.text },
    { name: 'zip', type: T.varchar(10) },
    { name: 'contact', type: T.custom('app.email') },
  ],
}

/** One row per sequence of `app` and public's `plain_seq`, with every option. */
async function sequences(s: DialectSession): Promise<string[]> {
  const rows = await s.rows<{ t: string }>(
    `SELECT format('%s %s %s %s %s %s %s %s %s', c.oid::regclass, format_type(q.seqtypid, NULL),
            q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle,
            COALESCE((SELECT d.refobjid::regclass || '.' || a.attname FROM pg_depend d
                        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                       WHERE d.objid = c.oid AND d.deptype = 'a'), '-')) AS t
       FROM pg_sequence q JOIN pg_class c ON c.oid = q.seqrelid
      WHERE c.relname IN ('counter', 'tally', 'plain_seq') ORDER BY 1`,
  )
  return rows.map((r) => r.t)
}

/** The domain's base type, default, NOT NULL and checks. */
async function domain(s: DialectSession): Promise<string[]> {
  const rows = await s.rows<{ t: string }>(
    `SELECT format('%s %s %s %s %s', t.oid::regtype, format_type(t.typbasetype, t.typtypmod),
            pg_get_expr(t.typdefaultbin, 0), t.typnotnull,
            (SELECT string_agg(k.conname || ' ' || pg_get_constraintdef(k.oid), ', ' ORDER BY k.conname)
               FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c')) AS t
       FROM pg_type t WHERE t.typtype = 'd' AND t.typname = 'email'`,
  )
  return rows.map((r) => r.t)
}

async function exists(s: DialectSession, name: string): Promise<boolean> {
  const rows = await s.rows<{ t: string | null }>('SELECT to_regtype($1)::text AS t', [name])
  return rows[0]?.t !== null
}

export const SCHEMA_OBJECT_DDL_CASES: readonly SchemaObjectDdlCase[] = [
  {
    name: 'createSequence with every option',
    op: { kind: 'createSequence', sequence: counter, ifNotExists: false },
    sql: {
      postgres: [
        'CREATE SEQUENCE app.counter AS integer INCREMENT BY 5 MINVALUE 10 MAXVALUE 1000 START WITH 10 CACHE 20 CYCLE',
      ],
    },
    check: async (s) =>
      expect(await sequences(s)).toEqual(['app.counter integer 10 5 10 1000 20 t -']),
  },
  {
    name: 'createSequence with the defaults, if not exists',
    op: { kind: 'createSequence', sequence: plain, ifNotExists: true },
    sql: { postgres: ['CREATE SEQUENCE IF NOT EXISTS plain_seq'] },
  },
  {
    name: 'alterSequence: every option back to the default, and an owner',
    op: {
      kind: 'alterSequence',
      schema: 'app',
      name: 'counter',
      changes: {
        dataType: { to: undefined, from: 'integer' },
        increment: { to: undefined, from: 5 },
        minValue: { to: undefined, from: 10 },
        maxValue: { to: undefined, from: 1000 },
        start: { to: 1, from: 10 },
        cache: { to: undefined, from: 20 },
        cycle: { to: false, from: true },
        ownedBy: { to: { table: 'teams', column: 'id' }, from: undefined },
      },
    },
    sql: {
      postgres: [
        'ALTER SEQUENCE app.counter AS bigint INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE OWNED BY app.teams.id',
      ],
    },
    check: async (s) =>
      expect(await sequences(s)).toEqual([
        'app.counter bigint 1 1 1 9223372036854775807 1 f app.teams.id',
        'plain_seq bigint 1 1 1 9223372036854775807 1 f -',
      ]),
  },
  {
    name: 'alterSequence: bounds, start and cache, no owner',
    op: {
      kind: 'alterSequence',
      schema: 'app',
      name: 'counter',
      changes: {
        minValue: { to: -5, from: undefined },
        maxValue: { to: 500, from: undefined },
        start: { to: 1, from: 1 },
        cache: { to: 3, from: undefined },
        ownedBy: { to: undefined, from: { table: 'teams', column: 'id' } },
      },
    },
    sql: {
      postgres: [
        'ALTER SEQUENCE app.counter MINVALUE -5 MAXVALUE 500 START WITH 1 CACHE 3 OWNED BY NONE',
      ],
    },
    check: async (s) => expect(await sequences(s)).toContain('app.counter bigint 1 1 -5 500 3 f -'),
  },
  {
    name: 'alterSequence with no change',
    op: { kind: 'alterSequence', schema: 'app', name: 'counter', changes: {} },
    sql: { postgres: [] },
  },
  {
    name: 'renameSequence',
    op: { kind: 'renameSequence', schema: 'app', from: 'counter', to: 'tally' },
    sql: { postgres: ['ALTER SEQUENCE app.counter RENAME TO tally'] },
  },
  {
    name: 'dropSequence',
    op: {
      kind: 'dropSequence',
      schema: 'app',
      name: 'tally',
      ifExists: false,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP SEQUENCE app.tally'] },
  },
  {
    name: 'dropSequence if exists, cascade',
    op: {
      kind: 'dropSequence',
      schema: undefined,
      name: 'plain_seq',
      ifExists: true,
      cascade: true,
      definition: plain,
    },
    sql: { postgres: ['DROP SEQUENCE IF EXISTS plain_seq CASCADE'] },
    check: async (s) => expect(await sequences(s)).toEqual([]),
  },
  {
    name: 'createDomain with a default, NOT NULL and a check',
    op: { kind: 'createDomain', domain: email },
    sql: {
      postgres: [
        "CREATE DOMAIN app.email AS character varying(200) DEFAULT 'nobody@example.com' NOT NULL CONSTRAINT email_at CHECK (VALUE ~ '@')",
      ],
    },
    check: async (s) =>
      expect(await domain(s)).toEqual([
        "app.email character varying(200) 'nobody@example.com'::character varying t email_at CHECK (((VALUE)::text ~ '@'::text))",
      ]),
  },
  {
    name: 'alterDomain: drop a check, the default and NOT NULL, add a check',
    op: {
      kind: 'alterDomain',
      schema: 'app',
      name: 'email',
      changes: {
        dropChecks: [{ name: 'email_at' }],
        default: { to: null },
        notNull: { to: false },
        addChecks: [{ name: 'email_short', expression: 'length(VALUE) < 100' }],
      },
    },
    sql: {
      postgres: [
        'ALTER DOMAIN app.email DROP CONSTRAINT email_at',
        'ALTER DOMAIN app.email DROP DEFAULT',
        'ALTER DOMAIN app.email DROP NOT NULL',
        'ALTER DOMAIN app.email ADD CONSTRAINT email_short CHECK (length(VALUE) < 100)',
      ],
    },
    check: async (s) =>
      expect(await domain(s)).toEqual([
        'app.email character varying(200)  f email_short CHECK ((length((VALUE)::text) < 100))',
      ]),
  },
  {
    name: 'alterDomain: set the default and NOT NULL',
    op: {
      kind: 'alterDomain',
      schema: 'app',
      name: 'email',
      changes: { default: { to: { kind: 'sql', sql: "'x@y'" } }, notNull: { to: true } },
    },
    sql: {
      postgres: ["ALTER DOMAIN app.email SET DEFAULT 'x@y'", 'ALTER DOMAIN app.email SET NOT NULL'],
    },
  },
  {
    name: 'createCompositeType, one attribute of a domain',
    op: { kind: 'createCompositeType', type: address },
    sql: {
      postgres: [
        'CREATE TYPE app.address AS (\n    street text,\n    zip character varying(10),\n    contact app.email\n)',
      ],
    },
    check: async (s) => expect(await exists(s, 'app.address')).toBe(true),
  },
  {
    name: 'alterCompositeType: drop one attribute, add two, in one statement',
    op: {
      kind: 'alterCompositeType',
      schema: 'app',
      name: 'address',
      dropAttributes: [{ name: 'zip' }],
      addAttributes: [
        { name: 'city', type: T.text },
        { name: 'Country Code', type: T.varchar(2) },
      ],
    },
    sql: {
      postgres: [
        'ALTER TYPE app.address DROP ATTRIBUTE zip, ADD ATTRIBUTE city text, ADD ATTRIBUTE "Country Code" character varying(2)',
      ],
    },
    check: async (s) =>
      expect(
        await s.rows(
          "SELECT attname FROM pg_attribute WHERE attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'app.address'::regtype) AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
        ),
      ).toEqual([
        { attname: 'street' },
        { attname: 'contact' },
        { attname: 'city' },
        { attname: 'Country Code' },
      ]),
  },
  {
    name: 'renameType of a composite type, and back',
    op: { kind: 'renameType', schema: 'app', from: 'address', to: 'Postal Address' },
    sql: { postgres: ['ALTER TYPE app.address RENAME TO "Postal Address"'] },
    check: async (s) => {
      expect(await exists(s, 'app."Postal Address"')).toBe(true)
      await s.rows('ALTER TYPE app."Postal Address" RENAME TO address')
    },
  },
  {
    name: 'dropCompositeType',
    op: {
      kind: 'dropCompositeType',
      schema: 'app',
      name: 'address',
      ifExists: false,
      cascade: false,
      definition: address,
    },
    sql: { postgres: ['DROP TYPE app.address'] },
    check: async (s) => expect(await exists(s, 'app.address')).toBe(false),
  },
  {
    name: 'dropDomain if exists',
    op: {
      kind: 'dropDomain',
      schema: 'app',
      name: 'email',
      ifExists: true,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP DOMAIN IF EXISTS app.email'] },
    check: async (s) => expect(await domain(s)).toEqual([]),
  },
  {
    name: 'createExtension if not exists (plpgsql: installed everywhere)',
    op: {
      kind: 'createExtension',
      extension: { name: 'plpgsql', schema: undefined, version: undefined },
      ifNotExists: true,
    },
    sql: { postgres: ['CREATE EXTENSION IF NOT EXISTS plpgsql'] },
  },
  {
    name: 'dropExtension if exists, cascade (missing: skipped)',
    op: {
      kind: 'dropExtension',
      name: 'aludel_missing',
      ifExists: true,
      cascade: true,
      definition: undefined,
    },
    sql: { postgres: ['DROP EXTENSION IF EXISTS aludel_missing CASCADE'] },
  },
]
