import { afterEach, describe, expect, it } from 'vitest'
import { downgrade, testMigrations, upgrade } from '../../src/index.ts'
import {
  type ConformanceBackend,
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
  tableNames,
} from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

/**
 * Every operation the dialects share, each in a migration of its own with its reverse as the
 * downgrade. The test kit applies them one by one on a scratch database of the same kind and
 * requires every downgrade to restore the schema exactly as introspection sees it.
 */
/** The unique index's options: MySQL has no partial indexes, so it indexes every row there. */
const UNIQUE_INDEX: Record<ConformanceBackend, string> = {
  pglite: "{ unique: true, where: 'born IS NOT NULL' }",
  postgres: "{ unique: true, where: 'born IS NOT NULL' }",
  sqlite: "{ unique: true, where: 'born IS NOT NULL' }",
  mariadb: '{ unique: true }',
}

const steps = (
  backend: ConformanceBackend,
): readonly { readonly upgrade: string; readonly downgrade: string }[] => [
  {
    upgrade: `await op.createTable(table('authors', {
    id: serial().primaryKey(),
    name: varchar(100).notNull(),
    born: date(),
  }))`,
    downgrade: "await op.dropTable('authors')",
  },
  {
    upgrade: "await op.addColumn('authors', 'bio', text())",
    downgrade: "await op.dropColumn('authors', 'bio')",
  },
  {
    upgrade: "await op.alterColumn('authors', 'bio', { rename: 'biography' })",
    downgrade: "await op.alterColumn('authors', 'biography', { rename: 'bio' })",
  },
  {
    upgrade: "await op.alterColumn('authors', 'born', { nullable: false, existingNullable: true })",
    downgrade:
      "await op.alterColumn('authors', 'born', { nullable: true, existingNullable: false })",
  },
  {
    upgrade: "await op.createIndex('ix_authors_name', 'authors', ['name'])",
    downgrade: "await op.dropIndex('ix_authors_name')",
  },
  {
    upgrade: `await op.createIndex('ux_authors_born_name', 'authors', ['born', 'name'], ${UNIQUE_INDEX[backend]})`,
    downgrade: "await op.dropIndex('ux_authors_born_name')",
  },
  {
    upgrade: "await op.createCheckConstraint('ck_authors_name', 'authors', 'length(name) > 0')",
    downgrade: "await op.dropConstraint('ck_authors_name', 'authors')",
  },
  {
    upgrade: "await op.renameTable('authors', 'writers')",
    downgrade: "await op.renameTable('writers', 'authors')",
  },
  {
    upgrade: `await op.createTable(table('books', {
    id: serial().primaryKey(),
    title: text().notNull(),
    writerId: integer('writer_id').notNull().references('writers', 'id', { name: 'fk_books_writer', onDelete: 'cascade' }),
  }))`,
    downgrade: "await op.dropTable('books')",
  },
  {
    upgrade: "await op.createView(view('writer_names', sql`SELECT id, name FROM writers`))",
    downgrade: "await op.dropView('writer_names')",
  },
  {
    upgrade: "await op.dropColumn('writers', 'biography')",
    downgrade: "await op.addColumn('writers', 'biography', text())",
  },
  {
    upgrade:
      "await op.bulkInsert('writers', [{ name: 'Ann', born: '1950-01-01' }, { name: 'Bo', born: '1960-02-02' }])",
    downgrade: "await op.execute(\"DELETE FROM writers WHERE name IN ('Ann', 'Bo')\")",
  },
]

function writeSteps(project: TestProject, backend: ConformanceBackend): number {
  const all = steps(backend)
  const ids = all.map((_, i) => `op${String(i).padStart(4, '0')}`)
  all.forEach((step, i) => {
    project.writeMigration({
      revision: ids[i]!,
      down: i === 0 ? null : ids[i - 1]!,
      extra: "import { date, integer, serial, sql, table, text, varchar, view } from 'aludel'",
      upgrade: step.upgrade,
      downgrade: step.downgrade,
    })
  })
  return all.length
}

describe.each(conformanceBackends())('every shared operation on $backend', ({ backend, skip }) => {
  let db: ConformanceDatabase | undefined
  afterEach(async () => {
    await db?.drop()
    db = undefined
  })

  it.skipIf(skip)('each upgrade is undone exactly by its downgrade', async () => {
    db = await createConformanceDatabase(backend)
    const project = createProject(db.url)
    const count = writeSteps(project, backend)
    const kit = await testMigrations(project.config, { skipLint: true, skipModels: true })
    expect(kit.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([])
    // One stairway check per migration: up, down (the schema exactly as before), up again.
    expect(kit.checks.filter((c) => c.name.startsWith('stairway ')).length).toBe(count)

    await upgrade(project.config, 'head')
    expect(await db.query('SELECT name FROM writer_names ORDER BY name')).toEqual([
      { name: 'Ann' },
      { name: 'Bo' },
    ])
    expect(await tableNames(db, 'books')).toEqual(['books'])
    await downgrade(project.config, 'base')
    for (const name of ['authors', 'writers', 'books']) {
      expect(await tableNames(db, name)).toEqual([])
    }
  })
})
