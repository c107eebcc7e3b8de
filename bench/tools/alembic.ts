/**
 * Alembic, from Debian's `python3-alembic` with `python3-psycopg2`, as `python3 -m alembic` (the
 * Debian package installs the module without the `alembic` script; the module is the same entry).
 * Projects are laid out as `alembic init` lays them out: alembic.ini, env.py (the generic
 * template's online path), script.py.mako and versions/ with one module per revision using
 * `op.create_table`.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from '../lib/command.ts'
import type { ColumnDefault, ModelColumn, ModelTable } from '../lib/model.ts'
import { write } from '../lib/paths.ts'
import type { MigrationPlan, MigrationSpec } from '../lib/workload.ts'
import type { MigrationProject, MigrationTool, ModelProject, ModelTool } from './tool.ts'

/** Debian's interpreter, where `apt-get install python3-alembic` puts the module. */
export const PYTHON = '/usr/bin/python3'

let missing: string | undefined | null = null

/** Why Alembic cannot run here (module or driver missing), or undefined. */
export function alembicUnavailable(): string | undefined {
  if (missing === null) {
    const probe = spawnSync(PYTHON, ['-c', 'import alembic, psycopg2'], { encoding: 'utf8' })
    missing =
      probe.status === 0
        ? undefined
        : `${PYTHON} cannot import alembic and psycopg2 (install python3-alembic python3-psycopg2)`
  }
  return missing
}

/** Alembic as a migration runner: one transaction for the whole run (its default). */
export function alembicTool(): MigrationTool {
  return {
    name: 'Alembic',
    role: 'peer',
    layout: 'one for the whole run',
    merges: true,
    driven:
      '`python3 -m alembic upgrade head` / `downgrade base` / `heads` / `history`; revisions use `op.create_table`',
    unavailable: alembicUnavailable,
    writeProject(dir: string, url: string, plan: MigrationPlan): MigrationProject {
      writeSkeleton(dir, url, false)
      for (const m of plan.migrations) {
        write(join(dir, 'versions', `${m.revision}_${m.table}.py`), revisionModule(m))
      }
      const upgrade = alembic(dir, 'upgrade', 'head')
      return {
        upgrade,
        // transaction_per_migration, read from BENCH_SETUP in env.py: see MigrationProject.setup.
        setup: [{ ...upgrade, env: { BENCH_SETUP: '1' } }],
        downgrade: alembic(dir, 'downgrade', 'base'),
        graph: [
          { label: 'heads', command: alembic(dir, 'heads') },
          { label: 'history', command: alembic(dir, 'history') },
        ],
      }
    },
  }
}

/** Alembic's autogenerate. Alembic 1.8 (Debian 12) predates `alembic check` (1.9). */
export function alembicModelTool(): ModelTool {
  return {
    name: 'Alembic',
    role: 'peer',
    driven:
      '`alembic revision --autogenerate -m initial`; the check is `alembic revision --autogenerate` on a database at head (Alembic 1.8 has no `alembic check`), which must detect nothing',
    unavailable: alembicUnavailable,
    writeModels(dir: string, url: string, tables: readonly ModelTable[]): ModelProject {
      writeSkeleton(dir, url, true)
      write(join(dir, 'models.py'), modelsModule(tables))
      const versions = join(dir, 'versions')
      write(join(versions, '.keep'), '')
      let kept: string[] = []
      const removeRevisionsExcept = (keep: readonly string[]) => {
        for (const file of readdirSync(versions)) {
          if (file.endsWith('.py') && !keep.includes(file)) rmSync(join(versions, file))
        }
        rmSync(join(versions, '__pycache__'), { recursive: true, force: true })
      }
      return {
        autogenerate: alembic(dir, 'revision', '--autogenerate', '-m', 'initial'),
        resetAutogenerate: () => removeRevisionsExcept([]),
        apply: [alembic(dir, 'upgrade', 'head')],
        check: {
          ...alembic(dir, 'revision', '--autogenerate', '-m', 'check'),
          rejectOutput: /Detected/,
        },
        resetCheck: () => {
          // The first call comes right after `apply`: what is there now is the initial revision.
          if (kept.length === 0) kept = readdirSync(versions).filter((f) => f.endsWith('.py'))
          removeRevisionsExcept(kept)
        },
      }
    },
  }
}

function alembic(dir: string, ...args: string[]): Command {
  return { program: PYTHON, args: ['-m', 'alembic', '-c', 'alembic.ini', ...args], cwd: dir }
}

function writeSkeleton(dir: string, url: string, withModels: boolean): void {
  const sqlalchemyUrl = url.replace(/^postgres(ql)?:/, 'postgresql+psycopg2:')
  write(join(dir, 'alembic.ini'), alembicIni(sqlalchemyUrl))
  write(join(dir, 'env.py'), envPy(withModels))
  write(join(dir, 'script.py.mako'), SCRIPT_TEMPLATE)
}

/** alembic.ini as `alembic init` writes it, trimmed of comments. */
function alembicIni(url: string): string {
  return `[alembic]
script_location = %(here)s
prepend_sys_path = .
sqlalchemy.url = ${url.replaceAll('%', '%%')}

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %%(levelname)-5.5s [%%(name)s] %%(message)s
datefmt = %%H:%%M:%%S
`
}

/** The generic template's env.py (online mode), with the benchmark's set-up switch. */
function envPy(withModels: boolean): string {
  return `import os
from logging.config import fileConfig

from sqlalchemy import engine_from_config, pool

from alembic import context

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

${withModels ? 'from models import metadata as target_metadata' : 'target_metadata = None'}


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # The benchmark's untimed set-up only: PostgreSQL cannot create 10,000 tables in the
            # single transaction Alembic uses by default.
            transaction_per_migration=os.environ.get("BENCH_SETUP") == "1",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
`
}

const SCRIPT_TEMPLATE = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = \${repr(up_revision)}
down_revision = \${repr(down_revision)}
branch_labels = \${repr(branch_labels)}
depends_on = \${repr(depends_on)}


def upgrade() -> None:
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`

/** A revision module as `alembic revision` renders it, with the table built by `op.create_table`. */
function revisionModule(m: MigrationSpec): string {
  const down =
    m.parents.length === 0
      ? 'None'
      : m.parents.length === 1
        ? `'${m.parents[0]}'`
        : `(${m.parents.map((p) => `'${p}'`).join(', ')})`
  return `"""${m.message}

Revision ID: ${m.revision}
Revises: ${m.parents.join(', ')}
Create Date: 2025-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '${m.revision}'
down_revision = ${down}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        '${m.table}',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()')),
    )


def downgrade() -> None:
    op.drop_table('${m.table}')
`
}

/** The S4 model as SQLAlchemy Core tables. */
function modelsModule(tables: readonly ModelTable[]): string {
  const body = tables.map((t) => {
    const columns = t.columns.map((c) => `    ${sqlalchemyColumn(c)},`).join('\n')
    const [first, second] = t.indexes
    const cols = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ')
    return `${t.name} = Table(
    '${t.name}',
    metadata,
${columns}
    ForeignKeyConstraint(['parent_id'], ['${t.references}.id'], name='${t.foreignKeyName}', ondelete='SET NULL'),
    Index('${first!.name}', ${cols(first!.columns)}),
    Index('${second!.name}', ${cols(second!.columns)}),
)
`
  })
  return `from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSON, JSONB, UUID

metadata = MetaData()

${body.join('\n')}`
}

function sqlalchemyColumn(c: ModelColumn): string {
  const type = {
    serial: 'Integer',
    integer: 'Integer',
    varchar100: 'String(100)',
    text: 'Text',
    numeric10_2: 'Numeric(10, 2)',
    boolean: 'Boolean',
    timestamptz: 'DateTime(timezone=True)',
    jsonb: 'JSONB',
    'text[]': 'ARRAY(Text)',
    uuid: 'UUID',
    json: 'JSON',
  }[c.kind]
  const parts = [`'${c.name}'`, type]
  if (c.primaryKey) parts.push('primary_key=True')
  else if (c.notNull) parts.push('nullable=False')
  if (c.default !== undefined) parts.push(`server_default=${serverDefault(c.default)}`)
  return `Column(${parts.join(', ')})`
}

function serverDefault(d: ColumnDefault): string {
  switch (d.kind) {
    case 'string':
      return `'${d.value}'`
    case 'boolean':
      return d.value ? 'true()' : 'false()'
    case 'json':
      return `text("'${JSON.stringify(d.value)}'::jsonb")`
    case 'now':
      return "text('now()')"
  }
}
