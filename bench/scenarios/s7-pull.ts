/**
 * S7: `pull` — a live database read into a models module — on a database shaped like a real
 * application's (tables, views, functions, triggers), for the tools that have one: aludel and
 * drizzle-kit. Alembic has none (see the notes). The database is built once by a SQL script and
 * only read, so the tools run interleaved against the same one.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { type Contender, measureInterleaved, runSetup } from '../lib/measure.ts'
import { keeps } from '../lib/options.ts'
import { emptyDir, WORK, write } from '../lib/paths.ts'
import { dropDatabase, freshDatabase, query, settle } from '../lib/postgres.ts'
import { pullDatabase, TRIGGER_FUNCTION } from '../lib/pull-workload.ts'
import type { Cell, Row } from '../lib/results.ts'
import { alembicUnavailable } from '../tools/alembic.ts'
import { pullTools, slug } from '../tools/catalog.ts'
import { count, judged, type Scenario, underTarget } from './scenario.ts'

/** The database every tool reads. */
const DATABASE = 's7_pull'

/** Why Alembic has no cell, in the table and the notes. */
const NO_ALEMBIC_PULL =
  'Alembic has no pull: its autogenerate reflects the database only to compare it with SQLAlchemy models it is given, and writes a migration, never models'

export const s7Pull: Scenario = {
  id: 'S7',
  title: '`pull` a large database into models',
  async run(options) {
    const { s7Tables: tables, s7Views: views, s7Functions: functions } = options.sizes
    const label = `pull, ${count(tables)} tables, ${count(views)} views, ${count(functions)} functions`
    const database = pullDatabase({ tables, views, functions })
    const dir = join(WORK, 's7')
    const rows: Row[] = []
    /** Each measured tool's cells, and its contender's label. */
    const measuredInto: [Record<string, Cell>, string][] = []
    try {
      const url = await freshDatabase(DATABASE)
      write(join(dir, 'database.sql'), database.sql)
      runSetup(
        [
          {
            program: 'psql',
            args: [
              '--quiet',
              '--no-psqlrc',
              '-v',
              'ON_ERROR_STOP=1',
              '-d',
              url,
              '-f',
              'database.sql',
            ],
            cwd: dir,
          },
        ],
        `S7 ${label}`,
      )
      const [made] = await query<{
        tables: string
        views: string
        functions: string
        triggers: string
      }>(
        url,
        `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public') AS tables,
                (SELECT count(*) FROM pg_views WHERE schemaname = 'public') AS views,
                (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname <> '${TRIGGER_FUNCTION}') AS functions,
                (SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal) AS triggers`,
      )
      const want = [tables, views, functions, database.triggers].join()
      const got = [made?.tables, made?.views, made?.functions, made?.triggers].join()
      if (got !== want)
        throw new Error(`set-up made ${got} (tables, views, functions, triggers), expected ${want}`)
      await settle()

      const contenders: Contender[] = []
      for (const tool of pullTools().filter((t) => keeps(options, t))) {
        const reason = tool.unavailable()
        const cells: Record<string, Cell> = {}
        rows.push({ tool: tool.name, role: tool.role, cells })
        if (reason !== undefined) {
          cells[label] = { kind: 'n/a', reason }
          continue
        }
        const project = tool.writePull(emptyDir(join(dir, slug(tool.name))), url, database)
        const contender: Contender = {
          label: `S7 ${tool.name} ${label}`,
          command: project.pull,
          before: project.reset,
          after: project.check,
        }
        contenders.push(contender)
        measuredInto.push([cells, contender.label])
      }
      const measured = await measureInterleaved(contenders, options)
      for (const [cells, contender] of measuredInto) cells[label] = measured.get(contender)!
    } finally {
      await dropDatabase(DATABASE)
      rmSync(dir, { recursive: true, force: true })
    }
    if (keeps(options, { name: 'Alembic', role: 'peer' })) {
      rows.push({
        tool: 'Alembic',
        role: 'peer',
        cells: { [label]: { kind: 'n/a', reason: alembicUnavailable() ?? NO_ALEMBIC_PULL } },
      })
    }

    const aludel = rows.find((r) => r.tool === 'aludel')?.cells[label]
    return {
      id: 'S7',
      title: this.title,
      about: [
        `One database, built once by a generated SQL script (\`bench/lib/pull-workload.ts\`, loaded by \`psql\`, untimed) and only read: ${count(tables)} tables of S4's model (10 columns of mixed types, a primary key, 2 indexes and a foreign key each, ${count(tables * 2)} indexes in all); ${count(views)} views over them, every third one joining a table with the table its foreign key references; ${count(functions)} functions in five shapes — SQL \`STABLE\` lookups, SQL \`IMMUTABLE STRICT\` arithmetic with a default argument, SQL \`STABLE\` functions returning \`SETOF\` a table, PL/pgSQL \`STABLE\` counts, PL/pgSQL \`VOLATILE\` updaters that raise on bad input —; and a \`BEFORE UPDATE\` trigger on every sixth table (${count(database.triggers)}), all using one shared PL/pgSQL trigger function.`,
        `"pull" is the whole process: start-up, connecting, reading the catalog and writing the models. aludel runs \`aludel pull --output models.ts --force\` (the file is removed between runs); drizzle-kit runs \`drizzle-kit pull\` with a drizzle.config.ts naming the database (its \`drizzle/\` folder is removed between runs). After every run the output is checked: aludel's must hold every table, view, function (and the trigger function) and trigger; drizzle-kit's \`schema.ts\` every table and view. The tools run interleaved, one run of each per round, after ${count(options.warmups)} warm-up round${options.warmups === 1 ? '' : 's'}.`,
        `The two do not write the same amount: drizzle-kit's model has no functions or triggers, so it reads and writes less than aludel does here (tables, columns, indexes, foreign keys and views in both).`,
      ],
      cases: [label],
      rows,
      targets: judged(options, [
        underTarget(
          'S7',
          `pull of ${count(tables)} tables, ${count(views)} views and ${count(functions)} functions under 2 s with Node start-up`,
          aludel,
          2000,
        ),
      ]),
      notes: [
        `${NO_ALEMBIC_PULL}. Writing models from a database is sqlacodegen's job in the Python world, a separate package that Debian does not package (this machine reaches only npm's and Debian's registries), so it is not measured, and nothing stands in for it.`,
      ],
    }
  },
}
