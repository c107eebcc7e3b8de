import type { CompareResult } from '../../src/autogenerate/compare-result.ts'
import type { MigrationOp } from '../../src/operations/migration-op.ts'
import type {
  AggregateDef,
  EventTriggerDef,
  FunctionDef,
  SchemaSnapshot,
  TriggerDef,
  ViewDef,
} from '../../src/schema/schema-snapshot.ts'
import { functionDef, triggerDef, viewDef } from '../dialect/postgres-code-object-ddl-cases.ts'
import { column, NO_SCHEMA_OBJECTS, T, table } from '../support/snapshot-literals.ts'

/**
 * Renderer inputs for views, materialized views, functions, procedures, aggregates, triggers and
 * event triggers: compare results that the migration round trip renders and replays, and a
 * snapshot that `pull` writes as models.
 */

function result(...ops: readonly MigrationOp[]): CompareResult {
  return { changes: ops.map((op) => ({ op, warning: undefined })), manual: [], questions: [] }
}

const FILM = table('film', {
  columns: [
    column('film_id', T.integer, { nullable: false }),
    column('title', T.text, { nullable: false }),
    column('length', T.integer),
    column('last_update', T.timestamp(true), { nullable: false }),
  ],
  primaryKey: { name: 'film_pkey', columns: ['film_id'] },
})

const LAST_UPDATED = functionDef(
  'last_updated',
  'trigger',
  'plpgsql',
  'BEGIN NEW.last_update = CURRENT_TIMESTAMP; RETURN NEW; END',
)

const FILM_IN_STOCK = functionDef(
  'film_in_stock',
  'SETOF integer',
  'sql',
  '\n    SELECT inventory_id FROM inventory WHERE film_id = $1 AND store_id = $2\n',
  {
    parameters: [
      { mode: 'in', name: 'p_film_id', type: 'integer', default: undefined },
      { mode: 'in', name: 'p_store_id', type: 'integer', default: '1' },
      { mode: 'out', name: 'p_film_count', type: 'integer', default: undefined },
    ],
    volatility: 'stable',
    strict: true,
    leakproof: true,
    parallel: 'restricted',
    cost: 20,
    rows: 10,
    securityDefiner: true,
    settings: [
      { name: 'search_path', value: 'public, pg_temp' },
      { name: 'work_mem', value: '64MB' },
    ],
    comment: "Inventory of a film's copies in a store",
  },
)

const STEP = functionDef('_group_concat', 'text', 'sql', "SELECT $1 || ', ' || $2", {
  schema: 'reporting',
  parameters: [
    { mode: 'in', name: undefined, type: 'text', default: undefined },
    { mode: 'in', name: undefined, type: 'text', default: undefined },
  ],
  volatility: 'immutable',
})

const TOTAL: FunctionDef = functionDef('film_total', 'integer', 'sql', 'RETURN 1 + 1', {
  atomic: true,
})

const ARCHIVE: FunctionDef = {
  ...functionDef('archive_films', 'x', 'plpgsql', 'BEGIN DELETE FROM film WHERE length < n; END'),
  kind: 'procedure',
  returns: undefined,
  parameters: [{ mode: 'inout', name: 'n', type: 'integer', default: undefined }],
}

const GROUP_CONCAT: AggregateDef = {
  schema: 'reporting',
  name: 'group_concat',
  parameters: [{ mode: 'in', name: undefined, type: 'text', default: undefined }],
  stateFunction: { schema: 'reporting', name: '_group_concat' },
  stateType: 'text',
  finalFunction: { schema: undefined, name: 'upper' },
  combineFunction: undefined,
  initialCondition: '',
  parallel: 'safe',
  comment: 'Joins texts',
}

const FILM_LIST: ViewDef = viewDef(
  'film_list',
  'SELECT film.film_id AS fid,\n    film.title\n   FROM film',
  { checkOption: 'local', securityBarrier: true, securityInvoker: true, comment: 'Films' },
)

const LONG_FILMS: ViewDef = viewDef('long_films', 'SELECT fid, title FROM film_list', {
  schema: 'reporting',
})

const BY_LENGTH: ViewDef = viewDef(
  'films_by_length',
  'SELECT length, count(*) AS n FROM film GROUP BY length',
  {
    materialized: true,
    withData: false,
    indexes: [
      {
        name: 'films_by_length_length',
        elements: [
          {
            column: 'length',
            expression: undefined,
            order: 'desc',
            nulls: undefined,
            opclass: undefined,
          },
        ],
        unique: true,
        method: undefined,
        where: 'n > 1',
        include: ['n'],
      },
    ],
    comment: 'Counts',
  },
)

const TOUCH: TriggerDef = triggerDef('last_updated', 'film', 'last_updated', {
  timing: 'before',
  events: ['insert', 'update'],
  updateOf: ['title'],
  forEach: 'row',
  when: 'old.* IS DISTINCT FROM new.*',
  arguments: ['a', "it's"],
})

const AUDIT: TriggerDef = triggerDef('audit', 'film', 'log_changes', {
  events: ['delete'],
  function: { schema: 'audit', name: 'log.changes' },
  oldTable: 'gone',
})

const INSTEAD: TriggerDef = triggerDef('film_list_write', 'film_list', 'last_updated', {
  timing: 'instead of',
  events: ['insert'],
  forEach: 'row',
})

const LOG_DDL: EventTriggerDef = {
  name: 'log_ddl',
  event: 'ddl_command_end',
  tags: ['CREATE TABLE', 'DROP TABLE'],
  function: { schema: undefined, name: 'ddl_log' },
}

/** Migrations of every code object kind; their reverses cover the other direction. */
export const CODE_OBJECT_MIGRATION_CASES: Readonly<Record<string, CompareResult>> = {
  codeObjects: result(
    { kind: 'createFunction', function: LAST_UPDATED },
    { kind: 'createFunction', function: FILM_IN_STOCK },
    { kind: 'createFunction', function: TOTAL },
    { kind: 'createProcedure', procedure: ARCHIVE },
    { kind: 'createFunction', function: STEP },
    { kind: 'createAggregate', aggregate: GROUP_CONCAT },
    { kind: 'createView', view: FILM_LIST },
    { kind: 'createView', view: LONG_FILMS },
    { kind: 'createMaterializedView', view: BY_LENGTH },
    {
      kind: 'refreshMaterializedView',
      schema: undefined,
      name: 'films_by_length',
      concurrently: false,
      withData: false,
    },
    { kind: 'createTrigger', trigger: TOUCH },
    { kind: 'createTrigger', trigger: AUDIT },
    { kind: 'createEventTrigger', eventTrigger: LOG_DDL },
  ),
  codeObjectChanges: result(
    {
      kind: 'replaceView',
      view: { ...FILM_LIST, definition: `${FILM_LIST.definition}, film.length` },
      previous: FILM_LIST,
      addedColumns: ['length'],
    },
    {
      kind: 'replaceView',
      view: { ...BY_LENGTH, comment: undefined },
      previous: BY_LENGTH,
      addedColumns: [],
    },
    {
      kind: 'replaceFunction',
      function: { ...FILM_IN_STOCK, body: 'SELECT 1' },
      previous: FILM_IN_STOCK,
    },
    {
      kind: 'replaceProcedure',
      procedure: { ...ARCHIVE, securityDefiner: true },
      previous: ARCHIVE,
    },
    {
      kind: 'refreshMaterializedView',
      schema: 'reporting',
      name: 'sales',
      concurrently: true,
      withData: true,
    },
    {
      kind: 'dropFunction',
      schema: 'reporting',
      name: 'old_report',
      parameters: ['integer', 'text'],
      ifExists: true,
      cascade: true,
      definition: undefined,
    },
    {
      kind: 'dropTrigger',
      schema: 'audit',
      table: 'orders',
      name: 'audit',
      ifExists: true,
      cascade: false,
      definition: undefined,
    },
  ),
}

/** A database of every code object kind, for the models renderer. */
export const CODE_OBJECTS_SNAPSHOT: SchemaSnapshot = {
  tables: [FILM],
  enums: [],
  ...NO_SCHEMA_OBJECTS,
  // In the model DSL's order: by schema (the default one first), then name.
  views: [FILM_LIST, BY_LENGTH, LONG_FILMS],
  functions: [ARCHIVE, FILM_IN_STOCK, TOTAL, LAST_UPDATED, STEP],
  aggregates: [GROUP_CONCAT],
  triggers: [{ ...AUDIT, function: { schema: undefined, name: 'last_updated' } }, TOUCH, INSTEAD],
  eventTriggers: [{ ...LOG_DDL, function: { schema: undefined, name: 'last_updated' } }],
}
