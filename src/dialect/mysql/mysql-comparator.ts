import type { EngineTableOptions, MysqlTableOptions } from '../../schema/engine-options.ts'
import type { ColumnDefault, ColumnType } from '../../schema/schema-snapshot.ts'
import type {
  ColumnGenerator,
  ColumnRef,
  Comparator,
  HintSql,
  SqlName,
  TableOptionChanges,
} from '../comparator.ts'
import { InvalidOperationError } from '../invalid-operation-error.ts'
import { spliceSpans } from '../splice-spans.ts'
import { quoteIdentifier, quoteQualified } from './mysql-quoting.ts'
import { nameOf, type Token, tokenize } from './mysql-sql-tokens.ts'
import { MysqlTypeMapper, mysqlLiteral } from './mysql-type-mapper.ts'

const types = new MysqlTypeMapper()

/**
 * MySQL's and MariaDB's comparison rules. Neither keeps a default or a check as written: MariaDB
 * prints defaults with literals quoted (`'abc'`, `1`, `current_timestamp()`, `NULL`) and checks
 * with every column in backticks; MySQL 8 prints defaults unquoted and checks with parentheses
 * around every comparison. Expressions are therefore compared token by token, with names compared
 * without regard to quoting style (models write `"fullName"`, the server `` `fullName` ``) or case
 * (MySQL column names are case-insensitive, manual 11.2.3), keywords in any case, and parentheses
 * that change nothing removed.
 */
export const mysqlComparator: Comparator = {
  typesEquivalent: (a, b) => typeKey(a) === typeKey(b),
  typeChangeWarning,
  defaultsEquivalent: (model, database) => defaultKey(model) === defaultKey(database),
  sqlEquivalent: (a, b) =>
    a === undefined || b === undefined ? a === b : expressionKey(a) === expressionKey(b),
  namesIn,
  renameSqlIdentifiers: (sql, renames) => {
    const folded = new Map([...renames].map(([from, to]) => [from.toLowerCase(), to]))
    return rewriteNames(sql, (token) => folded.get(nameOf(token).toLowerCase()))
  },
  renameRelationInQuery: (sql, schema, from, to) =>
    rewriteNames(sql, (token, tokens, i) => {
      // Table names are case-sensitive on most systems (lower_case_table_names = 0).
      if (nameOf(token) !== from) return undefined
      const dot = tokens[i - 1]
      if (dot?.kind === 'other' && dot.text === '.') {
        // `db.films` is the relation when `db` is its schema; `films.title` names a column.
        const qualifier = tokens[i - 2]
        return schema !== undefined && qualifier !== undefined && nameOf(qualifier) === schema
          ? to
          : undefined
      }
      return to
    }),
  // MySQL has no sequences: a default never names one.
  renameSequenceInDefault: (sql) => sql,
  tableOptionChanges,
  hints: mysqlHints(),
}

// ---------------------------------------------------------------------------------------------
// Types

/**
 * One key per type as MySQL stores it: the type mapper's spelling of a model type, or a custom
 * type's text, in canonical form (see {@link canonicalTypeSql}). Types without a MySQL spelling
 * compare as themselves.
 */
function typeKey(type: ColumnType): string {
  if (type.kind === 'custom') return canonicalTypeSql(type.sql)
  try {
    return canonicalTypeSql(types.sqlType(type))
  } catch {
    return JSON.stringify(type)
  }
}

const INTEGER_NAMES: Readonly<Record<string, string>> = {
  tinyint: 'tinyint',
  int1: 'tinyint',
  smallint: 'smallint',
  int2: 'smallint',
  mediumint: 'mediumint',
  middleint: 'mediumint',
  int3: 'mediumint',
  int: 'int',
  integer: 'int',
  int4: 'int',
  bigint: 'bigint',
  int8: 'bigint',
}

/**
 * A type's SQL in one spelling per type: lower case and single blanks; integer display widths
 * dropped (`int(11)` is `int`, MySQL 8.0.17 deprecated them) except `tinyint(1)`, which is
 * BOOLEAN; synonyms folded (`integer`, `bool`, `dec`, `numeric`, `fixed`, `real`, `float8`,
 * `double precision`, `character varying`); defaults filled in (`decimal` is `decimal(10,0)`,
 * `char` is `char(1)`, a time precision of 0 is none), after the MySQL manual, 13.1 "Numeric Data
 * Types" and 13.3 "String Data Types".
 */
export function canonicalTypeSql(sql: string): string {
  const text = sql
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([(,])\s*/g, '$1')
    .replace(/\s*\)/g, ')')
  const integer = /^(\w+)(?:\((\d+)\))?((?: (?:signed|unsigned|zerofill))*)$/.exec(text)
  if (integer !== null && INTEGER_NAMES[integer[1]!] !== undefined) {
    const name = INTEGER_NAMES[integer[1]!]!
    const flags = integer[3]!.replace(' signed', '')
    if (name === 'tinyint' && integer[2] === '1' && flags === '') return 'tinyint(1)'
    return name + flags
  }
  if (text === 'bool' || text === 'boolean') return 'tinyint(1)'
  if (text === 'float4') return 'float'
  if (text === 'float8' || text === 'real' || text === 'double precision') return 'double'
  const float = /^float\((\d+)\)$/.exec(text)
  if (float !== null) return Number(float[1]) <= 24 ? 'float' : 'double'
  const decimal =
    /^(?:dec|decimal|numeric|fixed)(?:\((\d+)(?:,(\d+))?\))?((?: unsigned| zerofill)*)$/.exec(text)
  if (decimal !== null) return `decimal(${decimal[1] ?? '10'},${decimal[2] ?? '0'})${decimal[3]}`
  const varchar = /^(?:varchar|character varying|varcharacter)\((\d+)\)(.*)$/.exec(text)
  if (varchar !== null) return `varchar(${varchar[1]})${varchar[2]}`
  const char = /^(?:char|character)(?:\((\d+)\))?(.*)$/.exec(text)
  if (char !== null) return `char(${char[1] ?? '1'})${char[2]}`
  const time = /^(time|datetime|timestamp)\((\d+)\)$/.exec(text)
  if (time !== null) return time[2] === '0' ? time[1]! : text
  return text
}

/** Integer types by width, for widening. */
const INTEGER_RANK: Readonly<Record<string, number>> = {
  tinyint: 1,
  smallint: 2,
  mediumint: 3,
  int: 4,
  bigint: 5,
}

/** How existing values fare when a column changes from one canonical type to another. */
type Conversion = 'same' | 'inPlace' | 'widening' | 'narrowing' | 'convert'

function conversion(from: string, to: string): Conversion {
  if (from === to) return 'same'
  const rank = (t: string) => INTEGER_RANK[t]
  if (rank(from) !== undefined && rank(to) !== undefined) {
    return rank(to)! > rank(from)! ? 'widening' : 'narrowing'
  }
  const capacity = (t: string): number | undefined => {
    const sized = /^(varchar|char)\((\d+)\)$/.exec(t)
    if (sized !== null) return Number(sized[2])
    return { tinytext: 255, text: 65_535, mediumtext: 16_777_215, longtext: 4_294_967_295 }[t]
  }
  const a = capacity(from)
  const b = capacity(to)
  if (a !== undefined && b !== undefined) {
    // A longer varchar is changed in place while its length prefix keeps its size (manual,
    // 17.12.1 "Online DDL Operations": 0-255 bytes take one, more take two).
    if (from.startsWith('varchar') && to.startsWith('varchar') && b >= a) {
      return a * 4 <= 255 === b * 4 <= 255 ? 'inPlace' : 'widening'
    }
    return b >= a ? 'widening' : 'narrowing'
  }
  const dec = (t: string) => /^decimal\((\d+),(\d+)\)$/.exec(t)
  const x = dec(from)
  const y = dec(to)
  if (x !== null && y !== null) {
    const wider =
      Number(y[1]) - Number(y[2]) >= Number(x[1]) - Number(x[2]) && Number(y[2]) >= Number(x[2])
    return wider ? 'widening' : 'narrowing'
  }
  if (from === 'float' && to === 'double') return 'widening'
  if (from === 'double' && to === 'float') return 'narrowing'
  if (from === 'date' && (to.startsWith('datetime') || to.startsWith('timestamp'))) {
    return 'widening'
  }
  const precise = /^(time|datetime|timestamp)(?:\((\d)\))?$/
  const p = precise.exec(from)
  const q = precise.exec(to)
  if (p !== null && q !== null && p[1] === q[1]) {
    return Number(q[2] ?? 0) >= Number(p[2] ?? 0) ? 'widening' : 'narrowing'
  }
  return 'convert'
}

const COPIES =
  'MySQL copies the whole table to change a column type (ALGORITHM=COPY), blocking writes until it is done'

function typeChangeWarning(column: string, from: ColumnType, to: ColumnType): string | undefined {
  const a = typeKey(from)
  const b = typeKey(to)
  const change = `${column} from ${a} to ${b}`
  switch (conversion(a, b)) {
    case 'same':
    case 'inPlace':
      return undefined
    case 'widening':
      return `widens ${change}: every value converts, but ${COPIES}`
    case 'narrowing':
      return `narrows ${change}: values that do not fit make the ALTER fail in strict mode (or are truncated without it), and ${COPIES}`
    case 'convert':
      return `changes ${change}: MySQL converts each value as it would on assignment, failing in strict mode on values that do not convert (or storing 0, '' or NULL without it), and ${COPIES}`
  }
}

// ---------------------------------------------------------------------------------------------
// Table options

/**
 * The engine, default character set and collation the models state where the database's differ
 * (without regard to case, `utf8` being `utf8mb3` as MySQL 8 and MariaDB 10.6+ name it). An
 * option the models leave out is the server's default and never compared; SQLite's options are
 * not MySQL's business. A new character set brings its own default collation, so the models'
 * collation goes with it, and the database's collation is kept among what it replaces: the way
 * back then restores both, not the old set's default collation.
 */
function tableOptionChanges(
  model: EngineTableOptions | undefined,
  database: EngineTableOptions | undefined,
): TableOptionChanges | undefined {
  const wanted = model?.mysql
  if (wanted === undefined) return undefined
  const held: MysqlTableOptions = database?.mysql ?? {}
  const differs = (key: keyof MysqlTableOptions) =>
    wanted[key] !== undefined && optionKey(wanted[key]) !== optionKey(held[key])
  const engine = differs('engine')
  const charset = differs('charset')
  const collation = differs('collation') || (charset && wanted.collation !== undefined)
  if (!engine && !charset && !collation) return undefined
  const options: Record<string, string> = {}
  const previous: Record<string, string> = {}
  const set = (key: keyof MysqlTableOptions) => {
    options[key] = wanted[key]!
    if (held[key] !== undefined) previous[key] = held[key]
  }
  if (engine) set('engine')
  if (charset) set('charset')
  if (collation || charset) {
    if (wanted.collation !== undefined) options.collation = wanted.collation
    if (held.collation !== undefined) previous.collation = held.collation
  }
  const warnings: string[] = []
  if (engine) {
    warnings.push(
      `the new engine (${held.engine === undefined ? '' : `${held.engine} to `}${wanted.engine}) copies the whole table, blocking writes to it until the copy ends; on a table over 1 MiB the migration is refused unless the URL says ?onlineDdl=off`,
    )
  }
  if (charset || collation) {
    const copies =
      !engine && held.engine !== undefined && optionKey(held.engine) !== 'innodb'
        ? `; the ${held.engine} engine records even that by copying the table`
        : ''
    warnings.push(
      `the new character set or collation is the default for columns added later only; existing columns keep theirs (change one with alterColumn's collation)${copies}`,
    )
  }
  return {
    options: { mysql: options },
    previous: { mysql: previous },
    warning: warnings.join('; '),
  }
}

/** An engine, character set or collation in one spelling: lower case, `utf8` as `utf8mb3`. */
function optionKey(name: string | undefined): string | undefined {
  return name?.toLowerCase().replace(/^utf8(?=_|$)/, 'utf8mb3')
}

// ---------------------------------------------------------------------------------------------
// Expressions and defaults

/** The current time in every spelling MySQL accepts, and the two that MariaDB prints. */
const NOW = new Set(['current_timestamp', 'now', 'localtime', 'localtimestamp'])
const TODAY = new Set(['current_date', 'curdate'])
const TIME_NOW = new Set(['current_time', 'curtime'])

/** An expression's canonical tokens (see {@link mysqlComparator}), joined by blanks. */
export function expressionKey(sql: string): string {
  return simplify(group(withoutRestatedNames(canonicalTokens(tokenize(sql)))))
    .map(render)
    .join(' ')
}

/**
 * Canonical tokens without what MySQL adds when it stores a view's query: every column
 * qualified by its table (`` `items`.`id` ``) and aliased by its own name (`` AS `id` ``). A
 * qualifier is dropped before a `.`, and `as x` right after a name `x`; the same on both sides,
 * so that a query compares with the server's rewrite of it.
 */
function withoutRestatedNames(tokens: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    if (tokens[i + 1] === '.' && /^[a-z_$`]/.test(token) && tokens[i + 2] !== undefined) {
      i++
      continue
    }
    if (token === 'as' && tokens[i + 1] !== undefined && tokens[i + 1] === out.at(-1)) {
      i++
      continue
    }
    out.push(token)
  }
  return out
}

/**
 * A default's key: none and `NULL` are one; a literal is rendered as MySQL reads it; a lone
 * number or string by its value, so that `1.50` and `1.5`, `'5'` and `5`, and a datetime with
 * and without trailing zero fractions compare equal.
 */
function defaultKey(value: ColumnDefault | undefined): string {
  if (value === undefined) return 'null'
  let sql: string
  try {
    sql = value.kind === 'literal' ? mysqlLiteral(value.value, undefined) : value.sql
  } catch {
    return JSON.stringify(value)
  }
  const tokens = canonicalTokens(tokenize(sql))
  const items = simplify(group(tokens))
  if (items.length === 1 && items[0] === 'null') return 'null'
  if (items.length === 1 && typeof items[0] === 'string') return literalKey(items[0])
  if (items.length === 2 && items[0] === '-' && typeof items[1] === 'string') {
    return literalKey(`-${items[1]}`)
  }
  return items.map(render).join(' ')
}

/** A lone literal's key: numbers and numeric strings by value, datetimes without zero fractions. */
function literalKey(token: string): string {
  const text = token.startsWith("'") ? (JSON.parse(`"${token.slice(1, -1)}"`) as string) : token
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(text)) return `n:${Number(text)}`
  return `v:${text.replace(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.0*$/, '$1')}`
}

/**
 * Tokens as canonical strings: names (backticked, double-quoted or bare) and keywords in lower
 * case, strings as `'` + their JSON-escaped value + `'`, byte strings after a character set
 * introducer as the text they encode, numbers by value, synonyms of the current time folded,
 * TRUE and FALSE as 1 and 0, `!=` as `<>`, `&&` as `and`, `||` as `or`.
 */
function canonicalTokens(tokens: readonly Token[]): string[] {
  const out: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    const next = tokens[i + 1]
    switch (token.kind) {
      case 'word': {
        const word = token.text.toLowerCase()
        // A character set introducer (`_utf8mb4'x'`) does not change the text.
        if (word.startsWith('_') && (next?.kind === 'string' || next?.kind === 'hex')) {
          if (next.kind === 'hex') {
            out.push(stringKey(Buffer.from(next.value, 'hex').toString('utf8')))
            i++
          }
          break
        }
        if (NOW.has(word) || TODAY.has(word) || TIME_NOW.has(word)) {
          const name = NOW.has(word) ? 'current_timestamp' : TODAY.has(word) ? 'curdate' : 'curtime'
          const [precision, used] = callArguments(tokens, i + 1)
          out.push(precision === '' ? name : `${name}(${precision})`)
          i += used
          break
        }
        out.push(word === 'true' ? '1' : word === 'false' ? '0' : word)
        break
      }
      case 'name':
      case 'double': {
        // A quoted name is the bare word when it could be written bare.
        const name = token.value.toLowerCase()
        out.push(/^[a-z_$][\w$]*$/.test(name) ? name : `\`${name}\``)
        break
      }
      case 'string':
        out.push(stringKey(token.value))
        break
      case 'number':
        out.push(String(Number(token.text)))
        break
      case 'hex':
        out.push(`x'${token.value}'`)
        break
      default:
        out.push(
          token.text === '!='
            ? '<>'
            : token.text === '&&'
              ? 'and'
              : token.text === '||'
                ? 'or'
                : token.text.toLowerCase(),
        )
    }
  }
  return out
}

/** `()` or `(n)` after a time function: its precision ('' for none) and the tokens it spans. */
function callArguments(tokens: readonly Token[], at: number): [precision: string, used: number] {
  const open = tokens[at]
  if (open?.text !== '(') return ['', 0]
  const inner = tokens[at + 1]
  if (inner?.text === ')') return ['', 2]
  if (inner?.kind === 'number' && tokens[at + 2]?.text === ')') {
    return [inner.text === '0' ? '' : String(Number(inner.text)), 3]
  }
  return ['', 0]
}

function stringKey(value: string): string {
  return `'${JSON.stringify(value).slice(1, -1)}'`
}

/** A token, or a parenthesised group of items that is not a call's argument list. */
type Item = string | { readonly items: Item[] }

/** Nests the tokens at their parentheses; an unbalanced `)` stays a token. */
function group(tokens: readonly string[]): Item[] {
  const stack: Item[][] = [[]]
  for (const token of tokens) {
    if (token === '(') {
      stack.push([])
    } else if (token === ')' && stack.length > 1) {
      const items = stack.pop()!
      stack.at(-1)!.push({ items })
    } else {
      stack.at(-1)!.push(token)
    }
  }
  while (stack.length > 1) {
    const items = stack.pop()!
    stack.at(-1)!.push('(', ...items)
  }
  return stack[0]!
}

function render(item: Item): string {
  return typeof item === 'string' ? item : `( ${item.items.map(render).join(' ')} )`
}

const LOGICAL = new Set(['and', 'or', 'xor', 'not'])
const COMPARISON = new Set([
  '=',
  '<>',
  '<',
  '>',
  '<=',
  '>=',
  '<=>',
  'is',
  'like',
  'regexp',
  'rlike',
])
/** Words that join expressions: a parenthesis after one is no call's argument list. */
const JOINING = new Set([...LOGICAL, ...COMPARISON, 'when', 'then', 'else', 'case', 'between'])

/** The loosest operator at the top level of `items`. */
function looseness(items: readonly Item[]): 'or' | 'and' | 'not' | 'comparison' | 'other' {
  const top = items.filter((i): i is string => typeof i === 'string')
  if (top.some((t) => t === 'or' || t === 'xor')) return 'or'
  if (top.includes('and')) return 'and'
  if (top[0] === 'not' && items[0] === 'not') return 'not'
  if (top.some((t) => COMPARISON.has(t) || t === 'in' || t === 'between')) return 'comparison'
  return 'other'
}

/**
 * Removes parentheses that change nothing: around the whole expression, around a single operand
 * or call, around a comparison or NOT between logical operators, around an AND between ANDs and
 * ORs, around an OR between ORs, and around arithmetic next to a comparison.
 */
function simplify(items: readonly Item[]): Item[] {
  let out: Item[] = items.map((item) =>
    typeof item === 'string' ? item : { items: simplify(item.items) },
  )
  for (;;) {
    const at = out.findIndex((item, i) => typeof item !== 'string' && removable(out, i))
    if (at < 0) return out
    out = [...out.slice(0, at), ...(out[at] as { items: Item[] }).items, ...out.slice(at + 1)]
  }
}

function removable(items: readonly Item[], at: number): boolean {
  const inner = (items[at] as { items: Item[] }).items
  if (inner.length === 0 || inner.includes(',')) return false
  const before = items[at - 1]
  const after = items[at + 1]
  if (typeof before === 'string' && !JOINING.has(before) && /^[a-z_$`]/.test(before)) {
    return false // a call's arguments, or IN (...)
  }
  if (typeof before !== 'string' && before !== undefined) return false
  const single =
    inner.length === 1 ||
    (inner.length === 2 && typeof inner[1] !== 'string' && typeof inner[0] === 'string') ||
    (inner.length === 2 && (inner[0] === '-' || inner[0] === '+'))
  if (single) return true
  const edge = (item: Item | undefined) => item === undefined || item === ','
  const level = looseness(inner)
  const around = [before, after]
  if (around.every(edge)) return true
  const logical = (item: Item | undefined) =>
    edge(item) || item === 'and' || item === 'or' || item === 'xor'
  switch (level) {
    case 'or':
      return around.every((item) => edge(item) || item === 'or')
    case 'and':
      return around.every(logical)
    case 'not':
    case 'comparison':
      return around.every(
        (item) =>
          logical(item) || item === 'not' || item === 'when' || item === 'then' || item === 'else',
      )
    case 'other':
      return around.every(
        (item) =>
          logical(item) || item === 'not' || (typeof item === 'string' && COMPARISON.has(item)),
      )
  }
}

// ---------------------------------------------------------------------------------------------
// Names

function namesIn(sql: string): readonly SqlName[] {
  const tokens = tokenize(sql)
  const out: SqlName[] = []
  tokens.forEach((token, i) => {
    if (token.kind !== 'word' && token.kind !== 'name' && token.kind !== 'double') return
    const dot = tokens[i - 1]
    const qualifier =
      dot?.kind === 'other' && dot.text === '.' && i >= 2 ? nameOf(tokens[i - 2]!) : undefined
    out.push({ name: nameOf(token), qualifier })
  })
  return out
}

/** Replaces each name (not a function name) that `pick` renames, quoted as MySQL needs it. */
function rewriteNames(
  sql: string,
  pick: (token: Token, tokens: readonly Token[], i: number) => string | undefined,
): string {
  const tokens = tokenize(sql)
  return spliceSpans(sql, tokens, (token, i) => {
    if (token.kind !== 'word' && token.kind !== 'name' && token.kind !== 'double') return undefined
    const next = tokens[i + 1]
    if (token.kind === 'word' && next?.kind === 'other' && next.text === '(') return undefined
    const renamed = pick(token, tokens, i)
    return renamed === undefined ? undefined : quoteIdentifier(renamed)
  })
}

// ---------------------------------------------------------------------------------------------
// Hints

/**
 * Manual steps on MySQL. It has no enum types (only inline `ENUM(...)` column types), domains,
 * composite types, sequences or extensions, so those hints cannot arise from a MySQL database.
 * How a column generates values, and a stored generated column's expression, change with
 * `ALTER TABLE ... MODIFY`, which restates the whole column: the hint leaves its type for the
 * person completing it to fill in.
 */
function mysqlHints(): HintSql {
  const none = (what: string) => (): never => {
    throw new InvalidOperationError(`MySQL has no ${what}`)
  }
  const modify = (column: ColumnRef, rest: string) =>
    `ALTER TABLE ${quoteQualified(column.schema, column.table)} MODIFY ${quoteIdentifier(column.column)} /* its type */${rest}`
  return {
    describeGenerator: (g: ColumnGenerator) =>
      g.kind === 'none' ? (g.hasDefault ? 'a default' : 'no generator') : 'AUTO_INCREMENT',
    changeGenerator: (column, _from, to) =>
      to.kind === 'none'
        ? [modify(column, ' NOT NULL /* DEFAULT ..., without AUTO_INCREMENT */')]
        : [modify(column, ' NOT NULL AUTO_INCREMENT /* the column must be a key */')],
    changeGeneration: (column, to) =>
      to === undefined
        ? modify(column, ' /* NULL or NOT NULL */')
        : modify(column, ` GENERATED ALWAYS AS (${to}) STORED`),
    rebuildEnum: none('enum types; an ENUM(...) column changes with ALTER TABLE ... MODIFY'),
    rebuildDomain: none('domains'),
    alterCompositeType: none('composite types'),
    restartSequence: none(
      'sequences; AUTO_INCREMENT restarts with ALTER TABLE ... AUTO_INCREMENT = n',
    ),
    updateExtension: none('extensions'),
    moveExtension: none('extensions'),
  }
}
