import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createProject } from '../support/project.ts'

/**
 * A project whose package.json says `"type": "commonjs"`: its `.ts` config, models and migrations,
 * and the project files they import, are ES modules and load as such.
 */
describe('a CommonJS package', () => {
  it('loads a .ts config, the models, the migrations and the local files they import', async () => {
    const project = createProject('pglite:./db', { schema: './src/models.ts' })
    writeFileSync(join(project.dir, 'package.json'), '{ "name": "app", "type": "commonjs" }\n')
    mkdirSync(join(project.dir, 'src'))
    // A local module imported by both the models and a migration, which imports one of the
    // package's CommonJS files in turn: that one stays CommonJS.
    writeFileSync(join(project.dir, 'src', 'table-name.js'), "module.exports = 'notes'\n")
    writeFileSync(
      join(project.dir, 'src', 'names.ts'),
      "import tableName from './table-name.js'\nexport const NOTES: string = tableName\n",
    )
    writeFileSync(
      join(project.dir, 'src', 'models.ts'),
      "import { integer, table, text } from 'aludel'\nimport { NOTES } from './names.ts'\nexport const notes = table(NOTES, { id: integer().primaryKey(), body: text() })\n",
    )
    writeFileSync(
      join(project.migrationsDir, 'a0a0a0a0a0a0_notes.ts'),
      `import type { Operations } from 'aludel'
import { NOTES } from '../src/names.ts'
export const revision = 'a0a0a0a0a0a0'
export const downRevision = null
export async function upgrade(op: Operations): Promise<void> {
  await op.execute(\`CREATE TABLE \${NOTES} (id integer CONSTRAINT pk_notes PRIMARY KEY, body text)\`)
}
export async function downgrade(op: Operations): Promise<void> {
  await op.execute(\`DROP TABLE \${NOTES}\`)
}
`,
    )
    const up = await project.cli(['upgrade', 'head'])
    expect(up.stderr).toBe('')
    expect(up.code).toBe(0)
    const check = await project.cli(['check'])
    expect(check.stdout + check.stderr).toBe('The models and the database agree.\n')
    // A plain CommonJS file of the project stays CommonJS for the application.
    writeFileSync(join(project.dir, 'src', 'legacy.js'), 'module.exports = { legacy: true }\n')
    const app = join(project.dir, 'app.cjs')
    writeFileSync(app, "console.log(JSON.stringify(require('./src/legacy.js')))\n")
    const { execFileSync } = await import('node:child_process')
    expect(execFileSync(process.execPath, [app], { encoding: 'utf8' })).toBe('{"legacy":true}\n')
  })
})
