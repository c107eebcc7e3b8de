import {
  checkModels,
  downgrade,
  heads,
  history,
  type ResolvedConfig,
  testMigrations,
  upgrade,
} from 'aludel'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, createTestDatabase, type TestDatabase } from './support/databases.ts'
import { configFor } from './support/test-app.ts'

/** The project's history, oldest first: what `aludel history` prints, read the other way. */
const STORY = [
  ['9a51eccd4df0', 'create users and items tables'],
  ['0a47cfad72c5', 'split users.fullname into first_name and last_name'],
  ['392e940e3c2e', 'index items.owner_id concurrently'],
  ['17a70fc71df7', 'add items.price_cents'],
  ['335b7cdb5bff', 'add users.last_login_at'],
  ['4f781bf0ac9f', 'merge pricing and login-tracking'],
] as const

/**
 * The migration story, walked with aludel's programmatic API one revision at a time, looking at
 * the schema (and the data the data migration moves) after each step; then all the way down to
 * base and up again; then aludel's own migration test kit.
 */
for (const backend of backends()) {
  const title = `the migration story on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`
  describe.skipIf(backend.skip !== undefined)(title, () => {
    let database: TestDatabase
    let config: ResolvedConfig

    beforeAll(async () => {
      database = await createTestDatabase(backend.name)
      config = await configFor(database.url)
    })
    afterAll(async () => {
      await database?.drop()
    })

    const tables = async () =>
      (
        await database.query<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_name NOT LIKE 'aludel%' ORDER BY 1`,
        )
      ).map((row) => row.name)
    /** Column name → "type, null|not null", in the order PostgreSQL stores them. */
    const columns = async (table: string) =>
      Object.fromEntries(
        (
          await database.query<{ name: string; type: string; nullable: string }>(
            `SELECT column_name AS name, data_type AS type, is_nullable AS nullable
               FROM information_schema.columns
              WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
            [table],
          )
        ).map((c) => [c.name, `${c.type}, ${c.nullable === 'YES' ? 'null' : 'not null'}`]),
      )
    const versionRows = async () =>
      (
        await database.query<{ v: string }>(
          'SELECT version_num AS v FROM aludel_version ORDER BY 1',
        )
      ).map((row) => row.v)

    it('the graph: one head, a branch point, two labelled branches and their merge', async () => {
      const entries = await history(config)
      expect(entries.map((e) => [e.revision, e.message]).reverse()).toEqual(STORY)
      expect((await heads(config)).map((h) => h.revision)).toEqual(['4f781bf0ac9f'])
      const byId = new Map(entries.map((e) => [e.revision, e]))
      expect(byId.get('392e940e3c2e')).toMatchObject({ isBranchPoint: true, transactional: false })
      expect(byId.get('17a70fc71df7')?.ownBranchLabels).toEqual(['pricing'])
      expect(byId.get('335b7cdb5bff')?.ownBranchLabels).toEqual(['login-tracking'])
      expect(byId.get('4f781bf0ac9f')).toMatchObject({
        isMergePoint: true,
        downRevisions: ['17a70fc71df7', '335b7cdb5bff'],
      })
    })

    it('9a51eccd4df0 creates users (with fullname) and items', async () => {
      await upgrade(config, '9a51eccd4df0')
      expect(await tables()).toEqual(['items', 'users'])
      expect(await columns('users')).toEqual({
        id: 'integer, not null',
        email: 'character varying, not null',
        hashed_password: 'text, not null',
        is_active: 'boolean, not null',
        created_at: 'timestamp with time zone, not null',
        fullname: 'character varying, not null',
      })
      expect(Object.keys(await columns('items'))).toEqual([
        'id',
        'title',
        'description',
        'owner_id',
        'created_at',
      ])
      // Data for the data migration to move: awkward spacing and a one-word name included.
      await database.query(
        `INSERT INTO users (email, hashed_password, fullname)
         VALUES ('ada@example.com', 'x', 'Ada Lovelace'),
                ('cher@example.com', 'x', 'Cher'),
                ('jl@example.com', 'x', '  Jean Luc   Picard ')`,
      )
      await database.query(
        `INSERT INTO items (title, owner_id) SELECT 'engine', id FROM users WHERE email = 'ada@example.com'`,
      )
    })

    it('0a47cfad72c5 splits fullname into first_name and last_name, keeping every name', async () => {
      await upgrade(config, '0a47cfad72c5')
      const users = await columns('users')
      expect(users).not.toHaveProperty('fullname')
      expect(users).toMatchObject({
        first_name: 'character varying, not null',
        last_name: 'character varying, null',
      })
      expect(
        await database.query('SELECT email, first_name, last_name FROM users ORDER BY email'),
      ).toEqual([
        { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
        { email: 'cher@example.com', first_name: 'Cher', last_name: null },
        { email: 'jl@example.com', first_name: 'Jean', last_name: 'Luc Picard' },
      ])
    })

    it('392e940e3c2e builds ix_items_owner_id concurrently, and it is valid', async () => {
      await upgrade(config, '392e940e3c2e')
      expect(
        await database.query(
          `SELECT c.relname AS name, i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS def
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relname = 'ix_items_owner_id'`,
        ),
      ).toEqual([
        {
          name: 'ix_items_owner_id',
          valid: true,
          def: 'CREATE INDEX ix_items_owner_id ON public.items USING btree (owner_id)',
        },
      ])
    })

    // Named by id: `pricing@head` would mean the merge too, which is built on the branch.
    it('17a70fc71df7 (branch pricing) adds items.price_cents, checked non-negative', async () => {
      await upgrade(config, '17a70fc71df7')
      expect(await columns('items')).toMatchObject({ price_cents: 'integer, null' })
      await expect(database.query(`UPDATE items SET price_cents = -1`)).rejects.toMatchObject({
        code: '23514',
      })
      expect(await versionRows()).toEqual(['17a70fc71df7'])
    })

    it('335b7cdb5bff (branch login-tracking) adds users.last_login_at: two heads applied', async () => {
      await upgrade(config, '335b7cdb5bff')
      expect(await columns('users')).toMatchObject({
        last_login_at: 'timestamp with time zone, null',
      })
      expect(await versionRows()).toEqual(['17a70fc71df7', '335b7cdb5bff'])
    })

    it('the merge 4f781bf0ac9f joins them: one head, and the models match', async () => {
      await upgrade(config, 'head')
      expect(await versionRows()).toEqual(['4f781bf0ac9f'])
      expect(await checkModels(config)).toMatchObject({ clean: true, differences: [] })
    })

    it('downgrading to the branch point undoes both branches and the merge', async () => {
      await downgrade(config, '392e940e3c2e')
      expect(await versionRows()).toEqual(['392e940e3c2e'])
      expect(await columns('items')).not.toHaveProperty('price_cents')
      expect(await columns('users')).not.toHaveProperty('last_login_at')
    })

    it('downgrading 0a47cfad72c5 puts fullname back together from the parts', async () => {
      await downgrade(config, '9a51eccd4df0')
      expect(await database.query('SELECT email, fullname FROM users ORDER BY email')).toEqual([
        { email: 'ada@example.com', fullname: 'Ada Lovelace' },
        { email: 'cher@example.com', fullname: 'Cher' },
        // Whitespace was folded on the way up; the name itself survives the round trip.
        { email: 'jl@example.com', fullname: 'Jean Luc Picard' },
      ])
      expect(
        await database.query(`SELECT 1 FROM pg_class WHERE relname = 'ix_items_owner_id'`),
      ).toEqual([])
    })

    it('downgrading to base removes every table', async () => {
      await downgrade(config, 'base')
      expect(await tables()).toEqual([])
      expect(await versionRows()).toEqual([])
    })

    it('upgrading base → head again rebuilds the same schema', async () => {
      await upgrade(config, 'head')
      expect(await versionRows()).toEqual(['4f781bf0ac9f'])
      expect(await tables()).toEqual(['items', 'users'])
      expect(await checkModels(config)).toMatchObject({ clean: true })
    })

    it('aludel’s migration test kit passes (what `aludel test` runs)', async () => {
      const result = await testMigrations(config)
      expect(result.checks.filter((check) => !check.ok)).toEqual([])
      expect(result.ok).toBe(true)
      // single head, lint, base → head, models match, and a stairway step per revision
      expect(result.checks).toHaveLength(4 + STORY.length)
    })
  })
}
