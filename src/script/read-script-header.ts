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

const HEADER_EXPORTS = ['revision', 'downRevision', 'branchLabels', 'dependsOn', 'transactional']

/**
 * Reads a migration's header (`export const revision = '...'` and its siblings) from the file's
 * text. Only literal values are accepted — strings, `null`, booleans and arrays of strings, with
 * an optional type annotation, `as const` or `satisfies` — because the graph of 10,000 migrations
 * must load without importing a single one.
 *
 * @param text the file's source text
 * @param file the file's name, used in error messages
 * @throws ScriptHeaderError when an export is missing, repeated, or not a literal
 */
export function readScriptHeader(text: string, file: string): ScriptHeader {
  const scanner = new Scanner(text, file)
  const found = new Map<string, Literal>()
  const docText = leadingDocComment(text)
  for (;;) {
    const name = scanner.nextTopLevelExportConst()
    if (name === undefined) break
    if (!HEADER_EXPORTS.includes(name)) continue
    if (found.has(name)) scanner.fail(`'${name}' is exported twice`)
    found.set(name, scanner.readInitializer(name))
    // The header normally sits at the top of the file: once every export is known, stop.
    if (found.size === HEADER_EXPORTS.length) break
  }

  const revision = found.get('revision')
  if (revision === undefined) {
    throw new ScriptHeaderError(
      file,
      undefined,
      "it has no `export const revision = '...'`; add one, or rename the file with a leading '_' if it is not a migration",
    )
  }
  if (typeof revision !== 'string' || revision.length === 0) {
    throw new ScriptHeaderError(file, undefined, '`revision` must be a non-empty string literal')
  }
  const down = found.get('downRevision') ?? null
  const downRevisions = down === null ? [] : typeof down === 'string' ? [down] : down
  if (typeof downRevisions === 'boolean') {
    throw new ScriptHeaderError(file, undefined, '`downRevision` must be a string, a list or null')
  }
  const transactional = found.get('transactional') ?? true
  if (typeof transactional !== 'boolean') {
    throw new ScriptHeaderError(file, undefined, '`transactional` must be true or false')
  }
  const doc = docText === undefined ? '' : cleanDoc(docText)
  return {
    revision,
    downRevisions: downRevisions.filter((r) => r !== ''),
    branchLabels: stringList(found.get('branchLabels'), 'branchLabels', file),
    dependsOn: stringList(found.get('dependsOn'), 'dependsOn', file),
    transactional,
    message: doc.split('\n').find((line) => line.trim() !== '') ?? '',
    doc,
  }
}

function stringList(value: Literal | undefined, name: string, file: string): readonly string[] {
  if (value === undefined || value === null) return []
  if (typeof value === 'string') return value === '' ? [] : [value]
  if (typeof value === 'boolean') {
    throw new ScriptHeaderError(file, undefined, `\`${name}\` must be a list of strings`)
  }
  return value
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

const KEYWORDS_BEFORE_REGEX = new Set([
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

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  fail(reason: string): never {
    throw new ScriptHeaderError(this.file, this.line(), reason)
  }

  private line(): number {
    let line = 1
    for (let i = 0; i < this.pos && i < this.text.length; i++) if (this.text[i] === '\n') line++
    return line
  }

  /** Advances to the next `export const NAME` at bracket depth 0 and returns NAME. */
  nextTopLevelExportConst(): string | undefined {
    const text = this.text
    while (this.pos < text.length) {
      const ch = text.charCodeAt(this.pos)
      if (isIdentStart(ch)) {
        const start = this.pos
        const word = this.readWord()
        if (word === 'export' && this.depth === 0 && this.atStatementStart(start)) {
          const save = this.pos
          this.skipTrivia()
          if (this.peekWord() === 'const') {
            this.readWord()
            this.skipTrivia()
            const name = this.peekWord()
            if (name !== undefined) {
              this.readWord()
              this.previous = name
              return name
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

  private atStatementStart(start: number): boolean {
    // `export` must not be a property name (`x.export`) — look at the previous character.
    let i = start - 1
    while (i >= 0 && /\s/.test(this.text[i] ?? '')) i--
    return i < 0 || this.text[i] !== '.'
  }

  /** Reads `[: Type] = literal [as const | satisfies T]` after an export's name. */
  readInitializer(name: string): Literal {
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
        if (c === "'" || c === '"' || c === '`') this.readString()
        else this.pos++
      }
    }
    this.skipTrivia()
    if (this.text[this.pos] !== '=') this.fail(`\`${name}\` must be initialized with a literal`)
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
      this.fail(`\`${name}\` must be a literal (a string, null, true/false or a list of strings)`)
    }
    this.previous = ';'
    return value
  }

  private readLiteral(name: string): Literal {
    const c = this.text[this.pos]
    if (c === "'" || c === '"' || c === '`') return this.readString()
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
        if (d === "'" || d === '"' || d === '`') items.push(this.readString())
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
    return this.fail(
      `\`${name}\` must be a literal (a string, null, true/false or a list of strings), so that it can be read without running the file`,
    )
  }

  private readString(): string {
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
        const e = this.text[this.pos + 1] ?? ''
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e
        this.pos += 2
        continue
      }
      if (quote === '`' && c === '$' && this.text[this.pos + 1] === '{') {
        this.fail('template literals with substitutions are not literals')
      }
      if (c === '\n' && quote !== '`') this.fail('unterminated string literal')
      out += c
      this.pos++
    }
    return this.fail('unterminated string literal')
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
        if (end < 0) this.fail('unterminated comment')
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
        if (end < 0) this.fail('unterminated comment')
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
