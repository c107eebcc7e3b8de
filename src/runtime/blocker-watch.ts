import type { Connection } from '../dialect/connection.ts'
import type { DialectAdapter, SessionActivity } from '../dialect/dialect.ts'

/**
 * Remembers who blocked the work session's statements. A statement that waits for a lock is
 * watched from another session (the lock session): halfway through its lock timeout, and again at
 * the same pace while it keeps waiting, the sessions blocking it are read. When the statement
 * then gives up (SQLSTATE 55P03), the blockers are already known — asked afterwards, the wait is
 * over and the question has no answer.
 */
export class BlockerWatch {
  private latest: readonly SessionActivity[] = []

  constructor(
    private readonly adapter: DialectAdapter,
    private readonly observer: Connection,
    private readonly pid: number,
    private readonly everyMs: number,
  ) {}

  /** The blockers last seen, forgotten once taken. */
  take(): readonly SessionActivity[] {
    const seen = this.latest
    this.latest = []
    return seen
  }

  /** `connection` with every statement watched while it runs. */
  wrap(connection: Connection): Connection {
    const watched = <T>(run: () => Promise<T>): Promise<T> => this.during(run)
    return {
      query: (sql, params) => watched(() => connection.query(sql, params)),
      execute: (sql) => watched(() => connection.execute(sql)),
      queryScript: (sql) => watched(() => connection.queryScript(sql)),
      lostReason: () => connection.lostReason(),
      close: () => connection.close(),
    }
  }

  private async during<T>(run: () => Promise<T>): Promise<T> {
    const blockers = this.adapter.blockers
    if (blockers === undefined) return run()
    let timer: NodeJS.Timeout | undefined
    const sample = () => {
      timer = setTimeout(() => {
        blockers
          .call(this.adapter, this.observer, this.pid)
          .then((found) => {
            if (found.length > 0) this.latest = found
          })
          // Watching is best effort: a session without the privilege to see others, or a lost
          // lock session (reported by the run itself), must not fail the statement.
          .catch(() => undefined)
        sample()
      }, this.everyMs)
      // The watch must not keep the process alive on its own.
      timer.unref()
    }
    sample()
    try {
      return await run()
    } finally {
      clearTimeout(timer)
    }
  }
}
