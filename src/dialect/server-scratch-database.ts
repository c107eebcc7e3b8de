import { randomBytes } from 'node:crypto'
import type { Connection, Driver } from './connection.ts'
import type { DatabaseUrl } from './database-url.ts'
import type { ScratchDatabase } from './dialect.ts'

/** How an engine creates and drops a database on its server. */
export interface ScratchSpelling {
  readonly createSql: (name: string) => string
  readonly dropSql: (name: string) => string
}

/**
 * A new database on the server `url` reaches, with the same credentials (which need the right to
 * create databases); its URL names it in place of the original's database.
 */
export async function serverScratchDatabase(
  url: DatabaseUrl,
  driver: Driver,
  spelling: ScratchSpelling,
): Promise<ScratchDatabase> {
  const name = `aludel_scratch_${randomBytes(5).toString('hex')}`
  await onServer(driver, (session) => session.execute(spelling.createSql(name)))
  const scratch = new URL(url.url)
  scratch.pathname = `/${name}`
  return {
    url: scratch.toString(),
    drop: () => onServer(driver, (session) => session.execute(spelling.dropSql(name))),
  }
}

async function onServer(driver: Driver, body: (session: Connection) => Promise<void>) {
  const session = await driver.connect('aludel test (scratch database)')
  try {
    await body(session)
  } finally {
    await session.close()
  }
}
