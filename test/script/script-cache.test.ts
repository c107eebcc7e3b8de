import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ScriptDirectory } from '../../src/script/script-directory.ts'
import { createProject } from '../support/project.ts'

describe('the header cache', () => {
  it('is written beside the project and reused, and an edit that keeps size and mtime is still seen', () => {
    const project = createProject(undefined)
    const file = project.writeMigration({ revision: 'aaaaaa', message: 'first' })
    project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa', message: 'second' })
    const first = ScriptDirectory.load(project.migrationsDir)
    const cacheDir = join(project.dir, 'node_modules', '.cache', 'aludel')
    expect(readdirSync(cacheDir).sort()).toEqual([
      expect.stringMatching(/^scripts-[0-9a-f]{16}\.json$/),
      expect.stringMatching(/^scripts-[0-9a-f]{16}\.summary\.json$/),
    ])
    expect(ScriptDirectory.summary(project.migrationsDir)?.heads).toEqual(['bbbbbb'])

    // Same length, same mtime (restored to the nanosecond with touch): only ctime tells.
    const before = statSync(file)
    const mtime = execFileSync('stat', ['-c', '%.9Y', file], { encoding: 'utf8' }).trim()
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace('/** first */', '/** FIRST */'))
    execFileSync('touch', ['-m', '-d', `@${mtime}`, file])
    expect(statSync(file).size).toBe(before.size)
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs)
    expect(ScriptDirectory.summary(project.migrationsDir)).toBeUndefined()
    const second = ScriptDirectory.load(project.migrationsDir)
    expect(second.map.get('aaaaaa').message).toBe('FIRST')
    expect(second.map.get('aaaaaa').checksum).not.toBe(first.map.get('aaaaaa').checksum)
    expect(ScriptDirectory.summary(project.migrationsDir)).toBeDefined()
  })

  it('sees added and removed files', () => {
    const project = createProject(undefined)
    project.writeMigration({ revision: 'aaaaaa' })
    expect(ScriptDirectory.load(project.migrationsDir).map.heads).toEqual(['aaaaaa'])
    project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa' })
    expect(ScriptDirectory.summary(project.migrationsDir)).toBeUndefined()
    expect(ScriptDirectory.load(project.migrationsDir).map.heads).toEqual(['bbbbbb'])
  })

  it('keeps the summary of an unchanged folder, writes a lost one again and follows a removal', () => {
    const project = createProject(undefined)
    project.writeMigration({ revision: 'aaaaaa' })
    const second = project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa' })
    ScriptDirectory.load(project.migrationsDir)
    const cacheDir = join(project.dir, 'node_modules', '.cache', 'aludel')
    const summaryFile = join(
      cacheDir,
      readdirSync(cacheDir).find((f) => f.endsWith('.summary.json'))!,
    )
    const saved = readFileSync(summaryFile, 'utf8')
    ScriptDirectory.load(project.migrationsDir)
    expect(readFileSync(summaryFile, 'utf8')).toBe(saved)

    rmSync(summaryFile)
    ScriptDirectory.load(project.migrationsDir)
    expect(readFileSync(summaryFile, 'utf8')).toBe(saved)
    expect(ScriptDirectory.summary(project.migrationsDir)?.heads).toEqual(['bbbbbb'])

    rmSync(second)
    expect(ScriptDirectory.summary(project.migrationsDir)).toBeUndefined()
    ScriptDirectory.load(project.migrationsDir)
    expect(ScriptDirectory.summary(project.migrationsDir)?.heads).toEqual(['aaaaaa'])
  })

  it('a corrupt cache is ignored', () => {
    const project = createProject(undefined)
    project.writeMigration({ revision: 'aaaaaa' })
    ScriptDirectory.load(project.migrationsDir)
    const cacheDir = join(project.dir, 'node_modules', '.cache', 'aludel')
    for (const name of readdirSync(cacheDir)) writeFileSync(join(cacheDir, name), '{not json')
    expect(ScriptDirectory.summary(project.migrationsDir)).toBeUndefined()
    expect(ScriptDirectory.load(project.migrationsDir).map.heads).toEqual(['aaaaaa'])
  })
})
