import { redactUrl } from '../util/redact-url.ts'

/**
 * Where the CLI writes. Everything passes through {@link redactUrl}, the last line of defence
 * against printing a database password.
 */
export interface Terminal {
  out(text: string): void
  err(text: string): void
  readonly isTTY: boolean
}

/** The process's own stdout and stderr. */
export function processTerminal(): Terminal {
  return {
    out: (text) => process.stdout.write(redactUrl(text)),
    err: (text) => process.stderr.write(redactUrl(text)),
    isTTY: process.stdout.isTTY === true,
  }
}
