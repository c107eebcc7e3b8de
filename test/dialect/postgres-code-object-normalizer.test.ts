import { afterEach, describe, expect, it } from 'vitest'
import type { SchemaSnapshot } from '../../src/schema/schema-snapshot.ts'
import { backends } from '../support/databases.ts'
import { NO_SCHEMA_OBJECTS } from '../support/snapshot-literals.ts'
import { type DialectSession, openSession } from './dialect-session.ts'
import { functionDef, triggerDef, viewDef } from './postgres-code-object-ddl-cases.ts'

/**
 * Normalizing views, functions and trigger conditions through PostgreSQL: the models' text comes
 * back as introspection reads the same objects once created, and what PostgreSQL refuses keeps
 * the model's spelling; the database is left as it was.
 */
describe.each(backends())('code object normalization on $backend', ({ backend, skip }) => {
  let s: DialectSession | undefined
  afterEach(async () => {
    await s?.close()
    s = undefined
  })

  it.skipIf(skip)('spells models as introspection reads them, and keeps what fails', async () => {
    s = await openSession(backend)
    await s.connection.execute(
      'CREATE TABLE film (film_id integer PRIMARY KEY, title text, length integer)',
    )
    const models: SchemaSnapshot = {
      tables: [],
      enums: [],
      ...NO_SCHEMA_OBJECTS,
      views: [
        viewDef('long_films', 'select title from film where length>100'),
        viewDef('broken', 'SELECT nothing FROM nowhere'),
      ],
      functions: [
        functionDef('half', 'numeric', 'sql', 'SELECT $1 / 2', {
          parameters: [{ mode: 'in', name: 'x', type: 'int4', default: '1' }],
          cost: 100,
        }),
      ],
      triggers: [
        triggerDef('t', 'film', 'nothing_yet', {
          timing: 'before',
          events: ['update'],
          forEach: 'row',
          when: 'OLD.title<>NEW.title',
        }),
      ],
    }
    const normalized = await s.dialect.introspector.normalize(s.connection, models)

    // The same objects, created for real, as introspection reads them.
    await s.connection.execute(`CREATE VIEW long_films AS select title from film where length>100;
      CREATE FUNCTION half(x int4 DEFAULT 1) RETURNS numeric LANGUAGE sql AS $$SELECT $1 / 2$$;
      CREATE FUNCTION nothing_yet() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
      CREATE TRIGGER t BEFORE UPDATE ON film FOR EACH ROW WHEN (OLD.title<>NEW.title) EXECUTE FUNCTION nothing_yet()`)
    const live = await s.dialect.introspector.introspect(s.connection)

    expect(normalized.views[0]).toEqual(live.views[0])
    expect(normalized.views[1]).toEqual(models.views[1])
    expect(normalized.functions[0]).toEqual(live.functions.find((f) => f.name === 'half'))
    expect(normalized.triggers[0]?.when).toBe(live.triggers[0]?.when)
    expect(normalized.triggers[0]?.when).not.toBe(models.triggers[0]?.when)
    // Nothing of the normalization stays behind.
    expect(await s.rows(`SELECT relname FROM pg_class WHERE relname LIKE 'aludel%'`)).toEqual([])
  })
})
