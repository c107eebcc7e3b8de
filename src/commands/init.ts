import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { UsageError } from '../aludel-error.ts'
import { CONFIG_FILE_NAMES } from '../config/load-config.ts'
import { nearestPackageType } from '../util/import-project-module.ts'

/** What {@link init} wrote. */
export interface InitResult {
  readonly dir: string
  readonly created: readonly string[]
  /** Lines added to a `.gitignore` that was already there (one it creates is in `created`). */
  readonly ignored: readonly string[]
}

const CONFIG_TEMPLATE = `import { defineConfig, loadEnv } from 'aludel'

// .env beside this file, read whoever imports it (the aludel command, your application, a test),
// so that they all use the same DATABASE_URL; variables already set win.
loadEnv(import.meta.dirname)

export default defineConfig({
  // The database to migrate: the DATABASE_URL your application reads, or an embedded PGlite
  // database in ./.aludel-data when it is unset.
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
 * Sets up aludel in a folder: `aludel.config.ts` (`.mts` in a CommonJS package), an empty
 * `migrations/` folder, `.env.example`, and `.env` and the embedded database's folder in
 * `.gitignore`. Refuses to overwrite an existing config.
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
  write(configFileName(root), CONFIG_TEMPLATE)
  write(join('migrations', '.gitkeep'), '')
  write('.env.example', ENV_TEMPLATE)
  const ignore = join(root, '.gitignore')
  const ignored = existsSync(ignore) ? readFileSync(ignore, 'utf8') : undefined
  const missing = IGNORED.filter((line) => !ignored?.split(/\r?\n/).includes(line))
  if (missing.length > 0) {
    // Appended on a line of its own, whether or not the file ends with a newline.
    const before = ignored && !ignored.endsWith('\n') ? '\n' : ''
    appendFileSync(ignore, `${before}${missing.join('\n')}\n`)
    if (ignored === undefined) created.push(ignore)
  }
  return { dir: root, created, ignored: ignored === undefined ? [] : missing }
}

/** What a project keeps out of version control: its secrets and the embedded database's files. */
const IGNORED = ['.env', '.aludel-data/']

/**
 * \`aludel.config.ts\`, or \`.mts\` in a package that is not an ES-module package: the config uses
 * \`import.meta\`, which TypeScript accepts in a CommonJS package only in a \`.mts\` file (aludel
 * loads either).
 */
function configFileName(root: string): string {
  const type = nearestPackageType(root)
  return type === undefined || type === 'module' ? 'aludel.config.ts' : 'aludel.config.mts'
}
