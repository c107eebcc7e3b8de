/**
 * Replaces the password of every URL in a text with `***`, so that a database URL can be shown in
 * messages and logs. Works on whole messages, not only on bare URLs, because drivers sometimes
 * echo the connection string inside their own errors.
 *
 * The password is taken to run from the first ':' after `scheme://` to the last '@' of the URL, so
 * that an unencoded '@', '/' or ':' inside it is hidden too.
 *
 * @example redactUrl('postgres://app:s3cret@db/prod') // 'postgres://app:***@db/prod'
 */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)(\S+)/gi, (_match, scheme: string, rest: string) => {
    const at = rest.lastIndexOf('@')
    if (at < 0) return scheme + rest
    const colon = rest.indexOf(':')
    if (colon < 0 || colon > at) return scheme + rest
    return `${scheme}${rest.slice(0, colon)}:***${rest.slice(at)}`
  })
}

/**
 * Removes a known secret from a message wherever it appears, in raw and URL-encoded form. A second
 * line of defence after {@link redactUrl} for driver messages that quote the password alone.
 * Secrets shorter than 4 characters are left alone: hiding every "a" would garble the message.
 */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text
  let out = text
  for (const form of new Set([secret, encodeURIComponent(secret)])) {
    out = out.split(form).join('***')
  }
  return out
}
