import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  assertAtHead,
  current,
  HistoryRewrittenError,
  NotAtHeadError,
  rehash,
  upgrade,
} from '../../src/index.ts'
import { backends, createDatabase, type TestDatabase } from '../support/databases.ts'
import { createProject, type TestProject } from '../support/project.ts'

function writeChain(project: TestProject): void {
  project.writeMigration({
    revision: 'aaaaaa',
    message: 'users',
    upgrade: "await op.execute('CREATE TABLE users (id int)')",
  })
  project.writeMigration({
    revision: 'bbbbbb',
    down: 'aaaaaa',
    message: 'items',
    upgrade: "await op.execute('CREATE TABLE items (id int)')",
  })
  project.writeMigration({
    revision: 'cccccc',
    down: 'bbbbbb',
    message: 'orders',
    upgrade: "await op.execute('CREATE TABLE orders (id int)')",
  })
}

describe.each(backends())(
  'history rewritten under applied migrations on $backend',
  ({ backend, skip }) => {
    let db: TestDatabase
    afterEach(async () => {
      if (!skip) await db.drop()
    })

    it.skipIf(skip)(
      'a migration spliced between applied ones is never taken as applied, even after rehash',
      async () => {
        db = await createDatabase(backend)
        const project = createProject(db.url)
        writeChain(project)
        await upgrade(project.config, 'head')
        // Someone inserts a migration between bbbbbb and cccccc, after both ran.
        project.writeMigration({
          revision: 'nnnnnn',
          down: 'bbbbbb',
          message: 'spliced in',
          upgrade: "await op.execute('CREATE TABLE spliced (id int)')",
        })
        project.writeMigration({
          revision: 'cccccc',
          down: 'nnnnnn',
          message: 'orders',
          upgrade: "await op.execute('CREATE TABLE orders (id int)')",
        })

        const state = await current(project.config)
        expect(state.atHead).toBe(false)
        expect(state.unrecorded.map((u) => [u.revision, u.reason])).toEqual([
          ['nnnnnn', 'never-ran'],
          ['cccccc', 'moved'],
        ])
        const upgraded = await upgrade(project.config, 'head').catch((e: unknown) => e)
        expect(upgraded).toBeInstanceOf(HistoryRewrittenError)
        expect((upgraded as Error).message).toBe(
          'the migration history was rewritten under applied migrations: nnnnnn_spliced_in.ts (nnnnnn) sits among applied migrations but never ran on this database; cccccc_orders.ts (cccccc) ran on top of bbbbbb, but its downRevision was changed since; restore the files as they were when they ran (git history has them) and put new work on top of the head (a new migration goes after the head, never between applied ones)',
        )
        // What the checksum error suggests must not bless it.
        const rehashed = await rehash(project.config).catch((e: unknown) => e)
        expect(rehashed).toBeInstanceOf(HistoryRewrittenError)
        const atHead = await assertAtHead(project.config).catch((e: unknown) => e)
        expect(atHead).toBeInstanceOf(NotAtHeadError)
        expect((atHead as NotAtHeadError).reason).toBe('history-rewritten')

        const cli = await project.cli(['current', '--check-head'])
        expect(cli.code).toBe(1)
        expect(cli.stderr).toMatch(
          /^error: the migration history was rewritten under applied migrations: nnnnnn_spliced_in\.ts/,
        )
        const up = await project.cli(['upgrade', 'head'])
        expect(up.code).toBe(1)
        expect(up.stdout).not.toContain('Nothing to do')
        const listed = await project.cli(['current'])
        expect(listed.code).toBe(0)
        expect(listed.stderr).toContain('warning: the migration history was rewritten')

        // Put back as it was, with the new migration on top: it runs.
        project.writeMigration({
          revision: 'cccccc',
          down: 'bbbbbb',
          message: 'orders',
          upgrade: "await op.execute('CREATE TABLE orders (id int)')",
        })
        project.writeMigration({
          revision: 'nnnnnn',
          down: 'cccccc',
          message: 'spliced in',
          upgrade: "await op.execute('CREATE TABLE spliced (id int)')",
        })
        const fixed = await upgrade(project.config, 'head')
        expect(fixed.steps.map((s) => s.revision)).toEqual(['nnnnnn'])
        expect(await db.query("SELECT to_regclass('spliced')::text AS t")).toEqual([
          { t: 'spliced' },
        ])
      },
    )

    it.skipIf(skip)('a renamed revision id names the file and the id it replaced', async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      writeChain(project)
      await upgrade(project.config, 'head')
      rmSync(project.writeMigration({ revision: 'bbbbbb', down: 'aaaaaa', message: 'items' }))
      project.writeMigration({
        revision: 'b2b2b2',
        down: 'aaaaaa',
        message: 'items',
        upgrade: "await op.execute('CREATE TABLE items (id int)')",
      })
      project.writeMigration({
        revision: 'cccccc',
        down: 'b2b2b2',
        message: 'orders',
        upgrade: "await op.execute('CREATE TABLE orders (id int)')",
      })
      const error = await upgrade(project.config, 'head').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(HistoryRewrittenError)
      expect((error as Error).message).toContain(
        'b2b2b2_items.ts (b2b2b2) sits among applied migrations but never ran on this database (the ledger ran bbbbbb with the same message: was its revision id changed?)',
      )
    })

    it.skipIf(skip)('a database whose history predates the ledger is not flagged', async () => {
      db = await createDatabase(backend)
      const project = createProject(db.url)
      writeChain(project)
      await upgrade(project.config, 'head')
      // As if aaaaaa and bbbbbb had run under another tool, whose version table was adopted.
      await db.query("DELETE FROM aludel_version_ledger WHERE revision IN ('aaaaaa', 'bbbbbb')")
      const state = await current(project.config)
      expect(state.unrecorded).toEqual([])
      expect(state.atHead).toBe(true)
    })
  },
)
