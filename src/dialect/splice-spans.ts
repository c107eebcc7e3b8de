/** A stretch of an SQL text, as a tokenizer reports it. */
export interface Span {
  /** Offset of the first character. */
  readonly start: number
  /** Offset just past the last character. */
  readonly end: number
}

/**
 * `sql` with some of its tokens replaced: `replace` returns a token's new text, or undefined to
 * keep it. Everything between tokens (blanks, comments) is copied as it is.
 */
export function spliceSpans<T extends Span>(
  sql: string,
  spans: readonly T[],
  replace: (span: T, i: number) => string | undefined,
): string {
  let out = ''
  let copied = 0
  spans.forEach((span, i) => {
    const text = replace(span, i)
    if (text === undefined) return
    out += sql.slice(copied, span.start) + text
    copied = span.end
  })
  return out + sql.slice(copied)
}
