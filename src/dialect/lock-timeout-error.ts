import { AludelError } from '../aludel-error.ts'
import type { LockHolder } from './dialect.ts'

/** Another runner held the migration lock for longer than the configured wait. */
export class LockTimeoutError extends AludelError {
  readonly code = 'LOCK_TIMEOUT'
  readonly category = 'failure' as const

  constructor(
    readonly timeoutMs: number,
    readonly holder: LockHolder | undefined,
  ) {
    super(
      `gave up waiting for the migration lock after ${formatSeconds(timeoutMs)}: it is held by ${describeHolder(holder)}; wait for that run to finish, or raise lockWaitTimeout in aludel.config`,
    )
  }
}

/** A one-phrase description of a lock holder for messages. */
export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another session'
  const parts = [holder.application || 'a session']
  const details: string[] = []
  if (holder.pid !== undefined) details.push(`backend pid ${holder.pid}`)
  if (holder.user) details.push(`user ${holder.user}`)
  if (holder.clientAddress) details.push(`from ${holder.clientAddress}`)
  if (holder.since) details.push(`connected since ${holder.since.toISOString()}`)
  if (details.length > 0) parts.push(`(${details.join(', ')})`)
  return parts.join(' ')
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}
