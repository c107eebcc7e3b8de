import { hostname, userInfo } from 'node:os'

/** `user@host` of this process, for the ledger's "who ran it" column. */
export function whoAmI(): string {
  let user: string
  try {
    user = userInfo().username
  } catch {
    // Containers often run as a uid with no passwd entry.
    user = process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
  return `${user}@${hostname()}`
}
