import { describe, expect, it } from 'vitest'
import { dbSchema, integer, table, text, toTableDef } from '../../src/schema/index.ts'
import { thrown } from './helpers.ts'

/** Table options for particular engines: checked where the model is written, kept as plain data. */
describe('engine options of a table', () => {
  it('reach the snapshot as declared, false SQLite flags dropped', () => {
    const events = table(
      'events',
      { id: integer().primaryKey(), name: text() },
      {
        mysql: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' },
        sqlite: { strict: true, withoutRowid: false },
      },
    )
    expect(toTableDef(events).engineOptions).toStrictEqual({
      mysql: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci' },
      sqlite: { strict: true },
    })
    const plain = table('plain', { id: integer() }, { sqlite: { strict: false }, mysql: {} })
    expect('engineOptions' in toTableDef(plain)).toBe(false)
    const audit = dbSchema('audit').table('log', { id: integer() }, { mysql: { engine: 'Aria' } })
    expect(toTableDef(audit).engineOptions).toStrictEqual({ mysql: { engine: 'Aria' } })
  })

  it('refuse what no engine reads, with what is allowed', () => {
    const bad = (options: object) => () =>
      table('t', { id: integer() }, options as Parameters<typeof table>[2] & object)
    expect(thrown(bad({ mysql: { engine: 'Inno DB' } }), 'INVALID_ARGUMENT').message).toBe(
      "table t: mysql.engine must be a name such as 'InnoDB'",
    )
    expect(thrown(bad({ mysql: { charset: 1 } }), 'INVALID_ARGUMENT').message).toBe(
      "table t: mysql.charset must be a name such as 'utf8mb4'",
    )
    expect(thrown(bad({ mysql: { rowFormat: 'DYNAMIC' } }), 'INVALID_ARGUMENT').message).toBe(
      'table t: mysql has no option rowFormat; the options are engine, charset, collation',
    )
    expect(thrown(bad({ sqlite: { strict: 'yes' } }), 'INVALID_ARGUMENT').message).toBe(
      'table t: sqlite.strict must be true or false',
    )
    expect(thrown(bad({ sqlite: true }), 'INVALID_ARGUMENT').message).toBe(
      'table t: sqlite must be an object of options, like { strict: ... }',
    )
  })
})
