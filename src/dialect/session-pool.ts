/** A session the pool can keep: something that can be ended. */
export interface PoolableSession {
  end(): Promise<void>
}

interface Idle<S> {
  readonly key: string
  readonly session: S
}

interface Server<S> {
  /** Sessions open to this server, idle or lent out. */
  open: number
  readonly idle: Idle<S>[]
  readonly waiting: (() => void)[]
}

/**
 * Server sessions shared by the commands of one fleet run: a target's run returns its sessions
 * here when it ends, and the next target on the same database takes them instead of connecting
 * again (a new PostgreSQL backend costs a fork, authentication and cold catalog caches). At most
 * `perServer` sessions are open to one server at a time, idle or in use; a request past that waits
 * for one to come back, and an idle session of another database is closed to make room.
 *
 * `server` names the server (host, port, user); `key` the exact session kind that can be reused
 * (the server and the database). Sessions are reset by their driver before they come back.
 */
export class SessionPool<S extends PoolableSession = PoolableSession> {
  private readonly servers = new Map<string, Server<S>>()
  private closed = false

  constructor(readonly perServer: number) {
    if (!Number.isInteger(perServer) || perServer < 1) {
      throw new RangeError(`a session pool needs room for at least one session, not ${perServer}`)
    }
  }

  /**
   * An idle session of `key`, or a new one from `open` once the server has room.
   * The caller gives it back with {@link release}, or ends it and calls {@link forget}.
   */
  async acquire(server: string, key: string, open: () => Promise<S>): Promise<S> {
    const entry = this.serverEntry(server)
    for (;;) {
      if (this.closed) throw new Error('the session pool is closed')
      const reusable = entry.idle.findIndex((i) => i.key === key)
      if (reusable >= 0) return entry.idle.splice(reusable, 1)[0]!.session
      if (entry.open >= this.perServer && entry.idle.length > 0) {
        // Another database's idle session gives way.
        const other = entry.idle.shift()!
        entry.open--
        await other.session.end().catch(() => undefined)
      }
      if (entry.open < this.perServer) {
        entry.open++
        try {
          return await open()
        } catch (error) {
          this.forget(server)
          throw error
        }
      }
      await new Promise<void>((wake) => entry.waiting.push(wake))
    }
  }

  /** Takes back a session that is reset and usable. */
  release(server: string, key: string, session: S): void {
    const entry = this.serverEntry(server)
    if (this.closed) {
      entry.open--
      void session.end().catch(() => undefined)
      return
    }
    entry.idle.push({ key, session })
    entry.waiting.shift()?.()
  }

  /** Counts out a session its owner ended (broken, or could not be reset). */
  forget(server: string): void {
    const entry = this.serverEntry(server)
    entry.open--
    entry.waiting.shift()?.()
  }

  /** Sessions open to `server` (idle or lent out): what tests and progress can report. */
  openSessions(server: string): number {
    return this.servers.get(server)?.open ?? 0
  }

  /** Ends every idle session; sessions still lent out are ended when they come back. */
  async close(): Promise<void> {
    this.closed = true
    const ending: Promise<void>[] = []
    for (const entry of this.servers.values()) {
      for (const idle of entry.idle.splice(0)) {
        entry.open--
        ending.push(idle.session.end().catch(() => undefined))
      }
      for (const wake of entry.waiting.splice(0)) wake()
    }
    await Promise.all(ending)
  }

  private serverEntry(server: string): Server<S> {
    let entry = this.servers.get(server)
    if (entry === undefined) {
      entry = { open: 0, idle: [], waiting: [] }
      this.servers.set(server, entry)
    }
    return entry
  }
}
