/**
 * What every tool adapter provides. An adapter writes a project in the tool's own layout (config,
 * migrations in its own format) from the shared workload, and says which whole-process commands do
 * each job. The scenarios time those commands; they never call a tool in-process.
 */
import type { Command } from '../lib/command.ts'
import type { ModelTable } from '../lib/model.ts'
import type { PullDatabase } from '../lib/pull-workload.ts'
import type { MigrationPlan } from '../lib/workload.ts'

/** aludel's own rows, the peers it is compared with, or a floor no tool can beat (plain psql). */
export type Role = 'subject' | 'peer' | 'floor'

/**
 * How a tool's `upgrade` groups migrations into transactions, for the report. Kysely's Migrator on
 * SQLite opens none: its SqliteAdapter reports no transactional DDL, so every statement commits on
 * its own.
 */
export type TransactionLayout =
  | 'one per migration'
  | 'one for the whole run'
  | 'none (each statement commits)'

/** The commands of a migrations project written by {@link MigrationTool.writeProject}. */
export interface MigrationProject {
  /** Applies every pending migration: the tool's normal `upgrade head`. */
  readonly upgrade: Command
  /**
   * Untimed set-up route to head, when the normal one cannot get there: PostgreSQL cannot create
   * 10,000 tables in one transaction (it runs out of lock slots, `max_locks_per_transaction`), so
   * tools that use one transaction per run are driven in smaller transactions here.
   */
  readonly setup: readonly Command[]
  /** Reverts every applied migration (downgrade to base), if the tool has downgrades. */
  readonly downgrade?: Command
  /** Graph or listing commands, for S5, if the tool has any. */
  readonly graph?: readonly { readonly label: string; readonly command: Command }[]
}

/** A migration tool: aludel or a peer. */
export interface MigrationTool {
  /** Name in the report, e.g. `knex`. */
  readonly name: string
  readonly role: Role
  readonly layout: TransactionLayout
  /** Whether its revision graph has merges (only aludel and Alembic). */
  readonly merges: boolean
  /** One line for the report on how the tool is driven. */
  readonly driven: string
  /** Why the tool cannot run on this machine, or undefined when it can. */
  unavailable(): string | undefined
  /** Writes a project for `plan` into the empty folder `dir`, using database `url`. */
  writeProject(dir: string, url: string, plan: MigrationPlan): MigrationProject
}

/** The commands of an autogenerate project written by {@link ModelTool.writeModels}. */
export interface ModelProject {
  /** Writes the initial migration by comparing the models with an empty database. */
  readonly autogenerate: Command
  /** Removes what `autogenerate` wrote, so the next run starts from the same state. */
  resetAutogenerate(): void
  /** Applies the generated migration (untimed set-up for `check`). */
  readonly apply: readonly Command[]
  /** Compares the models with a database that already matches them, expecting no change. */
  readonly check: Command
  /** Removes anything `check` wrote (Alembic 1.8 writes an empty revision). */
  resetCheck(): void
}

/** A tool that writes migrations from models (S4). */
export interface ModelTool {
  readonly name: string
  readonly role: Role
  /** One line for the report on what `autogenerate` and `check` run. */
  readonly driven: string
  unavailable(): string | undefined
  writeModels(dir: string, url: string, tables: readonly ModelTable[]): ModelProject
}

/** The commands of a pull project written by {@link PullTool.writePull}. */
export interface PullProject {
  /** Reads the database and writes the tool's models (schema) module. */
  readonly pull: Command
  /** Removes what `pull` wrote, so the next run starts from the same state. */
  reset(): void
  /** Throws unless what `pull` wrote describes the database (its tables, views, ...). */
  check(): void
}

/** A tool that writes models from a live database (S7). */
export interface PullTool {
  readonly name: string
  readonly role: Role
  /** One line for the report on what `pull` runs. */
  readonly driven: string
  unavailable(): string | undefined
  writePull(dir: string, url: string, database: PullDatabase): PullProject
}

/**
 * The commands of a migrations project on one engine's database: a SQLite file (S8) or a
 * MariaDB/MySQL database (S9).
 */
export interface EngineMigrationProject {
  /** Applies every pending migration to the database: the tool's normal `upgrade head`. */
  readonly upgrade: Command
}

/** A migration tool run on one engine's database (S8, S9): aludel, a peer, or the floor. */
export interface EngineMigrationTool {
  readonly name: string
  readonly role: Role
  readonly layout: TransactionLayout
  /** One line for the report on how the tool is driven on the engine. */
  readonly driven: string
  /** Why the tool cannot run on the engine here, or undefined when it can. */
  unavailable(): string | undefined
  /**
   * A query of the tool's own record of applied migrations (its version table), which an
   * `upgrade` with nothing to do must leave unchanged.
   */
  readonly versionQuery: string
  /**
   * Writes a project for `plan` into the empty folder `dir`, using `database`: a SQLite file's
   * path, or a server database's URL.
   */
  writeProject(dir: string, database: string, plan: MigrationPlan): EngineMigrationProject
}

/** The commands of an autogenerate project on one engine's database (S8, S9). */
export interface EngineModelProject {
  /** Writes the initial migration (comparing the models with the empty database, for aludel). */
  readonly autogenerate: Command
  /** Removes what `autogenerate` wrote, so the next run starts from the same state. */
  reset(): void
  /** Throws unless `autogenerate` wrote one migration creating `tables` tables. */
  checkWritten(tables: number): void
  /** Applies the written migration to the (emptied) database: an untimed check that it runs. */
  readonly apply: Command
}

/** A tool that writes migrations from models for one engine (S8, S9). */
export interface EngineModelTool {
  readonly name: string
  readonly role: Role
  /** One line for the report on what `autogenerate` runs. */
  readonly driven: string
  unavailable(): string | undefined
  writeModels(dir: string, database: string, tables: readonly ModelTable[]): EngineModelProject
}

export type SqliteMigrationProject = EngineMigrationProject
export type SqliteMigrationTool = EngineMigrationTool
export type SqliteModelProject = EngineModelProject
export type SqliteModelTool = EngineModelTool
export type MysqlMigrationProject = EngineMigrationProject
export type MysqlMigrationTool = EngineMigrationTool
export type MysqlModelProject = EngineModelProject

export type MysqlModelTool = EngineModelTool
