import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderMigration } from '../../src/autogenerate/render-migration.ts'
import { renderModels } from '../../src/autogenerate/render-models.ts'
import { createProject, repoRoot } from '../support/project.ts'
import { KNOWN_ENUMS, MIGRATION_CASES, MODEL_CASES } from './render-cases.ts'
import { migrationText, writeModule } from './render-support.ts'

/**
 * Everything the renderers write must compile, not only run, and read as the project's formatter
 * writes code: every rendered migration and models module goes into one project with strict
 * compiler options (stricter than the repository's own); one `tsc` run checks them all against the
 * package's published types, and one formatter run must leave them unchanged.
 */
describe('rendered code', () => {
  const project = createProject(undefined)
  const files: string[] = []
  for (const [name, result] of Object.entries(MIGRATION_CASES)) {
    const rendered = renderMigration(result, { enums: KNOWN_ENUMS[name] ?? [] })
    files.push(writeModule(project.migrationsDir, `${name}.ts`, migrationText(name, rendered)))
  }
  for (const [name, snapshot] of Object.entries(MODEL_CASES)) {
    files.push(writeModule(join(project.dir, 'models'), `${name}.ts`, renderModels(snapshot)))
  }

  it('type-checks with strict options, against the published aludel types', async () => {
    writeFileSync(
      join(project.dir, 'package.json'),
      JSON.stringify({ name: 'rendered', private: true, type: 'module' }),
    )
    writeFileSync(
      join(project.dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2023',
          lib: ['es2023'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noUnusedLocals: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ['migrations/*.ts', 'models/*.ts'],
      }),
    )
    const output = await run(process.execPath, [
      join(repoRoot, 'node_modules/typescript/bin/tsc'),
      '-p',
      project.dir,
      '--pretty',
      'false',
    ])
    expect(output).toBe('')
  })

  it("is left unchanged by the project's formatter", async () => {
    const settings = JSON.parse(readFileSync(join(repoRoot, 'biome.json'), 'utf8')) as {
      readonly formatter: unknown
      readonly javascript: unknown
    }
    writeFileSync(
      join(project.dir, 'biome.json'),
      JSON.stringify({
        formatter: settings.formatter,
        javascript: settings.javascript,
        linter: { enabled: false },
        assist: { enabled: false },
      }),
    )
    const before = files.map((file) => readFileSync(file, 'utf8'))
    const output = await run(join(repoRoot, 'node_modules/.bin/biome'), [
      'format',
      '--write',
      'migrations',
      'models',
    ])
    expect(output).toBe('')
    files.forEach((file, i) => {
      expect(readFileSync(file, 'utf8'), file).toBe(before[i])
    })
  })

  /** Runs a program in the project; resolves to its output on failure, '' on success. */
  function run(program: string, args: readonly string[]): Promise<string> {
    return new Promise((done) => {
      execFile(program, args, { cwd: project.dir, timeout: 120_000 }, (error, stdout, stderr) =>
        done(error === null ? '' : `${stdout}${stderr}`),
      )
    })
  }
})
