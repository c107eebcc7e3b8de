import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { UsageError } from '../aludel-error.ts'
import { CONFIG_FILE_NAMES } from '../config/load-config.ts'

/** What {@link init} wrote. */
export interface InitResult {
  readonly dir: string
  readonly created: readonly string[]
}

const CONFIG_TEMPLATE = `import { defineConfig } from 'aludel'

export default defineConfig({
  // The database to migrate: the DATABASE_URL your application reads (from the environment, or
  // from .env beside this file), or an embedded PGlite database in ./.aludel-data when unset.
  url: process.env.DATABASE_URL || 'pglite:./.aludel-data',
  // Where migration files live.
  migrations: './migrations',
  // The module exporting your table models, for \`aludel revision --autogenerate\` and \`aludel check\`.
  // schema: './src/db/schema.ts',
})
`

const ENV_TEMPLATE = `# Copy to .env (kept out of version control) and fill in. The application and aludel read the
# same variable, so they always talk to the same database.
# Without it, aludel uses an embedded PGlite database in ./.aludel-data.
DATABASE_URL=postgres://app:change-me@localhost:5432/app
# Or SQLite, or MySQL/MariaDB:
# DATABASE_URL=sqlite:./app.db
# DATABASE_URL=mysql://app:change-me@localhost:3306/app
`

/**
 * Sets up aludel in a folder: `aludel.config.ts`, an empty `migrations/` folder and
 * `.env.example`. Refuses to overwrite an existing config.
 *
 * @param dir the project folder (created if missing); default: the current folder
 */
export async function init(dir = '.'): Promise<InitResult> {
  const root = resolve(dir)
  const existing = CONFIG_FILE_NAMES.map((n) => join(root, n)).find((p) => existsSync(p))
  if (existing !== undefined) {
    throw new UsageError(
      `${existing} already exists; aludel is already set up here (delete it to start over)`,
      'ALREADY_INITIALIZED',
    )
  }
  mkdirSync(join(root, 'migrations'), { recursive: true })
  const created: string[] = []
  const write = (name: string, text: string) => {
    const path = join(root, name)
    if (existsSync(path)) return
    writeFileSync(path, text, { flag: 'wx' })
    created.push(path)
  }
  write('aludel.config.ts', CONFIG_TEMPLATE)
  write(join('migrations', '.gitkeep'), '')
  write('.env.example', ENV_TEMPLATE)
  return { dir: root, created }
}
