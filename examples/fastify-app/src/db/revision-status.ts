import { currentRevision, type ResolvedConfig, type RevisionStatus } from 'aludel'
import type { AppDatabase } from './database.ts'

/** Answers "which revision is the database at, and is that the migrations' head?" */
export type RevisionStatusCheck = () => Promise<RevisionStatus>

/**
 * The check behind GET /health: aludel's `currentRevision(config)`, run through the
 * application's own session where aludel can borrow it (see `AppDatabase.aludelSession`). That
 * matters twice: a health probe every few seconds should not open a session each time, and a
 * PGlite folder may be open in only one place — this process already has it. On MySQL aludel
 * opens a short session of its own from the URL.
 */
export function revisionStatusCheck(
  config: ResolvedConfig,
  database: AppDatabase,
): RevisionStatusCheck {
  return () => currentRevision(config, { connection: database.aludelSession })
}
