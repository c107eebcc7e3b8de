/** One statement of a SQL text, as PostgreSQL's own parser reads it. */
export interface ParsedStatement {
  /** The statement's text, trimmed, without its `;`. */
  readonly sql: string
  /** The parse node, e.g. `{ IndexStmt: {...} }`. */
  readonly ast: Readonly<Record<string, unknown>>
  /** 0-based line of the statement's first character within the parsed text. */
  readonly lineOffset: number
}

/** A text the parser rejected: the server would reject it too. */
export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based character offset of the error, when the parser gives one. */
    readonly position: number | undefined,
  ) {
    super(message)
  }
}

let loading: Promise<void> | undefined
let parseSync: ((text: string) => unknown) | undefined

/**
 * Loads the parser (PostgreSQL's own, compiled to WebAssembly by libpg-query; ~15 ms once per
 * process). Call before {@link parseSql}. Imported on demand: loading it instantiates the
 * WebAssembly module, which only `aludel lint` needs.
 */
export function loadSqlParser(): Promise<void> {
  loading ??= import('libpg-query').then(async (parser) => {
    await parser.loadModule()
    parseSync = parser.parseSync
  })
  return loading
}

/**
 * Splits and parses SQL text with the PostgreSQL 17 grammar. Comments and empty statements are
 * dropped.
 *
 * @throws SqlSyntaxError when the text does not parse
 */
export function parseSql(text: string): readonly ParsedStatement[] {
  if (parseSync === undefined) throw new Error('loadSqlParser() must be awaited before parseSql()')
  let result: {
    stmts?: { stmt: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[]
  }
  try {
    result = parseSync(text) as typeof result
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails
    throw new SqlSyntaxError(
      error instanceof Error ? error.message : String(error),
      details?.cursorPosition,
    )
  }
  // Locations are byte offsets into the UTF-8 text (the parser is C), not string indexes.
  const bytes = Buffer.from(text, 'utf8')
  return (result.stmts ?? []).map((entry) => {
    const start = entry.stmt_location ?? 0
    const end =
      entry.stmt_len === undefined || entry.stmt_len === 0 ? bytes.length : start + entry.stmt_len
    const raw = bytes.subarray(start, end).toString('utf8')
    const body = withoutLeadingComments(raw)
    const before =
      bytes.subarray(0, start).toString('utf8') + raw.slice(0, raw.length - body.length)
    return {
      sql: body.trimEnd().replace(/;\s*$/, ''),
      ast: entry.stmt,
      lineOffset: before.split('\n').length - 1,
    }
  })
}

/**
 * The text from its first character that is neither blank nor in a leading `--` comment: the
 * parser counts comments before a statement as part of it.
 */
function withoutLeadingComments(sql: string): string {
  let rest = sql.trimStart()
  while (rest.startsWith('--')) {
    const newline = rest.indexOf('\n')
    rest = newline === -1 ? '' : rest.slice(newline + 1).trimStart()
  }
  return rest
}
