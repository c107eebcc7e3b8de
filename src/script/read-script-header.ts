import { ScriptHeaderError } from './script-errors.ts'

/**
 * The identity of a migration file, read from its top-level literal exports without executing it.
 */
export interface ScriptHeader {
  readonly revision: string
  /** Empty for a base revision; two or more for a merge. */
  readonly downRevisions: readonly string[]
  readonly branchLabels: readonly string[]
  readonly dependsOn: readonly string[]
  /** Default true; false runs the migration outside any transaction. */
  readonly transactional: boolean
  /** First line of the leading doc comment, or '' when there is none. */
  readonly message: string
  /** The whole leading doc comment with its `*` gutters removed. */
  readonly doc: string
}

type Literal = string | boolean | null | readonly string[]

type HeaderExport = 'revision' | 'downRevision' | 'branchLabels' | 'dependsOn' | 'transactional'

/** What each header export may hold, in the words error messages use. */
const EXPECTED: Readonly<Record<HeaderExport, string>> = {
  revision: "a non-empty string literal such as '3f2a1b9c0d4e'",
  downRevision: 'a string literal, a list of string literals, or null',
  branchLabels: 'a list of string literals',
  dependsOn: 'a list of string literals',
  transactional: 'true or false',
}

const HEADER_EXPORTS: ReadonlySet<string> = new Set(Object.keys(EXPECTED))

/** A header export as read: its value and where its name stands, for error messages. */
interface Found {
  readonly value: Literal
  readonly at: number
}

/**
 * Reads a migration's header (`export const revision = '...'` and its siblings) from the file's
 * text. Only literal values are accepted — strings, `null`, booleans and arrays of strings, with
 * an optional type annotation, `as const` or `satisfies` — because the graph of 10,000 migrations
 * must load without importing a single one.
 *
 * @param text the file's source text
 * @param file the file's name, used in error messages
 * @throws ScriptHeaderError (`FILE:LINE: reason`) when an export is missing, repeated, or not a
 *   literal of the right kind
 */
export function readScriptHeader(text: string, file: string): ScriptHeader {
  const scanner = new Scanner(text, file)
  const found = new Map<HeaderExport, Found>()
  const docText = leadingDocComment(text)
  for (;;) {
    const name = scanner.nextTopLevelExportConst()
    if (name === undefined) break
    if (!isHeaderExport(name)) continue
    const at = scanner.position
    const first = found.get(name)
    if (first !== undefined) {
      scanner.fail(
        `\`${name}\` is exported twice (first on line ${lineAt(text, first.at)}); keep one`,
      )
    }
    found.set(name, { value: scanner.readInitializer(name), at })
    // The header normally sits at the top of the file: once every export is known, stop. A
    // repeat further down is left to the import, which rejects it as a redeclaration; scanning
    // every function body would only add chances to misread code the lexer does not model.
    if (found.size === HEADER_EXPORTS.size) break
  }

  const wrong = (name: HeaderExport, value: Literal): never => {
    throw new ScriptHeaderError(
      file,
      lineAt(text, found.get(name)!.at),
      `\`${name}\` must be ${EXPECTED[name]}, not ${describeLiteral(value)}`,
    )
  }
  const revision = found.get('revision')?.value
  if (revision === undefined) {
    throw new ScriptHeaderError(
      file,
      undefined,
      "it has no `export const revision = '...'`; add one, or rename the file with a leading '_' if it is not a migration",
    )
  }
  if (typeof revision !== 'string' || revision.length === 0) return wrong('revision', revision)
  if (/[\s@:,]|^[+-]/.test(revision) || RESERVED_IDS.has(revision)) {
    // `@` separates a branch label, `:` a range, `,` a list, and a leading sign makes a relative
    // step: an id holding them could never be named as a target.
    throw new ScriptHeaderError(
      file,
      lineAt(text, found.get('revision')!.at),
      `revision id '${revision}' cannot be used as a target; use letters, digits and '_' (no spaces, '@', ':', ',', leading '+'/'-', nor head/heads/base/current)`,
    )
  }
  const down = found.get('downRevision')?.value ?? null
  if (typeof down === 'boolean') return wrong('downRevision', down)
  const transactional = found.get('transactional')?.value ?? true
  if (typeof transactional !== 'boolean') return wrong('transactional', transactional)
  const list = (name: 'branchLabels' | 'dependsOn'): readonly string[] => {
    const value = found.get(name)?.value ?? null
    if (typeof value === 'boolean') return wrong(name, value)
    return stringList(value)
  }
  const doc = docText === undefined ? '' : cleanDoc(docText)
  return {
    revision,
    downRevisions: stringList(down).filter((r) => r !== ''),
    branchLabels: list('branchLabels'),
    dependsOn: list('dependsOn'),
    transactional,
    message:
      doc
        .split('\n')
        .find((line) => line.trim() !== '')
        ?.trim() ?? '',
    doc,
  }
}

const RESERVED_IDS: ReadonlySet<string> = new Set(['head', 'heads', 'base', 'current'])

function isHeaderExport(name: string): name is HeaderExport {
  return HEADER_EXPORTS.has(name)
}

/** A single string stands for a list of one (Alembic accepts both); '' and null for none. */
function stringList(value: string | null | readonly string[]): readonly string[] {
  if (value === null) return []
  if (typeof value === 'string') return value === '' ? [] : [value]
  return value
}

function describeLiteral(value: Literal): string {
  if (typeof value === 'string') return value === '' ? 'an empty string' : `'${value}'`
  if (Array.isArray(value)) return 'a list'
  return String(value)
}

/** The 1-based line of a position in the text; only computed for error messages. */
function lineAt(text: string, position: number): number {
  let line = 1
  for (let i = 0; i < position && i < text.length; i++) if (text[i] === '\n') line++
  return line
}
function leadingDocComment(text: string): string | undefined {
  const match = /^(?:\uFEFF)?(?:#![^\n]*\n)?\s*\/\*\*([\s\S]*?)\*\//.exec(text)
  return match?.[1]
}

function cleanDoc(raw: string): string {
  const lines = raw
    .split(/\r?\n/)
    .map((line) => (/^\s*\*/.test(line) ? line.replace(/^\s*\* ?/, '') : line.trim()).trimEnd())
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift()
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop()
  return lines.join('\n')
}

const KEYWORDS_BEFORE_REGEX: ReadonlySet<string> = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'instanceof',
  'new',
  'void',
  'delete',
  'throw',
  'yield',
  'await',
  'of',
])

/** Single-character escapes of string literals (ECMA-262, SingleEscapeCharacter). */
const SINGLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
}

/**
 * A minimal JavaScript/TypeScript lexer: it knows comments, string and template literals, regular
 * expression literals and bracket depth — just enough to find top-level `export const` statements
 * and read literal initializers without a full parser (loading one costs more than reading a
 * thousand headers).
 */
class Scanner {
  private pos = 0
  private depth = 0
  /** Last significant character or word, to tell a regex literal from a division. */
  private previous = ''
  private readonly text: string
  private readonly file: string

  constructor(text: string, file: string) {
    this.text = text
    this.file = file
  }

  /** Where the scanner stands: just after the name returned by the last export found. */
  get position(): number {
    return this.pos
  }

  fail(reason: string): never {
    throw new ScriptHeaderError(this.file, lineAt(this.text, this.pos), reason)
  }

  /** Advances to the next `export const NAME` at bracket depth 0 and returns NAME. */
  nextTopLevelExportConst(): string | undefined {
    const text = this.text
    while (this.pos < text.length) {
      const ch = text.charCodeAt(this.pos)
      if (isIdentStart(ch)) {
        const word = this.readWord()
        if (word === 'export' && this.depth === 0 && this.atStatementStart()) {
          const save = this.pos
          this.skipTrivia()
          const keyword = this.peekWord()
          if (keyword === 'const' || keyword === 'let' || keyword === 'var') {
            this.readWord()
            this.skipTrivia()
            const name = this.peekWord()
            if (name !== undefined) {
              this.readWord()
              if (keyword !== 'const' && HEADER_EXPORTS.has(name)) {
                // A `let` could be reassigned before the file runs: what is read would be a guess.
                this.fail(`\`${name}\` must be declared with \`export const\`, not \`${keyword}\``)
              }
              this.previous = name
              if (keyword === 'const') return name
              continue
            }
          }
          this.pos = save
        }
        this.previous = word
        continue
      }
      this.skipToken()
    }
    return undefined
  }

  private atStatementStart(): boolean {
    // `export` must not be a property name (`x.export`): look at the previous token. Comments
    // are not tokens — a comment ending in '.' right before `export` must not count.
    return this.previous !== '.'
  }

  /** Reads `[: Type] = literal [as const | satisfies T]` after an export's name. */
  readInitializer(name: HeaderExport): Literal {
    this.skipTrivia()
    if (this.text[this.pos] === ':') {
      // Skip the type annotation up to the '=' at bracket depth 0.
      this.pos++
      let depth = 0
      while (this.pos < this.text.length) {
        this.skipTrivia()
        const c = this.text[this.pos]
        if (c === undefined) break
        if (c === '=' && depth === 0 && this.text[this.pos + 1] !== '>') break
        if (c === '=' && this.text[this.pos + 1] === '>') {
          this.pos += 2
          continue
        }
        if (c === '(' || c === '[' || c === '{' || c === '<') depth++
        else if (c === ')' || c === ']' || c === '}' || c === '>') depth--
        if (c === "'" || c === '"' || c === '`') this.readString(name)
        else this.pos++
      }
    }
    this.skipTrivia()
    if (this.text[this.pos] !== '=') {
      this.fail(`\`${name}\` has no initializer; it must be ${EXPECTED[name]}`)
    }
    this.pos++
    this.skipTrivia()
    const value = this.readLiteral(name)
    this.skipSameLineTrivia()
    const next = this.peekWord()
    if (next === 'as' || next === 'satisfies') {
      // `as const`, `satisfies readonly string[]`: types only, skip to the end of the statement.
      while (this.pos < this.text.length && !/[;\n]/.test(this.text[this.pos] ?? '')) {
        this.skipToken()
      }
    } else if (this.pos < this.text.length && !/[;\n}]/.test(this.text[this.pos] ?? '')) {
      // `'a' + 'b'`, `'a', other = 1`: more than a literal.
      this.failNotLiteral(name)
    }
    this.previous = ';'
    return value
  }

  private failNotLiteral(name: HeaderExport): never {
    return this.fail(
      `\`${name}\` must be ${EXPECTED[name]}, so that it can be read without running the file`,
    )
  }

  private readLiteral(name: HeaderExport): Literal {
    const c = this.text[this.pos]
    if (c === "'" || c === '"' || c === '`') return this.readString(name)
    if (c === '[') {
      this.pos++
      const items: string[] = []
      for (;;) {
        this.skipTrivia()
        const d = this.text[this.pos]
        if (d === ']') {
          this.pos++
          return items
        }
        if (d === "'" || d === '"' || d === '`') items.push(this.readString(name))
        else this.fail(`\`${name}\` must list string literals only`)
        this.skipTrivia()
        if (this.text[this.pos] === ',') this.pos++
        else if (this.text[this.pos] !== ']') this.fail(`\`${name}\`: expected ',' or ']'`)
      }
    }
    const word = this.peekWord()
    if (word === 'null' || word === 'undefined') {
      this.readWord()
      return null
    }
    if (word === 'true' || word === 'false') {
      this.readWord()
      return word === 'true'
    }
    return this.failNotLiteral(name)
  }

  /**
   * Reads a string or template literal and returns its value. `name` is the export being read,
   * when the literal is a header value (only then can a template's substitution be met here).
   */
  private readString(name?: HeaderExport): string {
    const start = this.pos
    const quote = this.text[this.pos]
    this.pos++
    let out = ''
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!
      if (c === quote) {
        this.pos++
        return out
      }
      if (c === '\\') {
        out += this.readEscape()
        continue
      }
      if (quote === '`' && c === '$' && this.text[this.pos + 1] === '{') {
        this.fail(
          `\`${name ?? 'the value'}\` is a template literal with a \${...} substitution; write the value out in full, so that it can be read without running the file`,
        )
      }
      if (c === '\n' && quote !== '`') break
      out += c
      this.pos++
    }
    this.pos = start
    return this.fail(`unterminated string literal; close it with ${quote}`)
  }

  /** Decodes the escape sequence at the backslash under the cursor and moves past it. */
  private readEscape(): string {
    const text = this.text
    const e = text[this.pos + 1] ?? ''
    this.pos += 2
    const single = SINGLE_ESCAPES[e]
    if (single !== undefined) return single
    if (e === '\r') {
      // A line continuation; CRLF counts as one line terminator.
      if (text[this.pos] === '\n') this.pos++
      return ''
    }
    if (e === '\n' || e === '\u2028' || e === '\u2029') return ''
    if (e === '0' && !/[0-9]/.test(text[this.pos] ?? '')) return '\0'
    let hex: string | undefined
    if (e === 'x') hex = /^[0-9a-fA-F]{2}/.exec(text.slice(this.pos, this.pos + 2))?.[0]
    else if (e === 'u' && text[this.pos] === '{') {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(this.pos, this.pos + 8))
      if (braced !== null) {
        this.pos += braced[0].length
        const code = Number.parseInt(braced[1]!, 16)
        if (code <= 0x10ffff) return String.fromCodePoint(code)
      }
      this.pos -= 2
      return this.fail('malformed \\u{...} escape in a string literal')
    } else if (e === 'u') hex = /^[0-9a-fA-F]{4}/.exec(text.slice(this.pos, this.pos + 4))?.[0]
    else return e
    if (hex === undefined) {
      this.pos -= 2
      return this.fail(`malformed \\${e} escape in a string literal`)
    }
    this.pos += hex.length
    return String.fromCharCode(Number.parseInt(hex, 16))
  }

  private skipTrivia(): void {
    const text = this.text
    while (this.pos < text.length) {
      const c = text[this.pos]
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\uFEFF') {
        this.pos++
      } else if (c === '/' && text[this.pos + 1] === '/') {
        const end = text.indexOf('\n', this.pos)
        this.pos = end < 0 ? text.length : end + 1
      } else if (c === '/' && text[this.pos + 1] === '*') {
        const end = text.indexOf('*/', this.pos + 2)
        if (end < 0) this.fail('unterminated comment; close it with */')
        this.pos = end + 2
      } else {
        return
      }
    }
  }

  /** Skips blanks and comments up to (not past) the end of the line. */
  private skipSameLineTrivia(): void {
    const text = this.text
    while (this.pos < text.length) {
      const c = text[this.pos]
      if (c === ' ' || c === '\t' || c === '\r') this.pos++
      else if (c === '/' && text[this.pos + 1] === '/') {
        const end = text.indexOf('\n', this.pos)
        this.pos = end < 0 ? text.length : end
      } else if (c === '/' && text[this.pos + 1] === '*') {
        const end = text.indexOf('*/', this.pos + 2)
        if (end < 0) this.fail('unterminated comment; close it with */')
        this.pos = end + 2
      } else return
    }
  }

  private peekWord(): string | undefined {
    const match = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.pos, this.pos + 64))
    return match?.[0]
  }

  private readWord(): string {
    const start = this.pos
    while (this.pos < this.text.length && isIdentPart(this.text.charCodeAt(this.pos))) this.pos++
    return this.text.slice(start, this.pos)
  }

  /** Skips one token that is not an identifier, tracking bracket depth. */
  private skipToken(): void {
    const text = this.text
    const c = text[this.pos]!
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      this.pos++
      return
    }
    if (c === '/' && (text[this.pos + 1] === '/' || text[this.pos + 1] === '*')) {
      this.skipTrivia()
      return
    }
    if (c === "'" || c === '"') {
      this.readString()
      this.previous = 'literal'
      return
    }
    if (c === '`') {
      this.skipTemplate()
      this.previous = 'literal'
      return
    }
    if (c === '/' && this.regexAllowed()) {
      this.skipRegex()
      this.previous = 'literal'
      return
    }
    if (c === '{' || c === '(' || c === '[') this.depth++
    else if (c === '}' || c === ')' || c === ']') this.depth = Math.max(0, this.depth - 1)
    this.previous = c
    this.pos++
  }

  private regexAllowed(): boolean {
    const p = this.previous
    if (p === '' || KEYWORDS_BEFORE_REGEX.has(p)) return true
    if (p === ')' || p === ']' || p === '}' || p === 'literal') return false
    return !/^[\w$]/.test(p)
  }

  private skipRegex(): void {
    const text = this.text
    this.pos++
    let inClass = false
    while (this.pos < text.length) {
      const c = text[this.pos]
      if (c === '\\') this.pos += 2
      else if (c === '\n') return
      else {
        if (c === '[') inClass = true
        else if (c === ']') inClass = false
        else if (c === '/' && !inClass) {
          this.pos++
          while (this.pos < text.length && isIdentPart(text.charCodeAt(this.pos))) this.pos++
          return
        }
        this.pos++
      }
    }
  }

  private skipTemplate(): void {
    const text = this.text
    const start = this.pos
    this.pos++
    while (this.pos < text.length) {
      const c = text[this.pos]
      if (c === '\\') this.pos += 2
      else if (c === '`') {
        this.pos++
        return
      } else if (c === '$' && text[this.pos + 1] === '{') {
        // Skip the substitution, which may itself hold strings, templates and braces.
        this.pos += 2
        const outerDepth = this.depth
        this.depth = 0
        let nested = 1
        while (this.pos < text.length && nested > 0) {
          const d = text[this.pos]
          if (d === '{') nested++
          else if (d === '}') nested--
          if (nested === 0) break
          if (d === "'" || d === '"') this.readString()
          else if (d === '`') this.skipTemplate()
          else if (d === '/' && (text[this.pos + 1] === '/' || text[this.pos + 1] === '*'))
            this.skipTrivia()
          else this.pos++
        }
        this.pos++
        this.depth = outerDepth
      } else this.pos++
    }
    // Running off the end would otherwise swallow the rest of the file and report a missing
    // `revision` instead of the real mistake.
    this.pos = start
    this.fail('unterminated template literal; close it with `')
  }
}

function isIdentStart(ch: number): boolean {
  // Non-ASCII code units are treated as identifier characters: they only ever appear in names,
  // strings and comments, and the last two are skipped before this is asked.
  return (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95 || ch === 36 || ch > 127
}

function isIdentPart(ch: number): boolean {
  return isIdentStart(ch) || (ch >= 48 && ch <= 57)
}
