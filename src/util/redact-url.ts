/**
 * Query parameters that carry a secret in a PostgreSQL URL: node-postgres reads `password` from
 * the query as well as from the user-info part, and libpq's `sslpassword` unlocks a client key.
 */
const SECRET_PARAMETERS = /([?&;](?:ssl)?password=)([^&#]*)/gi

/**
 * Replaces the password of every URL in a text with `***`, so that a driver message that echoes
 * its connection string can be shown. For messages only: it recognizes anything that looks like
 * `scheme://user:secret@host`, so run on data it would rewrite values that merely look like URLs.
 *
 * @example redactUrl('postgres://app:s3cret@db/prod') // 'postgres://app:***@db/prod'
 */
export function redactUrl(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, (url) => redactWholeUrl(url))
}

/**
 * One URL with its password hidden: the user-info password (from the first ':' after `scheme://`
 * to the last '@', so that an unencoded '@', ':', '/', '?' or '#' inside it is hidden too) and
 * the `password` and `sslpassword` query parameters. Unlike {@link redactUrl}, it knows the whole
 * text is one URL, so a password holding a space is hidden in full, and so is one given without a
 * host (`postgres://user:secret`), where it would pass for a port.
 */
export function redactWholeUrl(text: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)$/i.exec(text)
  if (match === null) return text.replace(SECRET_PARAMETERS, '$1***')
  const scheme = match[1]!
  const rest = match[2]!.replace(SECRET_PARAMETERS, '$1***')
  const at = rest.lastIndexOf('@')
  const colon = rest.indexOf(':')
  if (colon < 0 || (at >= 0 && colon > at)) return scheme + rest
  if (at >= 0) return `${scheme}${rest.slice(0, colon)}:***${rest.slice(at)}`
  // No '@': what follows the ':' is a port, unless it is not a number.
  const port = /^:([^/?#]*)/.exec(rest.slice(colon))?.[1] ?? ''
  return /^\d*$/.test(port)
    ? scheme + rest
    : `${scheme}${rest.slice(0, colon)}:***${rest.slice(colon + 1 + port.length)}`
}

/**
 * Secrets shorter than this are not hidden inside messages: hiding every "ab" would garble them,
 * and URLs that aludel prints are redacted by their structure anyway.
 */
const SHORTEST_HIDDEN = 4

/**
 * Removes known secrets from a message wherever they appear, in raw, URL-encoded and
 * JSON-escaped form. Longer secrets go first, so a secret that contains another is hidden whole.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (secret === undefined || secret.length < SHORTEST_HIDDEN) continue
    forms.add(secret)
    forms.add(encodeURIComponent(secret))
    forms.add(JSON.stringify(secret).slice(1, -1))
  }
  let out = text
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (out.includes(form)) out = out.split(form).join('***')
  }
  return out
}

/**
 * Removes one known secret from a message; see {@link redactSecrets}.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  return redactSecrets(text, [secret])
}
