/** How much of a piece of user input a message echoes before cutting it. */
export const ECHO_LIMIT = 60

/** The same for URLs and paths, whose end often says what is wrong. */
export const LONG_ECHO_LIMIT = 200

/**
 * User input as an error message echoes it: whole up to `limit` characters, else its first
 * `limit` characters and `…`. An argument can be 100,000 characters long, and a message that
 * repeats it in full buries what it says.
 *
 * @param limit a larger one suits URLs and paths, whose end often matters
 */
export function shortenInput(text: string, limit = ECHO_LIMIT): string {
  if (text.length <= limit) return text
  // Cut between code points, never inside a surrogate pair.
  const points = Array.from(text)
  return points.length <= limit ? text : `${points.slice(0, limit).join('')}…`
}
