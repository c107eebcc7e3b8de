import { describe, expect, it } from 'vitest'
import {
  aggregate,
  dbFunction,
  defineSchema,
  eventTrigger,
  integer,
  materializedView,
  procedure,
  SchemaModelError,
  serial,
  sql,
  table,
  text,
  trigger,
  uniqueIndex,
  view,
} from '../../src/index.ts'

/** Views, functions, procedures, aggregates, triggers and event triggers in the model DSL. */

const touch = dbFunction('touch', {
  returns: 'trigger',
  language: 'PLpgSQL',
  body: 'BEGIN NEW.updated = now(); RETURN NEW; END',
  settings: { Search_Path: 'public, pg_temp', work_mem: '64MB' },
})

const film = table(
  'film',
  { filmId: serial('film_id').primaryKey(), title: text().notNull(), length: integer() },
  (t) => [
    trigger('touch', {
      before: ['update', 'insert'],
      updateOf: [t.title],
      forEach: 'row',
      execute: touch,
    }),
  ],
)

describe('code objects in models', () => {
  it('converts to snapshot lists, with what tables and triggers bring along', () => {
    const titles = view('titles', sql`SELECT ${film.title} FROM ${film}`, { checkOption: 'local' })
    const counts = materializedView('counts', sql`SELECT count(*) AS n FROM ${titles}`, {
      withData: false,
      indexes: [uniqueIndex().on('n')],
    })
    const snapshot = defineSchema({ film, titles, counts }).snapshot()
    expect(snapshot.views.map((v) => [v.name, v.definition, v.dependsOn])).toEqual([
      [
        'counts',
        'SELECT count(*) AS n FROM titles',
        [{ schema: undefined, name: 'titles', columns: [] }],
      ],
      ['titles', 'SELECT title FROM film', [{ schema: undefined, name: 'film', columns: [] }]],
    ])
    expect(snapshot.views[0]?.indexes.map((i) => i.name)).toEqual(['ix_counts_n'])
    expect(snapshot.views[0]?.withData).toBe(false)
    // The trigger's function comes with it; names and settings are normalized.
    expect(snapshot.functions).toEqual([
      expect.objectContaining({
        name: 'touch',
        language: 'plpgsql',
        settings: [
          { name: 'search_path', value: 'public, pg_temp' },
          { name: 'work_mem', value: '64MB' },
        ],
      }),
    ])
    expect(snapshot.triggers).toEqual([
      {
        schema: undefined,
        table: 'film',
        name: 'touch',
        timing: 'before',
        events: ['insert', 'update'],
        updateOf: ['title'],
        forEach: 'row',
        when: undefined,
        function: { schema: undefined, name: 'touch' },
        arguments: [],
        oldTable: undefined,
        newTable: undefined,
      },
    ])
  })

  it('takes overloads, procedures, aggregates and event triggers as entries', () => {
    const area1 = dbFunction('area', {
      parameters: ['integer'],
      returns: 'integer',
      language: 'sql',
      body: 'SELECT $1 * $1',
    })
    const area2 = dbFunction('area', {
      parameters: ['integer', 'integer'],
      returns: 'integer',
      language: 'sql',
      body: 'SELECT $1 * $2',
    })
    const archive = procedure('archive', { language: 'plpgsql', body: 'BEGIN NULL; END' })
    const sum2 = aggregate('sum2', {
      parameters: ['integer'],
      stateFunction: area2,
      stateType: 'integer',
      initialCondition: '0',
    })
    const log = eventTrigger('log', {
      on: 'ddl_command_end',
      tags: ['create table'],
      execute: 'audit.log_ddl',
    })
    const snapshot = defineSchema({ area2, area1, archive, sum2, log }).snapshot()
    expect(snapshot.functions.map((f) => [f.name, f.kind, f.parameters.length])).toEqual([
      ['archive', 'procedure', 0],
      ['area', 'function', 1],
      ['area', 'function', 2],
    ])
    expect(snapshot.aggregates[0]?.stateFunction).toEqual({ schema: undefined, name: 'area' })
    expect(snapshot.eventTriggers).toEqual([
      {
        name: 'log',
        event: 'ddl_command_end',
        tags: ['CREATE TABLE'],
        function: { schema: 'audit', name: 'log_ddl' },
      },
    ])
  })

  it('takes a query builder’s compiled query, without parameters', () => {
    const built = { compile: () => ({ sql: 'select "title" from "film";', parameters: [] }) }
    expect(defineSchema({ film, v: view('v', built) }).snapshot().views[0]?.definition).toBe(
      'select "title" from "film"',
    )
    const withParameter = { compile: () => ({ sql: 'select $1', parameters: [1] }) }
    expect(() => view('v', withParameter)).toThrow(/parameter/)
  })

  it('refuses what PostgreSQL would refuse, pointing at the declaration', () => {
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (error) {
        return error instanceof SchemaModelError ? error.code : String(error)
      }
      return 'no error'
    }
    expect(code(() => defineSchema({ film, v: view('film', 'SELECT 1') }).snapshot())).toBe(
      'DUPLICATE_NAME',
    )
    const orphan = trigger('t', {
      on: table('other', { id: integer() }),
      after: ['delete'],
      execute: touch,
    })
    expect(code(() => defineSchema({ film, orphan }).snapshot())).toBe('UNRESOLVED_REFERENCE')
    expect(code(() => trigger('t', { forEach: 'row', execute: touch }))).toBe('INVALID_ARGUMENT')
    expect(
      code(() => trigger('t', { before: ['insert'], after: ['insert'], execute: touch })),
    ).toBe('INVALID_ARGUMENT')
    expect(code(() => trigger('t', { after: ['delete'], updateOf: ['x'], execute: touch }))).toBe(
      'INVALID_ARGUMENT',
    )
    expect(code(() => view('v', 'SELECT 1', { indexes: [uniqueIndex().on('a')] } as never))).toBe(
      'INVALID_ARGUMENT',
    )
    expect(code(() => view('v', '  ;'))).toBe('INVALID_ARGUMENT')
    expect(code(() => dbFunction('f', { language: 'sql', body: 'SELECT 1' } as never))).toBe(
      'INVALID_ARGUMENT',
    )
    expect(
      code(() =>
        dbFunction('f', {
          returns: 'int',
          language: 'sql',
          body: 'SELECT 1',
          volatility: 'pure' as never,
        }),
      ),
    ).toBe('INVALID_ARGUMENT')
    const a = dbFunction('f', { returns: 'int', language: 'sql', body: 'SELECT 1' })
    const b = dbFunction('f', { returns: 'int', language: 'sql', body: 'SELECT 2' })
    expect(code(() => defineSchema({ a, b }).snapshot())).toBe('DUPLICATE_NAME')
  })
})
