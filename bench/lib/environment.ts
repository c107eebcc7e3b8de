/** The machine and the versions of everything measured, for the report's header. */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { PYTHON } from '../tools/alembic.ts'
import { mysqlServerVersion } from './mysql.ts'
import { packageVersion, REPO } from './paths.ts'
import { serverVersion } from './postgres.ts'
import { sqliteVersion } from './sqlite.ts'

export interface Environment {
  readonly date: string
  readonly cpu: string
  readonly cores: number
  readonly memoryGiB: number
  readonly os: string
  readonly node: string
  readonly python: string
  readonly postgres: string
  /** Tool name → version line. */
  readonly tools: Readonly<Record<string, string>>
}

export async function describeEnvironment(): Promise<Environment> {
  const python = spawnSync(
    PYTHON,
    [
      '-c',
      [
        'import platform',
        'print(platform.python_version())',
        'try:',
        '  import alembic, sqlalchemy, psycopg2',
        '  print(alembic.__version__, sqlalchemy.__version__, psycopg2.__version__.split()[0])',
        'except ImportError:',
        '  print("missing")',
      ].join('\n'),
    ],
    { encoding: 'utf8' },
  )
  const [pythonVersion = 'unknown', alembicLine = 'missing'] = python.stdout.trim().split('\n')
  const [alembic, sqlalchemy, psycopg2] = alembicLine.split(' ')
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName(),
    node: process.versions.node,
    python: pythonVersion,
    postgres: await serverVersion(),
    tools: {
      aludel: aludelVersion(),
      Alembic:
        alembicLine === 'missing'
          ? 'not installed'
          : `${alembic} (SQLAlchemy ${sqlalchemy}, psycopg2 ${psycopg2}; Debian packages)`,
      knex: packageVersion('knex'),
      'node-pg-migrate': packageVersion('node-pg-migrate'),
      Kysely: packageVersion('kysely'),
      'drizzle-kit': packageVersion('drizzle-kit'),
      'drizzle-orm': packageVersion('drizzle-orm'),
      'pg (node-postgres, every Node tool)': packageVersion('pg'),
      'SQLite (node:sqlite, S8)': sqliteVersion(),
      'MariaDB (S9)': await mysqlServerVersion(),
      'mysql2 (every Node tool in S9)': packageVersion('mysql2'),
    },
  }
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8')
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? os.type()
  } catch {
    return `${os.type()} ${os.release()}`
  }
}

/** aludel's version and commit, noting uncommitted changes to its sources. */
function aludelVersion(): string {
  const version = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8')).version as string
  const git = (...args: string[]) =>
    spawnSync('git', ['-C', REPO, ...args], { encoding: 'utf8' }).stdout?.trim() ?? ''
  const commit = git('rev-parse', '--short', 'HEAD')
  const dirty = git('status', '--porcelain', '--', 'src') !== ''
  return `${version} (commit ${commit || 'unknown'}${dirty ? ', with uncommitted changes in src/' : ''})`
}
