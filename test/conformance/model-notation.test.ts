import { afterEach, describe, expect, it } from 'vitest'
import { checkModels, upgrade } from '../../src/index.ts'
import { modelProject } from '../autogenerate/schema-objects-support.ts'
import {
  type ConformanceBackend,
  type ConformanceDatabase,
  conformanceBackends,
  createConformanceDatabase,
} from '../support/databases.ts'

/**
 * One model, every engine: names that only some engine reserves (`key` and `range` are reserved
 * by MySQL, `transaction` by SQLite, none of them by PostgreSQL) inside checks, an expression
 * index and a default, and a string with a backslash, which each engine must store as the same
 * text. Autogenerate, upgrade, a second `check` finding nothing, and the rows accepted and
 * refused the same way everywhere.
 */
const MODELS = (
  index: string,
) => `import { check, index, integer, sql, table, text, varchar } from 'aludel'

export const settings = table(
  'settings',
  {
    id: integer().primaryKey(),
    key: varchar(100).notNull(),
    range: integer().notNull().default(sql\`(1 + 1)\`),
    transaction: text().notNull().default('none'),
    path: text().notNull(),
  },
  (t) => [
    check('key_set', sql\`\${t.key} <> ''\`),
    check('range_small', sql\`\${t.range} BETWEEN 0 AND 10\`),
    check('path_not_temp', sql\`\${t.path} <> \${'C:\\\\temp'}\`),
    index('ix_settings_key').on(${index}),
  ],
)
`

/** MariaDB (through 11.x) has no expression indexes: aludel says so before anything runs. */
const EXPRESSION_INDEX: Record<ConformanceBackend, 'built' | 'refused'> = {
  pglite: 'built',
  postgres: 'built',
  sqlite: 'built',
  mariadb: 'refused',
}

describe.each(conformanceBackends())(
  'model SQL written once, read by $backend',
  ({ backend, skip }) => {
    let db: ConformanceDatabase | undefined
    afterEach(async () => {
      await db?.drop()
      db = undefined
    })

    it.skipIf(skip)(
      'names reserved by another engine and backslash text work and compare clean',
      async () => {
        db = await createConformanceDatabase(backend)
        const project = modelProject(db)
        let config = project.project.config
        const generate = async (index: string) => {
          config = project.useModels(MODELS(index))
          await project.generate(config)
        }
        await generate(`sql\`lower(\${t.key})\``)
        if (EXPRESSION_INDEX[backend] === 'refused') {
          await expect(upgrade(config, 'head')).rejects.toThrow(
            'failed: MariaDB has no expression indexes (index ix_settings_key on lower(`key`)); index a generated column that holds the expression instead; it ran outside a transaction: none of its statements was applied; the version table still says base',
          )
          expect(await db.query(`SELECT COUNT(*) AS n FROM aludel_version`)).toEqual([{ n: 0 }])
          project.dropLast()
          await generate('t.key')
        }
        await upgrade(config, 'head')
        expect((await checkModels(config)).differences).toEqual([])

        const insert = (id: number, key: string, path: string, range = '2') =>
          db!.query(
            `INSERT INTO settings (id, ${quote(backend, 'key')}, ${quote(backend, 'range')}, path) VALUES (${id}, '${key}', ${range}, ${pathLiteral(backend, path)})`,
          )
        await insert(1, 'a', 'D:/data')
        // The check's literal is the four characters C, :, \ and temp: the same text refused.
        await expect(insert(2, 'b', 'C:\\temp')).rejects.toThrow()
        await insert(3, 'c', 'C:/temp')
        await expect(insert(4, '', 'x')).rejects.toThrow()
        await expect(insert(5, 'e', 'x', '11')).rejects.toThrow()
        expect(
          await db.query(
            `SELECT id, ${quote(backend, 'range')} AS r, ${quote(backend, 'transaction')} AS t FROM settings ORDER BY id`,
          ),
        ).toEqual([
          { id: 1, r: 2, t: 'none' },
          { id: 3, r: 2, t: 'none' },
        ])
      },
    )
  },
)

/** A name as the engine's own SQL quotes it, for the test's hand-written statements. */
function quote(backend: string, name: string): string {
  return backend === 'mariadb' ? `\`${name}\`` : `"${name}"`
}

/** A string literal of `text` that each engine reads as exactly that text. */
function pathLiteral(backend: string, text: string): string {
  if (!text.includes('\\')) return `'${text}'`
  if (backend === 'mariadb') return `'${text.replace(/\\/g, '\\\\')}'`
  if (backend === 'sqlite') return `'${text}'`
  return `E'${text.replace(/\\/g, '\\\\')}'`
}
