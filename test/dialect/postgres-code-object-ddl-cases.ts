import { expect } from 'vitest'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type {
  AggregateDef,
  EventTriggerDef,
  FunctionDef,
  TriggerDef,
  ViewDef,
} from '../../src/schema/schema-snapshot.ts'
import { column, T, table } from '../support/snapshot-literals.ts'
import type { DialectSession } from './dialect-session.ts'

/**
 * The DDL compiler cases of views, materialized views, functions, procedures, aggregates,
 * triggers and event triggers, for postgres-ddl-compiler.test.ts: they run in its script, on the
 * `app` schema it made, and remove what they create.
 */
export interface CodeObjectDdlCase {
  readonly name: string
  readonly op: MigrationOp
  readonly sql: { readonly postgres: readonly string[] }
  readonly check?: (s: DialectSession) => Promise<void>
}

/** A plain view of `definition`, nothing else set. */
export function viewDef(name: string, definition: string, extra: Partial<ViewDef> = {}): ViewDef {
  return {
    schema: undefined,
    name,
    materialized: false,
    definition,
    checkOption: undefined,
    securityBarrier: false,
    securityInvoker: false,
    withData: true,
    indexes: [],
    comment: undefined,
    columns: [],
    dependsOn: [],
    ...extra,
  }
}

/** A volatile function of `body`, nothing else set. */
export function functionDef(
  name: string,
  returns: string,
  language: string,
  body: string,
  extra: Partial<FunctionDef> = {},
): FunctionDef {
  return {
    schema: undefined,
    name,
    kind: 'function',
    parameters: [],
    returns,
    language,
    body,
    atomic: false,
    volatility: 'volatile',
    strict: false,
    securityDefiner: false,
    leakproof: false,
    parallel: 'unsafe',
    cost: undefined,
    rows: undefined,
    settings: [],
    comment: undefined,
    ...extra,
  }
}

/** A statement-level trigger, nothing else set. */
export function triggerDef(
  name: string,
  on: string,
  fn: string,
  extra: Partial<TriggerDef> = {},
): TriggerDef {
  return {
    schema: undefined,
    table: on,
    name,
    timing: 'after',
    events: ['insert'],
    updateOf: [],
    forEach: 'statement',
    when: undefined,
    function: { schema: undefined, name: fn },
    arguments: [],
    oldTable: undefined,
    newTable: undefined,
    ...extra,
  }
}

const films = table('films', {
  schema: 'app',
  columns: [
    column('id', T.integer, { nullable: false }),
    column('title', T.text),
    column('length', T.integer),
    column('last_update', T.timestamp(true)),
  ],
})

const longFilms = viewDef('long_films', 'SELECT id, title FROM app.films WHERE length > 100', {
  schema: 'app',
  checkOption: 'cascaded',
  securityBarrier: true,
  comment: 'Films over 100 minutes',
})

const byLength = viewDef(
  'films_by_length',
  'SELECT length, count(*) AS n FROM app.films GROUP BY length',
  {
    schema: 'app',
    materialized: true,
    withData: false,
    indexes: [
      {
        name: 'films_by_length_length',
        elements: [
          {
            column: 'length',
            expression: undefined,
            order: undefined,
            nulls: undefined,
            opclass: undefined,
          },
        ],
        unique: true,
        method: undefined,
        where: undefined,
        include: [],
      },
    ],
    comment: 'Counts by length',
  },
)

const touch = functionDef(
  'touch',
  'trigger',
  'plpgsql',
  '\nBEGIN\n  NEW.last_update := now();\n  RETURN NEW;\nEND\n',
  { schema: 'app', settings: [{ name: 'search_path', value: 'app, pg_temp' }] },
)

const filmCount = functionDef(
  'film_count',
  'bigint',
  'sql',
  'SELECT count(*) FROM app.films WHERE length >= $1',
  {
    schema: 'app',
    parameters: [
      { mode: 'in', name: 'min_length', type: 'integer', default: '0' },
      { mode: 'out', name: 'n', type: 'bigint', default: undefined },
    ],
    volatility: 'stable',
    strict: true,
    parallel: 'safe',
    cost: 10,
    comment: 'How many films are that long',
  },
)

const concat: FunctionDef = functionDef(
  'concat_step',
  'text',
  'sql',
  "SELECT CASE WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END",
  { schema: 'app', parameters: ['text', 'text'].map(inParameter), volatility: 'immutable' },
)

const listAll: AggregateDef = {
  schema: 'app',
  name: 'list_all',
  parameters: [inParameter('text')],
  stateFunction: { schema: 'app', name: 'concat_step' },
  stateType: 'text',
  finalFunction: undefined,
  combineFunction: undefined,
  initialCondition: undefined,
  parallel: 'unsafe',
  comment: 'Joins texts with commas',
}

const archive: FunctionDef = {
  ...functionDef(
    'archive_films',
    '',
    'plpgsql',
    ' BEGIN DELETE FROM app.films WHERE length < shorter; END ',
  ),
  kind: 'procedure',
  schema: 'app',
  returns: undefined,
  parameters: [{ mode: 'in', name: 'shorter', type: 'integer', default: undefined }],
  securityDefiner: true,
}

const touchFilms = triggerDef('films_touch', 'films', 'touch', {
  schema: 'app',
  timing: 'before',
  events: ['insert', 'update'],
  updateOf: ['title', 'length'],
  forEach: 'row',
  when: 'new.title IS NOT NULL',
  function: { schema: 'app', name: 'touch' },
  arguments: ["it's", 'b'],
})

const noteDdl = functionDef('note_ddl', 'event_trigger', 'plpgsql', ' BEGIN NULL; END ', {
  schema: 'app',
})

const onDdl: EventTriggerDef = {
  name: 'app_ddl',
  event: 'ddl_command_end',
  tags: ['CREATE TABLE', 'DROP TABLE'],
  function: { schema: 'app', name: 'note_ddl' },
}

function inParameter(type: string) {
  return { mode: 'in', name: undefined, type, default: undefined } as const
}

async function texts(s: DialectSession, sql: string): Promise<string[]> {
  return (await s.rows<{ t: string }>(sql)).map((r) => r.t)
}

const drop = { ifExists: false, cascade: false } as const

export const CODE_OBJECT_DDL_CASES: readonly CodeObjectDdlCase[] = [
  {
    name: 'createTable for views and triggers',
    op: { kind: 'createTable', table: films, ifNotExists: false },
    sql: {
      postgres: [
        'CREATE TABLE app.films (\n    id integer NOT NULL,\n    title text,\n    length integer,\n    last_update timestamp with time zone\n)',
      ],
    },
  },
  {
    name: 'createView with options and a comment',
    op: { kind: 'createView', view: longFilms },
    sql: {
      postgres: [
        'CREATE VIEW app.long_films WITH (check_option = cascaded, security_barrier = true) AS\nSELECT id, title FROM app.films WHERE length > 100',
        "COMMENT ON VIEW app.long_films IS 'Films over 100 minutes'",
      ],
    },
    check: async (s) =>
      expect(
        await texts(
          s,
          `SELECT array_to_string(reloptions, ',') || ' ' || obj_description(oid, 'pg_class') AS t FROM pg_class WHERE oid = 'app.long_films'::regclass`,
        ),
      ).toEqual(['check_option=cascaded,security_barrier=true Films over 100 minutes']),
  },
  {
    name: 'replaceView adding a column, options and comment gone',
    op: {
      kind: 'replaceView',
      view: viewDef('long_films', 'SELECT id, title, length FROM app.films WHERE length > 100', {
        schema: 'app',
      }),
      previous: longFilms,
      addedColumns: ['length'],
    },
    sql: {
      postgres: [
        'CREATE OR REPLACE VIEW app.long_films AS\nSELECT id, title, length FROM app.films WHERE length > 100',
        'COMMENT ON VIEW app.long_films IS NULL',
      ],
    },
    check: async (s) =>
      expect(
        await texts(
          s,
          `SELECT coalesce(array_to_string(reloptions, ','), '-') || ' ' || coalesce(obj_description(oid, 'pg_class'), '-') || ' ' || relnatts AS t FROM pg_class WHERE oid = 'app.long_films'::regclass`,
        ),
      ).toEqual(['- - 3']),
  },
  {
    name: 'dropView',
    op: { kind: 'dropView', schema: 'app', name: 'long_films', ...drop, definition: longFilms },
    sql: { postgres: ['DROP VIEW app.long_films'] },
  },
  {
    name: 'createMaterializedView with no data, an index and a comment',
    op: { kind: 'createMaterializedView', view: byLength },
    sql: {
      postgres: [
        'CREATE MATERIALIZED VIEW app.films_by_length AS\nSELECT length, count(*) AS n FROM app.films GROUP BY length\nWITH NO DATA',
        'CREATE UNIQUE INDEX films_by_length_length ON app.films_by_length (length)',
        "COMMENT ON MATERIALIZED VIEW app.films_by_length IS 'Counts by length'",
      ],
    },
    check: async (s) =>
      expect(
        await texts(
          s,
          `SELECT relispopulated::text AS t FROM pg_class WHERE oid = 'app.films_by_length'::regclass`,
        ),
      ).toEqual(['false']),
  },
  {
    name: 'refreshMaterializedView',
    op: {
      kind: 'refreshMaterializedView',
      schema: 'app',
      name: 'films_by_length',
      concurrently: false,
      withData: true,
    },
    sql: { postgres: ['REFRESH MATERIALIZED VIEW app.films_by_length'] },
  },
  {
    name: 'renameView of a materialized view, and back: its rows stay',
    op: {
      kind: 'renameView',
      schema: 'app',
      from: 'films_by_length',
      to: 'Films By Length',
      materialized: true,
    },
    sql: { postgres: ['ALTER MATERIALIZED VIEW app.films_by_length RENAME TO "Films By Length"'] },
    check: async (s) => {
      const count = 'SELECT count(*)::int AS n FROM app."Films By Length"'
      expect(await s.rows(count)).toEqual([{ n: expect.any(Number) }])
      await s.rows('ALTER MATERIALIZED VIEW app."Films By Length" RENAME TO films_by_length')
    },
  },
  {
    name: 'refreshMaterializedView concurrently',
    op: {
      kind: 'refreshMaterializedView',
      schema: 'app',
      name: 'films_by_length',
      concurrently: true,
      withData: true,
    },
    sql: { postgres: ['REFRESH MATERIALIZED VIEW CONCURRENTLY app.films_by_length'] },
  },
  {
    name: 'replaceView of a materialized view: its comment',
    op: {
      kind: 'replaceView',
      view: { ...byLength, comment: undefined },
      previous: byLength,
      addedColumns: [],
    },
    sql: { postgres: ['COMMENT ON MATERIALIZED VIEW app.films_by_length IS NULL'] },
  },
  {
    name: 'dropMaterializedView',
    op: {
      kind: 'dropMaterializedView',
      schema: 'app',
      name: 'films_by_length',
      ...drop,
      definition: byLength,
    },
    sql: { postgres: ['DROP MATERIALIZED VIEW app.films_by_length'] },
  },
  {
    name: 'createFunction in PL/pgSQL with a setting',
    op: { kind: 'createFunction', function: touch },
    sql: {
      postgres: [
        'CREATE FUNCTION app.touch()\n RETURNS trigger\n LANGUAGE plpgsql\n SET search_path = app, pg_temp\nAS $function$\nBEGIN\n  NEW.last_update := now();\n  RETURN NEW;\nEND\n$function$',
      ],
    },
    check: async (s) =>
      expect(
        await texts(
          s,
          `SELECT array_to_string(proconfig, ';') AS t FROM pg_proc WHERE proname = 'touch'`,
        ),
      ).toEqual(['search_path=app, pg_temp']),
  },
  {
    name: 'createFunction in SQL with a default, an OUT parameter, options and a comment',
    op: { kind: 'createFunction', function: filmCount },
    sql: {
      postgres: [
        'SET LOCAL check_function_bodies = off',
        'CREATE FUNCTION app.film_count(min_length integer DEFAULT 0, OUT n bigint)\n RETURNS bigint\n LANGUAGE sql\n STABLE STRICT PARALLEL SAFE COST 10\nAS $function$SELECT count(*) FROM app.films WHERE length >= $1$function$',
        "COMMENT ON FUNCTION app.film_count(integer) IS 'How many films are that long'",
      ],
    },
    check: async (s) =>
      expect(
        await texts(s, `SELECT pg_get_function_arguments('app.film_count'::regproc) AS t`),
      ).toEqual(['min_length integer DEFAULT 0, OUT n bigint']),
  },
  {
    name: 'replaceFunction',
    op: {
      kind: 'replaceFunction',
      function: {
        ...filmCount,
        body: 'SELECT count(*) FROM app.films WHERE length > $1',
        comment: undefined,
      },
      previous: filmCount,
    },
    sql: {
      postgres: [
        'SET LOCAL check_function_bodies = off',
        'CREATE OR REPLACE FUNCTION app.film_count(min_length integer DEFAULT 0, OUT n bigint)\n RETURNS bigint\n LANGUAGE sql\n STABLE STRICT PARALLEL SAFE COST 10\nAS $function$SELECT count(*) FROM app.films WHERE length > $1$function$',
        'COMMENT ON FUNCTION app.film_count(integer) IS NULL',
      ],
    },
    check: async (s) =>
      expect(
        await texts(s, `SELECT prosrc AS t FROM pg_proc WHERE proname = 'film_count'`),
      ).toEqual(['SELECT count(*) FROM app.films WHERE length > $1']),
  },
  {
    name: 'dropFunction by signature',
    op: {
      kind: 'dropFunction',
      schema: 'app',
      name: 'film_count',
      parameters: ['integer'],
      ...drop,
      definition: filmCount,
    },
    sql: { postgres: ['DROP FUNCTION app.film_count(integer)'] },
  },
  {
    name: 'createProcedure',
    op: { kind: 'createProcedure', procedure: archive },
    sql: {
      postgres: [
        'CREATE PROCEDURE app.archive_films(shorter integer)\n LANGUAGE plpgsql\n SECURITY DEFINER\nAS $function$ BEGIN DELETE FROM app.films WHERE length < shorter; END $function$',
      ],
    },
  },
  {
    name: 'replaceProcedure',
    op: {
      kind: 'replaceProcedure',
      procedure: { ...archive, securityDefiner: false },
      previous: archive,
    },
    sql: {
      postgres: [
        'CREATE OR REPLACE PROCEDURE app.archive_films(shorter integer)\n LANGUAGE plpgsql\nAS $function$ BEGIN DELETE FROM app.films WHERE length < shorter; END $function$',
        'COMMENT ON PROCEDURE app.archive_films(integer) IS NULL',
      ],
    },
  },
  {
    name: 'dropProcedure by name',
    op: {
      kind: 'dropProcedure',
      schema: 'app',
      name: 'archive_films',
      parameters: undefined,
      ifExists: true,
      cascade: false,
      definition: undefined,
    },
    sql: { postgres: ['DROP PROCEDURE IF EXISTS app.archive_films'] },
  },
  {
    name: 'createFunction: an aggregate state function',
    op: { kind: 'createFunction', function: concat },
    sql: {
      postgres: [
        'SET LOCAL check_function_bodies = off',
        "CREATE FUNCTION app.concat_step(text, text)\n RETURNS text\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT CASE WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END$function$",
      ],
    },
  },
  {
    name: 'createAggregate',
    op: { kind: 'createAggregate', aggregate: listAll },
    sql: {
      postgres: [
        'CREATE AGGREGATE app.list_all(text) (\n  SFUNC = app.concat_step,\n  STYPE = text\n)',
        "COMMENT ON AGGREGATE app.list_all(text) IS 'Joins texts with commas'",
      ],
    },
    check: async (s) =>
      expect(await texts(s, `SELECT app.list_all(x) AS t FROM (VALUES ('a'), ('b')) v(x)`)).toEqual(
        ['a, b'],
      ),
  },
  {
    name: 'dropAggregate',
    op: {
      kind: 'dropAggregate',
      schema: 'app',
      name: 'list_all',
      parameters: ['text'],
      ...drop,
      definition: listAll,
    },
    sql: { postgres: ['DROP AGGREGATE app.list_all(text)'] },
  },
  {
    name: 'createTrigger: before, update of columns, row, when, arguments',
    op: { kind: 'createTrigger', trigger: touchFilms },
    sql: {
      postgres: [
        "CREATE TRIGGER films_touch BEFORE INSERT OR UPDATE OF title, length ON app.films FOR EACH ROW WHEN (new.title IS NOT NULL) EXECUTE FUNCTION app.touch('it''s', 'b')",
      ],
    },
    check: async (s) =>
      expect(
        await texts(
          s,
          `SELECT pg_get_triggerdef(oid, true) AS t FROM pg_trigger WHERE tgname = 'films_touch'`,
        ),
      ).toEqual([
        "CREATE TRIGGER films_touch BEFORE INSERT OR UPDATE OF title, length ON app.films FOR EACH ROW WHEN (new.title IS NOT NULL) EXECUTE FUNCTION app.touch('it''s', 'b')",
      ]),
  },
  {
    name: 'dropTrigger',
    op: {
      kind: 'dropTrigger',
      schema: 'app',
      table: 'films',
      name: 'films_touch',
      ...drop,
      definition: touchFilms,
    },
    sql: { postgres: ['DROP TRIGGER films_touch ON app.films'] },
  },
  {
    name: 'createFunction for an event trigger',
    op: { kind: 'createFunction', function: noteDdl },
    sql: {
      postgres: [
        'CREATE FUNCTION app.note_ddl()\n RETURNS event_trigger\n LANGUAGE plpgsql\nAS $function$ BEGIN NULL; END $function$',
      ],
    },
  },
  {
    name: 'createEventTrigger',
    op: { kind: 'createEventTrigger', eventTrigger: onDdl },
    sql: {
      postgres: [
        "CREATE EVENT TRIGGER app_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') EXECUTE FUNCTION app.note_ddl()",
      ],
    },
  },
  {
    name: 'dropEventTrigger',
    op: { kind: 'dropEventTrigger', name: 'app_ddl', ...drop, definition: onDdl },
    sql: { postgres: ['DROP EVENT TRIGGER app_ddl'] },
  },
  {
    name: 'dropTable after views and triggers',
    op: { kind: 'dropTable', schema: 'app', name: 'films', ...drop, definition: films },
    sql: { postgres: ['DROP TABLE app.films'] },
  },
]
