import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createProject, repoRoot } from './support/project.ts'

/** A step of the tutorial: a file to write, or shell commands with the exit status they expect. */
type Step =
  | { readonly kind: 'file'; readonly path: string; readonly text: string; readonly line: number }
  | {
      readonly kind: 'commands'
      readonly commands: readonly string[]
      readonly exit: number
      readonly line: number
    }

/**
 * The fenced blocks of docs/tutorial.md, in order: ```ts file=PATH blocks are written, ```sh
 * blocks are run (```sh exit=N expects that status; `skip` marks blocks that are only shown).
 */
function tutorialSteps(markdown: string): Step[] {
  const steps: Step[] = []
  const fence = /^```(\S*)([^\n]*)\n([\s\S]*?)^```$/gm
  for (const match of markdown.matchAll(fence)) {
    const [, lang, info = '', body = ''] = match
    const line = markdown.slice(0, match.index).split('\n').length
    const words = info.trim().split(/\s+/)
    if (words.includes('skip')) continue
    const file = words.find((w) => w.startsWith('file='))
    if (file !== undefined) {
      steps.push({ kind: 'file', path: file.slice(5), text: body, line })
    } else if (lang === 'sh') {
      const exit = Number(words.find((w) => w.startsWith('exit='))?.slice(5) ?? 0)
      const commands = body
        .split('\n')
        .map((c) => c.trim())
        .filter((c) => c !== '' && !c.startsWith('#'))
      steps.push({ kind: 'commands', commands, exit, line })
    }
  }
  return steps
}

/**
 * `npx aludel` runs the project's own `node_modules/.bin/aludel`, which is what the tutorial's
 * reader gets; going there directly spares npm's own start-up (half a second) on each of the
 * forty commands. Every other `npx` is npm's.
 */
const NPX_LOCAL_ALUDEL =
  'npx() { if [ "$1" = aludel ]; then shift; aludel "$@"; else command npx "$@"; fi; }'

function sh(command: string, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(
      'bash',
      ['-c', `${NPX_LOCAL_ALUDEL}\n${command}`],
      {
        cwd,
        env: {
          ...process.env,
          DATABASE_URL: '',
          // Node 24 and the local `aludel` bin first, as after `npm install aludel`.
          PATH: `${join(cwd, 'node_modules', '.bin')}:${dirname(process.execPath)}:${process.env.PATH}`,
          npm_config_offline: 'true',
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    )
  })
}

describe('docs/tutorial.md', () => {
  it('every command in it runs as the text says', { timeout: 600_000 }, async () => {
    const steps = tutorialSteps(readFileSync(join(repoRoot, 'docs', 'tutorial.md'), 'utf8'))
    expect(steps.filter((s) => s.kind === 'commands').length).toBeGreaterThan(20)
    const project = createProject(undefined)
    const dir = join(project.dir, 'service')
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true })
    symlinkSync(repoRoot, join(dir, 'node_modules', 'aludel'), 'dir')
    symlinkSync(join(repoRoot, 'bin', 'aludel.js'), join(dir, 'node_modules', '.bin', 'aludel'))
    for (const step of steps) {
      if (step.kind === 'file') {
        mkdirSync(dirname(join(dir, step.path)), { recursive: true })
        writeFileSync(join(dir, step.path), step.text)
        continue
      }
      for (const command of step.commands) {
        const result = await sh(command, dir)
        expect(result.code, `docs/tutorial.md:${step.line}: \`${command}\`\n${result.out}`).toBe(
          step.exit,
        )
      }
    }
  })
})
