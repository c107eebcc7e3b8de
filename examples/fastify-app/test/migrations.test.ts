import { checkModels, downgrade, heads, history, type ResolvedConfig, upgrade } from 'aludel'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCheckViolation } from '../src/db/errors.ts'
import {
  type BackendName,
  backends,
  createTestDatabase,
  type TestDatabase,
} from './support/databases.ts'
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

/** The model types as each engine's catalog names them (SQLite keeps the declared name). */
const TYPE_NAMES: Record<
  BackendName,
  Record<'integer' | 'varchar' | 'text' | 'boolean' | 'timestamptz', string>
> = {
  pglite: postgresTypes(),
  postgres: postgresTypes(),
  sqlite: {
    integer: 'integer',
    varchar: 'varchar',
    text: 'text',
    boolean: 'boolean',
    timestamptz: 'timestamptz',
  },
  // MySQL's BOOLEAN is tinyint(1); timestamptz is its `timestamp`, stored in UTC.
  mysql: {
    integer: 'int',
    varchar: 'varchar',
    text: 'text',
    boolean: 'tinyint',
    timestamptz: 'timestamp',
  },
}

function postgresTypes() {
  return {
    integer: 'integer',
    varchar: 'character varying',
    text: 'text',
    boolean: 'boolean',
    timestamptz: 'timestamp with time zone',
  }
}

/** Reading the schema back: each engine has its own catalog. */
function catalog(backend: BackendName, db: () => TestDatabase) {
  const rows = <Row>(sql: string, params: unknown[] = []) => db().query<Row>(sql, params)
  const names = async (sql: string, params: unknown[] = []) =>
    (await rows<{ name: string }>(sql, params)).map((row) => row.name)
  // `information_schema` on PostgreSQL (schema public) and MySQL (the URL's database).
  const schema = backend === 'mysql' ? 'DATABASE()' : "'public'"
  return {
    /** The application's tables, not aludel's. */
    tables: () =>
      backend === 'sqlite'
        ? names(
            `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'aludel%'
               AND name NOT LIKE 'sqlite%' ORDER BY 1`,
          )
        : names(
            `SELECT table_name AS name FROM information_schema.tables
              WHERE table_schema = ${schema} AND table_name NOT LIKE 'aludel%' ORDER BY 1`,
          ),
    /** Column name → "type, null|not null", in the order the table stores them. */
    columns: async (table: string) => {
      const found =
        backend === 'sqlite'
          ? (
              await rows<{ name: string; type: string; notnull: number; pk: number }>(
                `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`,
                [table],
              )
            ).map((c) => ({
              name: c.name,
              type: c.type.replace(/\(.*\)$/, '').toLowerCase(),
              // The rowid (INTEGER PRIMARY KEY) is never null, whatever table_info says.
              nullable: c.notnull === 0 && c.pk === 0,
            }))
          : (
              await rows<{ name: string; type: string; nullable: string }>(
                `SELECT column_name AS name, data_type AS type, is_nullable AS nullable
                   FROM information_schema.columns
                  WHERE table_schema = ${schema} AND table_name = ? ORDER BY ordinal_position`,
                [table],
              )
            ).map((c) => ({ name: c.name, type: c.type, nullable: c.nullable === 'YES' }))
      return Object.fromEntries(
        found.map((c) => [c.name, `${c.type}, ${c.nullable ? 'null' : 'not null'}`]),
      )
    },
    /** The names of a table's indexes. */
    indexes: (table: string) => {
      switch (backend) {
        case 'sqlite':
          return names(`SELECT name FROM pragma_index_list(?) ORDER BY 1`, [table])
        case 'mysql':
          return names(
            `SELECT DISTINCT index_name AS name FROM information_schema.statistics
              WHERE table_schema = DATABASE() AND table_name = ? ORDER BY 1`,
            [table],
          )
        default:
          return names(`SELECT indexname AS name FROM pg_indexes WHERE tablename = ? ORDER BY 1`, [
            table,
          ])
      }
    },
  }
}

/**
 * The migration story, walked with aludel's programmatic API one revision at a time, looking at
 * the schema (and the data the data migration moves) after each step; then all the way down to
 * base and up again. (aludel's own migration test kit runs in migration-kit.test.ts.)
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

    const { tables, columns, indexes } = catalog(backend.name, () => database)
    const versionRows = async () =>
      (
        await database.query<{ v: string }>(
          'SELECT version_num AS v FROM aludel_version ORDER BY 1',
        )
      ).map((row) => row.v)
    /** A column's type as this engine names it. */
    const type = TYPE_NAMES[backend.name]

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
        id: `${type.integer}, not null`,
        email: `${type.varchar}, not null`,
        hashed_password: `${type.text}, not null`,
        is_active: `${type.boolean}, not null`,
        created_at: `${type.timestamptz}, not null`,
        fullname: `${type.varchar}, not null`,
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
        first_name: `${type.varchar}, not null`,
        last_name: `${type.varchar}, null`,
      })
      expect(
        await database.query('SELECT email, first_name, last_name FROM users ORDER BY email'),
      ).toEqual([
        { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace' },
        { email: 'cher@example.com', first_name: 'Cher', last_name: null },
        { email: 'jl@example.com', first_name: 'Jean', last_name: 'Luc Picard' },
      ])
    })

    it('392e940e3c2e builds ix_items_owner_id (concurrently where the engine can)', async () => {
      await upgrade(config, '392e940e3c2e')
      expect(await indexes('items')).toContain('ix_items_owner_id')
      if (backend.name === 'pglite' || backend.name === 'postgres') {
        // A failed CONCURRENTLY build leaves an INVALID index behind: this one is valid.
        expect(
          await database.query(
            `SELECT i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS def
               FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
              WHERE c.relname = 'ix_items_owner_id'`,
          ),
        ).toEqual([
          {
            valid: true,
            def: 'CREATE INDEX ix_items_owner_id ON public.items USING btree (owner_id)',
          },
        ])
      }
    })

    // Named by id: `pricing@head` would mean the merge too, which is built on the branch.
    it('17a70fc71df7 (branch pricing) adds items.price_cents, checked non-negative', async () => {
      await upgrade(config, '17a70fc71df7')
      expect(await columns('items')).toMatchObject({ price_cents: `${type.integer}, null` })
      const refused = await database.query('UPDATE items SET price_cents = -1').catch((e) => e)
      expect(isCheckViolation(refused, { name: 'ck_items_price_cents_not_negative' })).toBe(true)
      expect(await versionRows()).toEqual(['17a70fc71df7'])
    })

    it('335b7cdb5bff (branch login-tracking) adds users.last_login_at: two heads applied', async () => {
      await upgrade(config, '335b7cdb5bff')
      expect(await columns('users')).toMatchObject({ last_login_at: `${type.timestamptz}, null` })
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
      expect(await indexes('items')).not.toContain('ix_items_owner_id')
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
  })
}
