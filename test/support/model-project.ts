import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AludelConfig } from '../../src/config/aludel-config.ts'
import { revision } from '../../src/index.ts'
import { fromSources } from '../autogenerate/schema-objects-support.ts'
import { createProject, type TestProject } from './project.ts'

/** A project whose models change from step to step, with migrations generated from them. */
export interface ModelProject {
  readonly project: TestProject
  /** Writes the next version of the models and returns a config that reads it. */
  models(source: string): AludelConfig
  /** Generates the next migration from `config`'s models and returns its text. */
  generate(config: AludelConfig): Promise<string>
  /** Removes the migration generated last, as a user drops a change not wanted any more. */
  dropLast(): void
}

/**
 * A project on `url` whose models are rewritten: each version is a new file, since a module once
 * imported stays as it was; models and generated migrations import aludel's sources.
 */
export function modelProject(url: string): ModelProject {
  const project = createProject(url)
  let version = 0
  let last: string | undefined
  return {
    project,
    models(source) {
      version++
      writeFileSync(join(project.dir, `schema-${version}.ts`), fromSources(source))
      return { ...project.config, schema: `./schema-${version}.ts` }
    },
    async generate(config) {
      const script = await revision(config, { message: `v${version}`, autogenerate: true })
      const text = fromSources(readFileSync(script.path, 'utf8'))
      writeFileSync(script.path, text)
      last = script.path
      return text
    },
    dropLast() {
      if (last === undefined) throw new Error('no migration was generated yet')
      rmSync(last)
      last = undefined
    },
  }
}
