import { createHash } from 'node:crypto'

/**
 * SHA-256 of a migration file's text as lowercase hex, with CRLF line endings folded to LF first so
 * that a checkout on Windows (`core.autocrlf`) does not look like an edit.
 */
export function sha256(text: string): string {
  const normalized = text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text
  return createHash('sha256').update(normalized).digest('hex')
}
