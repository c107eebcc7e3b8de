import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.ts'
import type { Terminal } from '../../src/cli/terminal.ts'
import { createProject } from '../support/project.ts'

/**
 * On PGlite, `bin/aludel.js` restarts the process with WebAssembly settings before a command opens
 * the embedded database (`beforeEmbeddedDatabase`). A command that reads only files must not pay
 * for that restart: it doubled the time of `history` on a PGlite project.
 */
describe('the restart for the embedded database happens only where one is opened', () => {
  const project = createProject('pglite:./db')
  project.writeMigration({ revision: 'a0a0a0a0a0a0', message: 'one' })
  project.writeMigration({ revision: 'b0b0b0b0b0b0', down: 'a0a0a0a0a0a0', message: 'two' })
  afterAll(() => rmSync(project.dir, { recursive: true, force: true }))

  /** Runs the command in the project; returns whether it asked for the restart. */
  async function restarts(args: readonly string[]): Promise<boolean> {
    const output: string[] = []
    const terminal: Terminal = {
      out: (text) => output.push(text),
      err: (text) => output.push(text),
      data: (text) => output.push(text),
      isTTY: false,
      interactive: false,
      ask: async () => '',
    }
    let asked = false
    const cwd = process.cwd()
    process.chdir(project.dir)
    try {
      // The restart replaces the process; here it stops the command where it would happen.
      const code = await runCli([...args, '--url', 'pglite:./db'], terminal, {
        beforeEmbeddedDatabase: () => {
          asked = true
          throw new Error('restarted')
        },
      })
      expect(code === 0 || asked, `${args.join(' ')}: ${output.join('')}`).toBe(true)
    } finally {
      process.chdir(cwd)
    }
    return asked
  }

  it('reads of the files alone: no restart', async () => {
    for (const args of [
      ['history'],
      ['heads'],
      ['branches'],
      ['show', 'head'],
      ['upgrade', 'base:head', '--sql'],
      ['revision', '-m', 'three'],
    ]) {
      expect(await restarts(args), args.join(' ')).toBe(false)
    }
  })

  it('commands that open the database: the restart first', async () => {
    for (const args of [['current'], ['upgrade', 'head'], ['history', '-i'], ['downgrade', '-1']]) {
      expect(await restarts(args), args.join(' ')).toBe(true)
    }
  })
})
