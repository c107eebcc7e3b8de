import { describe, expect, it } from 'vitest'
import { RenameAnswerError } from '../../src/autogenerate/rename-answer-error.ts'
import type { TableDef } from '../../src/schema/schema-snapshot.ts'
import {
  check,
  column,
  foreignKey,
  index,
  primaryKey,
  snapshot,
  T,
  table,
} from '../support/snapshot-literals.ts'
import { compareChecked, compareSchemas, kindsOf, opsOf } from './compare-helpers.ts'

const id = column('id', T.integer, { nullable: false })

/**
 * A table with an id primary key named `pk_people` whatever the table's name, so that renaming
 * the table keeps its key (PostgreSQL does not rename constraints with their table). Tables that
 * exist side by side get `pk_<name>`, as key names are unique in a schema.
 */
function people(name: string, extra: Partial<TableDef> = {}): TableDef {
  return table(name, {
    columns: [id, column('fullname', T.text)],
    primaryKey: primaryKey('pk_people', ['id']),
    ...extra,
  })
}

/** {@link people} with a key named after the table. */
function own(name: string, extra: Partial<TableDef> = {}): TableDef {
  return people(name, { primaryKey: primaryKey(`pk_${name}`, ['id']), ...extra })
}

const answers = (entries: Record<string, string | null>) => new Map(Object.entries(entries))

describe('compareSchemas: table renames', () => {
  const input = { models: snapshot([people('persons')]), database: snapshot([people('people')]) }

  it('asks whether a vanished table with the same columns was renamed, assuming drop and add', () => {
    const result = compareChecked(input)
    expect(result.questions).toEqual([
      {
        kind: 'table',
        schema: undefined,
        table: undefined,
        from: 'people',
        to: 'persons',
        fromKey: 'people',
        toKey: 'persons',
      },
    ])
    // The old table's key gives its name up first: key names are unique in a schema.
    expect(kindsOf(result)).toEqual(['dropConstraint', 'createTable', 'dropTable'])
  })

  it('renames a table when the answer says so', () => {
    const result = compareChecked(input, { renames: answers({ people: 'persons' }) })
    expect(result.questions).toEqual([])
    expect(opsOf(result)).toEqual([
      { kind: 'renameTable', schema: undefined, from: 'people', to: 'persons' },
    ])
  })

  it('drops and creates when the answer is null', () => {
    const result = compareChecked(input, { renames: answers({ people: null }) })
    expect(result.questions).toEqual([])
    expect(kindsOf(result)).toEqual(['dropConstraint', 'createTable', 'dropTable'])
  })

  it('compares a renamed table as the same table', () => {
    const model = people('persons', {
      columns: [id, column('fullname', T.text, { nullable: false }), column('bio', T.text)],
      comment: 'humans',
    })
    const result = compareChecked(
      { models: snapshot([model]), database: snapshot([people('people')]) },
      { renames: answers({ people: 'persons' }) },
    )
    expect(opsOf(result)).toEqual([
      { kind: 'renameTable', schema: undefined, from: 'people', to: 'persons' },
      expect.objectContaining({ kind: 'addColumn', table: 'persons' }),
      expect.objectContaining({ kind: 'alterColumn', table: 'persons', column: 'fullname' }),
      expect.objectContaining({ kind: 'createTableComment', table: 'persons' }),
    ])
  })

  it('follows a renamed table in the foreign keys that reference it', () => {
    const items = (target: string) =>
      table('items', {
        columns: [id, column('owner_id', T.integer)],
        foreignKeys: [foreignKey('fk_items_owner', ['owner_id'], target, ['id'])],
      })
    const result = compareChecked(
      {
        models: snapshot([people('persons'), items('persons')]),
        database: snapshot([people('people'), items('people')]),
      },
      { renames: answers({ people: 'persons' }) },
    )
    expect(kindsOf(result)).toEqual(['renameTable'])
  })

  it('uses schema-qualified keys outside the default schema', () => {
    const result = compareChecked({
      models: snapshot([people('persons', { schema: 'crm' })]),
      database: snapshot([people('people', { schema: 'crm' })]),
    })
    expect(result.questions[0]).toMatchObject({
      schema: 'crm',
      fromKey: 'crm.people',
      toKey: 'crm.persons',
    })
    const renamed = compareChecked(
      {
        models: snapshot([people('persons', { schema: 'crm' })]),
        database: snapshot([people('people', { schema: 'crm' })]),
      },
      { renames: answers({ 'crm.people': 'crm.persons' }) },
    )
    expect(opsOf(renamed)).toEqual([
      { kind: 'renameTable', schema: 'crm', from: 'people', to: 'persons' },
    ])
  })

  it('does not ask across schemas, or when columns or types differ', () => {
    const result = compareSchemas({
      models: snapshot([
        people('a', { schema: 'other' }),
        people('b', { columns: [id, column('name', T.text)] }),
        people('c', { columns: [id, column('fullname', T.integer)] }),
      ]),
      database: snapshot([people('people')]),
    })
    expect(result.questions).toEqual([])
  })

  it('asks about equivalent types spelled differently', () => {
    const result = compareSchemas({
      models: snapshot([people('b', { columns: [id, column('fullname', T.custom('TEXT'))] })]),
      database: snapshot([people('people')]),
    })
    expect(result.questions.map((q) => q.toKey)).toEqual(['b'])
  })

  it('asks about each candidate, and an answer renames to exactly one', () => {
    const input = {
      models: snapshot([own('humans'), people('persons')]),
      database: snapshot([people('people')]),
    }
    const asked = compareChecked(input)
    expect(asked.questions.map((q) => `${q.fromKey}->${q.toKey}`)).toEqual([
      'people->humans',
      'people->persons',
    ])
    const result = compareChecked(input, { renames: answers({ people: 'persons' }) })
    expect(result.questions).toEqual([])
    expect(opsOf(result)).toEqual([
      { kind: 'renameTable', schema: undefined, from: 'people', to: 'persons' },
      expect.objectContaining({ kind: 'createTable', table: own('humans') }),
    ])
  })

  it('does not offer a new table to other old tables once an answer took it', () => {
    const result = compareChecked(
      {
        models: snapshot([people('persons')]),
        database: snapshot([people('people'), own('folks')]),
      },
      { renames: answers({ people: 'persons' }) },
    )
    expect(result.questions).toEqual([])
    expect(kindsOf(result)).toEqual(['renameTable', 'dropTable'])
  })

  it('still asks the other old tables when one answered null', () => {
    const result = compareChecked(
      {
        models: snapshot([people('persons')]),
        database: snapshot([people('people'), own('folks')]),
      },
      { renames: answers({ people: null }) },
    )
    expect(result.questions.map((q) => q.fromKey)).toEqual(['folks'])
  })

  it('follows an answer that names a new table which is not a candidate', () => {
    const result = compareChecked(
      {
        models: snapshot([people('persons', { columns: [id, column('name', T.text)] })]),
        database: snapshot([people('people')]),
      },
      { renames: answers({ people: 'persons' }) },
    )
    expect(kindsOf(result)).toEqual(['renameTable', 'addColumn', 'dropColumn'])
  })

  it('refuses an answer that names no new table in the same schema', () => {
    const input = {
      models: snapshot([people('persons'), people('people2', { schema: 'x' })]),
      database: snapshot([people('people')]),
    }
    expect(() => compareSchemas(input, { renames: answers({ people: 'x.people2' }) })).toThrow(
      RenameAnswerError,
    )
    try {
      compareSchemas(input, { renames: answers({ people: 'nobody' }) })
    } catch (error) {
      expect(error).toMatchObject({
        code: 'UNKNOWN_RENAME_TARGET',
        category: 'usage',
        fromKey: 'people',
        toKey: 'nobody',
        message:
          "the rename answer for 'people' names 'nobody', which is not a new table in the same schema; answer with one of 'persons', null",
      })
    }
  })

  it('refuses two answers naming the same new table', () => {
    expect(() =>
      compareSchemas(
        {
          models: snapshot([people('persons')]),
          database: snapshot([people('people'), people('folks')]),
        },
        { renames: answers({ people: 'persons', folks: 'persons' }) },
      ),
    ).toThrow(
      "'folks' and 'people' are both answered as renamed to 'persons'; answer null (dropped) for one of them",
    )
  })

  it('ignores answers about objects that are not there', () => {
    const result = compareChecked(
      { models: snapshot([people('persons')]), database: snapshot([people('persons')]) },
      { renames: answers({ people: 'persons', 'persons.nobody': 'persons.somebody' }) },
    )
    expect(result).toEqual({ changes: [], manual: [], questions: [] })
  })
})

describe('compareSchemas: rename questions', () => {
  it('come in a fixed order: tables first, then by key, whatever the snapshot order', () => {
    const models = [
      own('zz', { columns: [id, column('b2', T.text)] }),
      own('persons'),
      own('aa', { columns: [id, column('a2', T.text)] }),
    ]
    const database = [
      own('zz', { columns: [id, column('b1', T.text)] }),
      people('people'),
      own('aa', { columns: [id, column('a1', T.text)] }),
    ]
    const forward = compareSchemas({ models: snapshot(models), database: snapshot(database) })
    const backward = compareSchemas({
      models: snapshot([...models].reverse()),
      database: snapshot([...database].reverse()),
    })
    expect(forward.questions.map((q) => q.fromKey)).toEqual(['people', 'aa.a1', 'zz.b1'])
    expect(backward.questions).toEqual(forward.questions)
  })
})

describe('compareSchemas: column renames', () => {
  const renamed = people('people', { columns: [id, column('full_name', T.text)] })
  const input = { models: snapshot([renamed]), database: snapshot([people('people')]) }

  it('asks whether a vanished column was renamed, assuming drop and add', () => {
    const result = compareChecked(input)
    expect(result.questions).toEqual([
      {
        kind: 'column',
        schema: undefined,
        table: 'people',
        from: 'fullname',
        to: 'full_name',
        fromKey: 'people.fullname',
        toKey: 'people.full_name',
      },
    ])
    expect(kindsOf(result)).toEqual(['addColumn', 'dropColumn'])
  })

  it('renames a column when the answer says so', () => {
    const result = compareChecked(input, {
      renames: answers({ 'people.fullname': 'people.full_name' }),
    })
    expect(opsOf(result)).toEqual([
      {
        kind: 'alterColumn',
        schema: undefined,
        table: 'people',
        column: 'fullname',
        changes: { name: { to: 'full_name', from: 'fullname' } },
      },
    ])
  })

  it('drops and adds when the answer is null', () => {
    const result = compareChecked(input, { renames: answers({ 'people.fullname': null }) })
    expect(result.questions).toEqual([])
    expect(kindsOf(result)).toEqual(['addColumn', 'dropColumn'])
  })

  it('does not ask when the types differ', () => {
    const result = compareSchemas({
      models: snapshot([people('people', { columns: [id, column('full_name', T.integer)] })]),
      database: snapshot([people('people')]),
    })
    expect(result.questions).toEqual([])
  })

  it('compares a renamed column as the same column, with its constraints and indexes', () => {
    const database = people('people', {
      columns: [id, column('fullname', T.varchar(50))],
      checks: [check('ck_people_name', "(fullname <> ''::text)")],
      indexes: [
        index('ix_people_name', [{ expression: 'lower(fullname)' }], {
          where: 'fullname IS NOT NULL',
        }),
        index('ix_people_name2', ['fullname', 'id'], { include: [] }),
      ],
    })
    const model = people('people', {
      columns: [id, column('full_name', T.varchar(100), { comment: 'name' })],
      checks: [check('ck_people_name', "full_name <> ''::text")],
      indexes: [
        index('ix_people_name', [{ expression: 'lower(full_name)' }], {
          where: 'full_name IS NOT NULL',
        }),
        index('ix_people_name2', ['full_name', 'id']),
      ],
    })
    const result = compareChecked(
      { models: snapshot([model]), database: snapshot([database]) },
      { renames: answers({ 'people.fullname': 'people.full_name' }) },
    )
    expect(opsOf(result)).toEqual([
      expect.objectContaining({
        column: 'fullname',
        changes: { name: { to: 'full_name', from: 'fullname' } },
      }),
      {
        kind: 'alterColumn',
        schema: undefined,
        table: 'people',
        column: 'full_name',
        changes: {
          type: { to: T.varchar(100), from: T.varchar(50) },
          comment: { to: 'name', from: null },
        },
      },
    ])
  })

  it('follows a renamed column in the foreign keys of other tables', () => {
    const items = (target: string) =>
      table('items', {
        columns: [id, column('owner', T.text)],
        foreignKeys: [foreignKey('fk_items_owner', ['owner'], 'people', [target])],
      })
    const keyed = (name: string) =>
      people('people', {
        columns: [id, column(name, T.text)],
        primaryKey: primaryKey('pk_people', [name]),
      })
    const result = compareChecked(
      {
        models: snapshot([keyed('full_name'), items('full_name')]),
        database: snapshot([keyed('fullname'), items('fullname')]),
      },
      { renames: answers({ 'people.fullname': 'people.full_name' }) },
    )
    expect(kindsOf(result)).toEqual(['alterColumn'])
  })

  it('asks about columns of a renamed table under its new name, in a second round', () => {
    const model = people('persons', { columns: [id, column('full_name', T.text)] })
    const first = compareSchemas({
      models: snapshot([model]),
      database: snapshot([people('people')]),
    })
    // The columns differ, so the table is no candidate; the person renames it anyway.
    expect(first.questions).toEqual([])
    const second = compareChecked(
      { models: snapshot([model]), database: snapshot([people('people')]) },
      { renames: answers({ people: 'persons' }) },
    )
    expect(second.questions.map((q) => [q.kind, q.table, q.fromKey, q.toKey])).toEqual([
      ['column', 'persons', 'persons.fullname', 'persons.full_name'],
    ])
    const third = compareChecked(
      { models: snapshot([model]), database: snapshot([people('people')]) },
      { renames: answers({ people: 'persons', 'persons.fullname': 'persons.full_name' }) },
    )
    expect(opsOf(third)).toEqual([
      { kind: 'renameTable', schema: undefined, from: 'people', to: 'persons' },
      {
        kind: 'alterColumn',
        schema: undefined,
        table: 'persons',
        column: 'fullname',
        changes: { name: { to: 'full_name', from: 'fullname' } },
      },
    ])
  })

  it('asks about each candidate column and renames to the one answered', () => {
    const model = people('people', {
      columns: [id, column('first', T.text), column('last', T.text)],
    })
    const input = { models: snapshot([model]), database: snapshot([people('people')]) }
    expect(compareChecked(input).questions.map((q) => q.toKey)).toEqual([
      'people.first',
      'people.last',
    ])
    const result = compareChecked(input, { renames: answers({ 'people.fullname': 'people.last' }) })
    expect(result.questions).toEqual([])
    expect(opsOf(result)).toEqual([
      expect.objectContaining({ changes: { name: { to: 'last', from: 'fullname' } } }),
      expect.objectContaining({ kind: 'addColumn', column: column('first', T.text) }),
    ])
  })

  it('uses schema-qualified column keys outside the default schema', () => {
    const result = compareSchemas({
      models: snapshot([
        people('people', { schema: 'crm', columns: [id, column('name', T.text)] }),
      ]),
      database: snapshot([people('people', { schema: 'crm' })]),
    })
    expect(result.questions[0]).toMatchObject({
      fromKey: 'crm.people.fullname',
      toKey: 'crm.people.name',
      schema: 'crm',
      table: 'people',
    })
  })

  it('refuses a column answer that names no new column of the table', () => {
    expect(() =>
      compareSchemas(input, { renames: answers({ 'people.fullname': 'people.id' }) }),
    ).toThrow(
      "the rename answer for 'people.fullname' names 'people.id', which is not a new column of the same table; answer with one of 'people.full_name', null",
    )
  })
})
