import {
  currentRevision,
  type QueryableSession,
  type ResolvedConfig,
  type RevisionStatus,
} from 'aludel'
import { CompiledQuery, type Kysely } from 'kysely'
import type { AppDatabase } from './database.ts'
import type { Database } from './schema.ts'

/** Answers "which revision is the database at, and is that the migrations' head?" */
export type RevisionStatusCheck = () => Promise<RevisionStatus>

/**
 * The check behind GET /health: aludel's `currentRevision(config)`, run through the
 * application's own pool instead of a connection of its own. That matters twice: a health probe
 * every few seconds should not open a session each time, and a PGlite folder may be open in only
 * one place — this process already has it.
 */
export function revisionStatusCheck(
  config: ResolvedConfig,
  database: AppDatabase,
): RevisionStatusCheck {
  const connection = kyselySession(database.db)
  return () => currentRevision(config, { connection })
}

/**
 * The application's Kysely instance as a session aludel can query: each query borrows a pooled
 * connection (with PGlite, the single session, in turn with requests) and gives it back.
 */
export function kyselySession(db: Kysely<Database>): QueryableSession {
  return {
    async query(text, params = []) {
      const result = await db.executeQuery(CompiledQuery.raw(text, params))
      return { rows: result.rows }
    },
  }
}
