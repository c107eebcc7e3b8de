import { describe, expect, it } from 'vitest'
import type {
  FunctionDef,
  SchemaSnapshot,
  TableDef,
  TriggerDef,
  ViewDef,
} from '../../src/schema/schema-snapshot.ts'
import { functionDef, triggerDef, viewDef } from '../dialect/postgres-code-object-ddl-cases.ts'
import {
  column,
  index as indexDef,
  NO_SCHEMA_OBJECTS,
  T,
  table,
} from '../support/snapshot-literals.ts'
import { compareChecked, kindsOf, onlyOp, opsOf } from './compare-helpers.ts'

/**
 * Comparing views, functions, aggregates and triggers, through the op simulator: each result must
 * apply to the database as PostgreSQL would allow (what uses an object goes first and comes back
 * after), reach the models, and reverse to the database.
 */

const film = table('film', {
  columns: [
    column('film_id', T.integer, { nullable: false }),
    column('title', T.text),
    column('length', T.integer),
  ],
  primaryKey: { name: 'film_pkey', columns: ['film_id'] },
})

function snapshot(parts: Partial<SchemaSnapshot>): SchemaSnapshot {
  return { tables: [film], enums: [], ...NO_SCHEMA_OBJECTS, ...parts }
}

/** A view as the database holds it: its columns and what it reads recorded. */
function dbView(
  name: string,
  definition: string,
  columns: readonly (readonly [string, string])[],
  reads: readonly (readonly [string, readonly string[]])[],
  extra: Partial<ViewDef> = {},
): ViewDef {
  return viewDef(name, definition, {
    columns: columns.map(([n, type]) => ({ name: n, type })),
    dependsOn: reads.map(([n, c]) => ({ schema: undefined, name: n, columns: c })),
    ...extra,
  })
}

const titles = dbView(
  'titles',
  'SELECT film_id, title FROM film',
  [
    ['film_id', 'integer'],
    ['title', 'text'],
  ],
  [['film', ['film_id', 'title']]],
)
const shortTitles = dbView(
  'short_titles',
  'SELECT title FROM titles',
  [['title', 'text']],
  [['titles', ['title']]],
)
const lengths = dbView(
  'lengths',
  'SELECT length FROM film',
  [['length', 'integer']],
  [['film', ['length']]],
)
const database = snapshot({ views: [lengths, shortTitles, titles] })

/** The models: the database's views without what only the database knows. */
const modelOf = (v: ViewDef): ViewDef => ({ ...v, columns: [], dependsOn: [] })

describe('comparing views', () => {
  it('finds nothing when the models are the database', () => {
    const models = snapshot({ views: database.views.map(modelOf) })
    expect(kindsOf(compareChecked({ models, normalizedModels: database, database }))).toEqual([])
  })

  it('replaces a view in place when it only gains columns, rebuilding what reads it', () => {
    const grown = { ...titles, definition: 'SELECT film_id, title, length FROM film' }
    const normalized = snapshot({
      views: [
        lengths,
        shortTitles,
        { ...grown, columns: [...grown.columns, { name: 'length', type: 'integer' }] },
      ],
    })
    const models = snapshot({ views: normalized.views.map(modelOf) })
    const result = compareChecked({ models, normalizedModels: normalized, database })
    expect(kindsOf(result)).toEqual(['dropView', 'replaceView', 'createView'])
    expect(onlyOp(result, 'replaceView').addedColumns).toEqual(['length'])
    expect(onlyOp(result, 'dropView').name).toBe('short_titles')
  })

  it('drops and creates a view that loses a column, the views that read it first and after', () => {
    const narrowed = {
      ...titles,
      definition: 'SELECT title FROM film',
      columns: [{ name: 'title', type: 'text' }],
    }
    const normalized = snapshot({ views: [lengths, shortTitles, narrowed] })
    const models = snapshot({ views: normalized.views.map(modelOf) })
    const result = compareChecked({ models, normalizedModels: normalized, database })
    expect(
      opsOf(result).map(
        (op) => `${op.kind} ${'name' in op ? op.name : 'view' in op ? op.view.name : ''}`,
      ),
    ).toEqual([
      'dropView short_titles',
      'dropView titles',
      'createView titles',
      'createView short_titles',
    ])
  })

  it('rebuilds only the views that read a column whose type changes, around the change', () => {
    const models = snapshot({
      tables: [
        {
          ...film,
          columns: film.columns.map((c) => (c.name === 'length' ? { ...c, type: T.bigint } : c)),
        },
      ],
      views: database.views.map(modelOf),
    })
    const result = compareChecked({
      models,
      normalizedModels: { ...models, views: database.views },
      database,
    })
    expect(kindsOf(result)).toEqual(['dropView', 'alterColumn', 'createView'])
    expect(onlyOp(result, 'createView').view.name).toBe('lengths')
  })

  it('drops a view before the table it reads', () => {
    const models = snapshot({ tables: [] })
    const result = compareChecked({ models, database: snapshot({ views: [lengths] }) })
    expect(kindsOf(result)).toEqual(['dropView', 'dropTable'])
  })

  it('creates views after the tables and views they read, whatever their names', () => {
    const a = viewDef('a_report', 'SELECT title FROM z_base')
    const z = viewDef('z_base', 'SELECT title FROM film')
    const result = compareChecked({
      models: { ...snapshot({ views: [a, z] }), tables: [film] },
      database: { ...snapshot({}), tables: [] },
    })
    expect(opsOf(result).map((op) => ('view' in op ? op.view.name : op.kind))).toEqual([
      'createTable',
      'z_base',
      'a_report',
    ])
  })

  it('changes a materialized view’s indexes and comment in place, and rebuilds it for its query', () => {
    const index = (name: string, col: string) => indexDef(name, [col])
    const held = dbView(
      'by_length',
      'SELECT length FROM film',
      [['length', 'integer']],
      [['film', ['length']]],
      {
        materialized: true,
        indexes: [index('by_length_a', 'length')],
      },
    )
    const database = snapshot({ views: [held] })
    const inPlace = {
      ...modelOf(held),
      indexes: [index('by_length_b', 'length')],
      comment: 'Counts',
    }
    expect(kindsOf(compareChecked({ models: snapshot({ views: [inPlace] }), database }))).toEqual([
      'dropIndex',
      'replaceView',
      'createIndex',
    ])
    const requery = { ...modelOf(held), definition: 'SELECT length + 1 AS length FROM film' }
    expect(kindsOf(compareChecked({ models: snapshot({ views: [requery] }), database }))).toEqual([
      'dropMaterializedView',
      'createMaterializedView',
    ])
  })
})

describe('comparing functions, aggregates and triggers', () => {
  const touch = functionDef('touch', 'trigger', 'plpgsql', 'BEGIN RETURN NEW; END')
  const onFilm: TriggerDef = triggerDef('touch', 'film', 'touch', {
    timing: 'before',
    events: ['update'],
    forEach: 'row',
  })
  const held = snapshot({ functions: [touch], triggers: [onFilm] })

  it('replaces a function whose signature and result stay', () => {
    const models = snapshot({
      functions: [{ ...touch, body: 'BEGIN NEW.title = upper(NEW.title); RETURN NEW; END' }],
      triggers: [onFilm],
    })
    expect(kindsOf(compareChecked({ models, database: held }))).toEqual(['replaceFunction'])
  })

  it('drops and creates a function whose result changes, with the trigger that calls it', () => {
    const models = snapshot({
      functions: [{ ...touch, returns: 'event_trigger' }],
      triggers: [onFilm],
    })
    expect(kindsOf(compareChecked({ models, database: held }))).toEqual([
      'dropTrigger',
      'dropFunction',
      'createFunction',
      'createTrigger',
    ])
  })

  it('tells overloads apart by their parameter types', () => {
    const one = functionDef('area', 'integer', 'sql', 'SELECT $1 * $1', {
      parameters: [{ mode: 'in', name: 'side', type: 'integer', default: undefined }],
    })
    const two: FunctionDef = {
      ...one,
      parameters: [
        ...one.parameters,
        { mode: 'in', name: 'other', type: 'integer', default: undefined },
      ],
      body: 'SELECT $1 * $2',
    }
    const result = compareChecked({
      models: snapshot({ functions: [one, two] }),
      database: snapshot({ functions: [one] }),
    })
    expect(onlyOp(result, 'createFunction').function.parameters).toHaveLength(2)
  })

  it('creates a function whose result is a new table’s row type after the table', () => {
    const all = functionDef('all_films', 'SETOF film', 'sql', 'SELECT * FROM film')
    const result = compareChecked({
      models: snapshot({ functions: [all] }),
      database: { ...snapshot({}), tables: [] },
    })
    expect(kindsOf(result)).toEqual(['createTable', 'createFunction'])
  })

  it('follows a renamed table with its triggers', () => {
    const renamed: TableDef = { ...film, name: 'movie' }
    const result = compareChecked(
      {
        models: snapshot({
          tables: [renamed],
          functions: [touch],
          triggers: [{ ...onFilm, table: 'movie' }],
        }),
        database: held,
      },
      { renames: new Map([['film', 'movie']]) },
    )
    expect(kindsOf(result)).toEqual(['renameTable'])
  })

  it('drops and creates a trigger that changes, and an aggregate whose state function is rebuilt', () => {
    const step = functionDef('step', 'text', 'sql', 'SELECT $1 || $2', {
      parameters: ['text', 'text'].map((type) => ({
        mode: 'in' as const,
        name: undefined,
        type,
        default: undefined,
      })),
    })
    const agg = {
      schema: undefined,
      name: 'joined',
      parameters: [{ mode: 'in' as const, name: undefined, type: 'text', default: undefined }],
      stateFunction: { schema: undefined, name: 'step' },
      stateType: 'text',
      finalFunction: undefined,
      combineFunction: undefined,
      initialCondition: undefined,
      parallel: 'unsafe' as const,
      comment: undefined,
    }
    const database = snapshot({ functions: [step, touch], aggregates: [agg], triggers: [onFilm] })
    const models = snapshot({
      functions: [{ ...step, returns: 'varchar' }, touch],
      aggregates: [agg],
      triggers: [{ ...onFilm, events: ['insert', 'update'] }],
    })
    expect(kindsOf(compareChecked({ models, database }))).toEqual([
      'dropTrigger',
      'dropAggregate',
      'dropFunction',
      'createFunction',
      'createAggregate',
      'createTrigger',
    ])
  })
})
