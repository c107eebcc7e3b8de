import { defineConfig } from 'aludel'

/**
 * The one place that says which database this service uses and where its models and migrations
 * live. The `aludel` command and the application (src/settings.ts) both load this file with
 * aludel's `loadConfig()`, which first reads a `.env` beside it, so they can never disagree about
 * DATABASE_URL.
 */
export default defineConfig({
  // A server (postgres://user:password@host:5432/db, mysql://user:password@host:3306/db), a SQLite
  // file (sqlite:./app.db), or by default an embedded PGlite database in ./.data that needs no
  // server. Relative paths are relative to this file, not to the shell.
  url: process.env.DATABASE_URL || 'pglite:./.data',
  migrations: './migrations',
  // The models the application queries with; `aludel revision --autogenerate`, `aludel check`
  // and `aludel test` compare them with the migrated database.
  schema: './src/db/schema.ts',
})
