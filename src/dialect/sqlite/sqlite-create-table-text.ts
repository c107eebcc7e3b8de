/**
 * Reads what SQLite keeps only in the text of its schema (manual, "The Schema Table"): constraint
 * names, CHECK expressions, generation expressions, column collations and foreign-key
 * deferrability of a CREATE TABLE, the element texts and predicate of a CREATE INDEX, the query of
 * a CREATE VIEW. SQLite stores these statements as written (comments included, even after ALTER
 * TABLE edits them), and its pragmas report none of these things, so the text is the only source.
 * Only statements SQLite has accepted are read, so the parsing trusts the grammar rather than
 * checking it.
 */

/** What a token of SQLite's SQL is. */
export type TokenKind =
  /** A bare word: a keyword or a name. */
  | 'word'
  /** `"name"`, `` `name` `` or `[name]`, delimiters included. */
  | 'quoted'
  /** `'text'`, delimiters included. */
  | 'string'
  /** A number, a blob literal (`X'00'`), an operator or punctuation. */
  | 'other'

export interface Token {
  readonly kind: TokenKind
  readonly text: string
  /** Offset of the first character. */
  readonly start: number
  /** Offset just past the last character. */
  readonly end: number
}

/** A constraint name as the text gives it; undefined when the constraint has none. */
type Name = string | undefined

/** A column's clauses that only the text holds. */
export interface ColumnText {
  readonly name: string
  /** `COLLATE name`, as written. */
  readonly collation: string | undefined
  /** `[GENERATED ALWAYS] AS (expression)`: the expression. */
  readonly generated: string | undefined
  /** A generated column is `STORED`; without the word it is `VIRTUAL`, computed when read. */
  readonly stored: boolean
  /**
   * The text of a block comment alone between the column's name and its type, trimmed: where
   * aludel notes the type the models give a column of a STRICT table (`varchar(20)` declared
   * `text`), which the table does not keep.
   */
  readonly note?: string
}

/** A PRIMARY KEY or UNIQUE constraint: its name and its columns as written. */
export interface KeyText {
  readonly name: Name
  readonly columns: readonly string[]
}

/** A FOREIGN KEY or REFERENCES clause. */
export interface ForeignKeyText {
  readonly name: Name
  /** The referencing columns, as written. */
  readonly columns: readonly string[]
  /** The referenced table, as written. */
  readonly table: string
  /** The referenced columns as written; empty: the referenced table's primary key. */
  readonly referencedColumns: readonly string[]
  readonly deferrable: boolean
  readonly initiallyDeferred: boolean
}

/** A CHECK constraint: its name and the expression between its parentheses. */
export interface CheckText {
  readonly name: Name
  readonly expression: string
}

/** The parts of a CREATE TABLE statement that introspection cannot get from pragmas. */
export interface CreateTableText {
  readonly columns: readonly ColumnText[]
  readonly primaryKey: KeyText | undefined
  /** Column-level and table-level UNIQUE constraints, in the order written. */
  readonly uniques: readonly KeyText[]
  /** Column-level and table-level CHECK constraints, in the order written. */
  readonly checks: readonly CheckText[]
  /** Column-level REFERENCES and table-level FOREIGN KEY clauses, in the order written. */
  readonly foreignKeys: readonly ForeignKeyText[]
  /** A column is `INTEGER PRIMARY KEY AUTOINCREMENT`: rowids are never reused. */
  readonly autoincrement: boolean
  /** Some constraint has an `ON CONFLICT` clause (what to do when it fails: REPLACE, IGNORE, ...). */
  readonly onConflict: boolean
}

/** One element of a CREATE INDEX, without its ASC or DESC. */
export interface IndexElementText {
  /** The element as written, without one pair of parentheses around the whole of it. */
  readonly text: string
  /** The element is one name alone (a column, when SQLite says so), dequoted. */
  readonly name: string | undefined
}

/** The parts of a CREATE INDEX statement that introspection cannot get from pragmas. */
export interface CreateIndexText {
  readonly elements: readonly IndexElementText[]
  /** The predicate after WHERE. */
  readonly where: string | undefined
}

/** Words that open a table constraint; a column definition starts with its name instead. */
const TABLE_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'])

/** Words that end a column's type and open its constraints (manual, "CREATE TABLE", column-def). */
const COLUMN_CONSTRAINT = new Set([
  'CONSTRAINT',
  'PRIMARY',
  'NOT',
  'NULL',
  'UNIQUE',
  'CHECK',
  'DEFAULT',
  'COLLATE',
  'REFERENCES',
  'GENERATED',
  'AS',
])

/** A number: hexadecimal, or decimal with an exponent; `_` separates digits (SQLite 3.46+). */
const NUMBER = /0[xX][0-9a-fA-F_]+|[\d_]*\.?[\d_]*(?:[eE][+-]?[\d_]+)?/y

/** Parses a CREATE TABLE statement as `sqlite_schema.sql` holds it. */
export function parseCreateTable(sql: string): CreateTableText {
  const tokens = tokenize(sql)
  const open = tokens.findIndex((t) => isPunct(t, '('))
  const out: Collected = {
    columns: [],
    primaryKey: undefined,
    uniques: [],
    checks: [],
    foreignKeys: [],
    autoincrement: false,
    onConflict: false,
  }
  if (open < 0) return out
  const close = closing(tokens, open)
  for (const [from, to] of splitAtCommas(tokens, open + 1, close)) {
    const first = tokens[from]!
    if (first.kind === 'word' && TABLE_CONSTRAINT.has(first.text.toUpperCase())) {
      readConstraints(sql, tokens, from, to, undefined, out)
      continue
    }
    const column = nameOf(first)
    const note =
      from + 1 < to ? NOTE.exec(sql.slice(first.end, tokens[from + 1]!.start))?.[1] : undefined
    let i = from + 1
    // The type: names, then optionally one parenthesised group of numbers.
    while (i < to && !isKeyword(tokens[i]!, COLUMN_CONSTRAINT)) {
      if (isPunct(tokens[i]!, '(')) {
        i = closing(tokens, i) + 1
        break
      }
      i++
    }
    readConstraints(sql, tokens, i, to, column, out)
    if (note !== undefined) out.columns[out.columns.length - 1] = { ...out.columns.at(-1)!, note }
  }
  return out
}

/** One block comment, alone between two tokens: its text. */
const NOTE = /^\s*\/\*\s*([^*]*?)\s*\*\/\s*$/

/** What {@link readConstraints} collects; each column's entry is added when it is read. */
interface Collected {
  columns: ColumnText[]
  primaryKey: KeyText | undefined
  uniques: KeyText[]
  checks: CheckText[]
  foreignKeys: ForeignKeyText[]
  autoincrement: boolean
  onConflict: boolean
}

/**
 * Reads the constraints in `tokens[from, to)`: those of `column` when it is given, else table
 * constraints, of which SQLite accepts several without commas between them.
 */
function readConstraints(
  sql: string,
  tokens: readonly Token[],
  from: number,
  to: number,
  column: string | undefined,
  out: Collected,
): void {
  let name: Name
  let collation: string | undefined
  let generated: string | undefined
  let stored = false
  /** The column itself, or the parenthesised names at `at` and the index after them. */
  const keyColumns = (at: number): [readonly string[], number] => {
    if (column !== undefined) return [[column], at]
    if (!isPunct(tokens[at], '(')) return [[], at]
    const end = closing(tokens, at)
    return [elementNames(tokens, at, end), end + 1]
  }
  let i = from
  while (i < to) {
    const word = tokens[i]!.kind === 'word' ? tokens[i]!.text.toUpperCase() : ''
    switch (word) {
      case 'CONSTRAINT':
        name = tokens[i + 1] === undefined ? undefined : nameOf(tokens[i + 1]!)
        i += 2
        continue
      case 'PRIMARY': {
        const [columns, next] = keyColumns(i + 2)
        out.primaryKey = { name, columns }
        i = next
        break
      }
      case 'UNIQUE': {
        const [columns, next] = keyColumns(i + 1)
        out.uniques.push({ name, columns })
        i = next
        break
      }
      case 'CHECK': {
        const end = closing(tokens, i + 1)
        out.checks.push({ name, expression: between(sql, tokens, i + 1, end) })
        i = end + 1
        break
      }
      case 'FOREIGN': {
        const end = closing(tokens, i + 2)
        const columns = elementNames(tokens, i + 2, end)
        i = readReferences(tokens, end + 1, to, name, columns, out)
        break
      }
      case 'REFERENCES':
        i = readReferences(tokens, i, to, name, column === undefined ? [] : [column], out)
        break
      case 'COLLATE':
        collation = tokens[i + 1] === undefined ? undefined : nameOf(tokens[i + 1]!)
        i += 2
        break
      case 'DEFAULT': {
        // A default is a parenthesised expression, or a literal or name with an optional sign.
        i++
        if (isPunct(tokens[i], '(')) i = closing(tokens, i) + 1
        else {
          if (isPunct(tokens[i], '+') || isPunct(tokens[i], '-')) i++
          i++
        }
        break
      }
      case 'AS': {
        const end = closing(tokens, i + 1)
        generated = between(sql, tokens, i + 1, end)
        i = end + 1
        const kind = tokens[i]
        stored = kind?.kind === 'word' && kind.text.toUpperCase() === 'STORED'
        break
      }
      case 'NOT':
      case 'NULL':
      case 'GENERATED':
        // Constraints a name may stand before too, which nothing here keeps.
        i++
        break
      case 'AUTOINCREMENT':
        out.autoincrement = true
        i++
        continue
      case 'ON':
        // ON CONFLICT: FOREIGN KEY's ON DELETE and ON UPDATE are read with its clause.
        if (tokens[i + 1]?.text.toUpperCase() === 'CONFLICT') out.onConflict = true
        i++
        continue
      default:
        // The rest of a constraint: KEY, ASC/DESC, the conflict resolution, STORED, VIRTUAL.
        i++
        continue
    }
    name = undefined
  }
  if (column !== undefined) out.columns.push({ name: column, collation, generated, stored })
}

/**
 * Reads `REFERENCES table [(columns)]` and the clauses after it (ON DELETE/UPDATE, MATCH,
 * [NOT] DEFERRABLE [INITIALLY DEFERRED | IMMEDIATE]) from `tokens[at]`, which is REFERENCES;
 * returns the index after them. SQLite's DEFERRABLE alone is initially immediate (manual,
 * "SQLite Foreign Key Support", 4.2).
 */
function readReferences(
  tokens: readonly Token[],
  at: number,
  to: number,
  name: Name,
  columns: readonly string[],
  out: Collected,
): number {
  let i = at + 1
  const table = tokens[i] === undefined ? '' : nameOf(tokens[i]!)
  i++
  let referencedColumns: readonly string[] = []
  if (isPunct(tokens[i], '(')) {
    const end = closing(tokens, i)
    referencedColumns = elementNames(tokens, i, end)
    i = end + 1
  }
  let deferrable = false
  let initiallyDeferred = false
  while (i < to) {
    const word = tokens[i]!.kind === 'word' ? tokens[i]!.text.toUpperCase() : ''
    const next = tokens[i + 1]?.text.toUpperCase()
    if (word === 'ON') {
      // ON DELETE|UPDATE SET NULL|SET DEFAULT|NO ACTION|CASCADE|RESTRICT
      const action = tokens[i + 2]?.text.toUpperCase()
      i += action === 'SET' || action === 'NO' ? 4 : 3
    } else if (word === 'MATCH') {
      i += 2
    } else if (word === 'NOT' && next === 'DEFERRABLE') {
      deferrable = false
      i += 2
    } else if (word === 'DEFERRABLE') {
      deferrable = true
      i++
    } else if (word === 'INITIALLY') {
      initiallyDeferred = deferrable && next === 'DEFERRED'
      i += 2
    } else break
  }
  out.foreignKeys.push({
    name,
    columns,
    table,
    referencedColumns,
    deferrable,
    initiallyDeferred,
  })
  return i
}

/** Parses a CREATE INDEX statement as `sqlite_schema.sql` holds it. */
export function parseCreateIndex(sql: string): CreateIndexText {
  const tokens = tokenize(sql)
  const open = tokens.findIndex((t) => isPunct(t, '('))
  if (open < 0) return { elements: [], where: undefined }
  const close = closing(tokens, open)
  const elements = splitAtCommas(tokens, open + 1, close).map(([from, to]): IndexElementText => {
    const last = tokens[to - 1]!
    const end = last.kind === 'word' && /^(?:ASC|DESC)$/i.test(last.text) ? to - 1 : to
    const text = stripParentheses(sql.slice(tokens[from]!.start, tokens[end - 1]!.end))
    const inner = tokenize(text)
    const single = inner.length === 1 && inner[0]!.kind !== 'other' ? inner[0] : undefined
    return { text, name: single === undefined ? undefined : nameOf(single) }
  })
  const where = tokens[close + 1]
  return {
    elements,
    where:
      where !== undefined && where.kind === 'word' && where.text.toUpperCase() === 'WHERE'
        ? sql.slice(where.end).trim()
        : undefined,
  }
}

/** The query of a CREATE VIEW statement: what follows its first AS outside parentheses. */
export function viewQuery(sql: string): string {
  const tokens = tokenize(sql)
  let depth = 0
  for (const token of tokens) {
    if (isPunct(token, '(')) depth++
    else if (isPunct(token, ')')) depth--
    else if (depth === 0 && token.kind === 'word' && token.text.toUpperCase() === 'AS') {
      return sql.slice(token.end).trim()
    }
  }
  return sql
}

/**
 * `text` without one pair of parentheses around the whole of it, trimmed: the pair aludel adds
 * around an index expression or a default, which SQLite needs and the models do not write.
 */
export function stripParentheses(text: string): string {
  const trimmed = text.trim()
  const tokens = tokenize(trimmed)
  if (tokens.length < 2 || !isPunct(tokens[0], '(')) return trimmed
  return closing(tokens, 0) === tokens.length - 1
    ? trimmed.slice(tokens[0]!.end, tokens.at(-1)!.start).trim()
    : trimmed
}

/**
 * Splits SQLite's SQL into tokens (manual, "SQL Language Expressions" and the tokenizer's rules):
 * strings, the three kinds of quoted names, words, and single characters for the rest; blanks
 * and comments are dropped. Unterminated quotes run to the end of the text.
 */
export function tokenize(sql: string): readonly Token[] {
  const tokens: Token[] = []
  let i = 0
  const push = (kind: TokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end })
    i = end
  }
  while (i < sql.length) {
    const c = sql[i]!
    if (/\s/.test(c)) i++
    else if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i)
      i = newline < 0 ? sql.length : newline + 1
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? sql.length : end + 2
    } else if (c === "'") push('string', quotedEnd(sql, i, "'"))
    else if (c === '"' || c === '`') push('quoted', quotedEnd(sql, i, c))
    else if (c === '[') {
      const end = sql.indexOf(']', i + 1)
      push('quoted', end < 0 ? sql.length : end + 1)
    } else if (/[xX]/.test(c) && sql[i + 1] === "'") push('other', quotedEnd(sql, i + 1, "'"))
    else if (/\d/.test(c) || (c === '.' && /\d/.test(sql[i + 1] ?? ''))) {
      NUMBER.lastIndex = i
      push('other', i + NUMBER.exec(sql)![0].length)
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let end = i + 1
      while (end < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[end]!)) end++
      push('word', end)
    } else push('other', i + 1)
  }
  return tokens
}

/** The end of the quoted token opening at `from` with `quote`; a doubled quote stays inside. */
function quotedEnd(sql: string, from: number, quote: string): number {
  let i = from + 1
  while (i < sql.length) {
    if (sql[i] !== quote) i++
    else if (sql[i + 1] === quote) i += 2
    else return i + 1
  }
  return sql.length
}

/** The name a token stands for: a bare word as written, a quoted name or string dequoted. */
export function nameOf(token: Token): string {
  const { kind, text } = token
  if (kind !== 'quoted' && kind !== 'string') return text
  const quote = text[0] === '[' ? ']' : text[0]!
  const body = text.length >= 2 && text.endsWith(quote) ? text.slice(1, -1) : text.slice(1)
  return quote === ']' ? body : body.split(quote + quote).join(quote)
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token !== undefined && token.kind === 'other' && token.text === text
}

function isKeyword(token: Token, words: ReadonlySet<string>): boolean {
  return token.kind === 'word' && words.has(token.text.toUpperCase())
}

/** The index of the `)` closing the `(` at `open`; the last token's when it is not closed. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++
    else if (isPunct(tokens[i], ')') && --depth === 0) return i
  }
  return tokens.length - 1
}

/** The ranges `[from, to)` of the comma-separated items of `tokens[from, to)`, not empty ones. */
function splitAtCommas(tokens: readonly Token[], from: number, to: number): [number, number][] {
  const items: [number, number][] = []
  let depth = 0
  let start = from
  for (let i = from; i <= to; i++) {
    const token = tokens[i]
    if (i === to || (depth === 0 && isPunct(token, ','))) {
      if (i > start) items.push([start, i])
      start = i + 1
    } else if (isPunct(token, '(')) depth++
    else if (isPunct(token, ')')) depth--
  }
  return items
}

/** The first name of each item of the parenthesised list `tokens[open, close]`. */
function elementNames(tokens: readonly Token[], open: number, close: number): string[] {
  return splitAtCommas(tokens, open + 1, close).map(([from]) => nameOf(tokens[from]!))
}

/** The text between the `(` at `open` and the `)` at `close`, trimmed. */
function between(sql: string, tokens: readonly Token[], open: number, close: number): string {
  const from = tokens[open]
  const to = tokens[close]
  if (from === undefined || to === undefined || close <= open) return ''
  return sql.slice(from.end, to.start).trim()
}
