/**
 * A small pretty-printer for the TypeScript that autogenerate writes. Renderers build a tree of
 * {@link Doc}s (calls, objects, arrays, method chains) and {@link printDoc} lays it out the way the
 * project's formatter would: everything on one line when it fits in {@link LINE_WIDTH} columns,
 * otherwise one item per line with a trailing comma, hugging a last object, array or arrow
 * argument (`table('users', {` ... `})`) and breaking long method chains one call per line.
 */

/** The widest line the printer aims for (the formatter's `lineWidth`). */
export const LINE_WIDTH = 100

/** A piece of code to lay out: text, a sequence, a bracketed list, or a method chain. */
export type Doc = string | ConcatDoc | ListDoc | ChainDoc

/** Docs printed one after the other; only the last one may break over lines. */
export interface ConcatDoc {
  readonly kind: 'concat'
  readonly parts: readonly Doc[]
}

/** A bracketed, comma-separated list: arguments, an array or an object. */
export interface ListDoc {
  readonly kind: 'list'
  readonly open: string
  readonly close: string
  readonly items: readonly Doc[]
  /** `{ a, b }` rather than `{a, b}` on one line. */
  readonly spaced: boolean
  /** Always one item per line (a table's columns), even when the list would fit. */
  readonly breakAlways: boolean
  /** What the list is when it is the last argument of a call, for hugging; none for arguments. */
  readonly shape: 'object' | 'array' | undefined
  /** What ends each item when the list breaks over lines: `,`, or nothing in a block. */
  readonly terminator: string
}

/** `head.a().b()`: on one line when it fits, otherwise one `.call()` per line. */
export interface ChainDoc {
  readonly kind: 'chain'
  readonly head: Doc
  /** Each link, such as `.notNull()`, as a doc starting with the dot. */
  readonly links: readonly Doc[]
}

/** Concatenates docs. */
export function concat(...parts: readonly Doc[]): Doc {
  return { kind: 'concat', parts }
}

/** A call: `callee(arg, arg)`. */
export function call(callee: Doc, args: readonly Doc[]): Doc {
  return concat(callee, list('(', ')', args, { spaced: false }))
}

/** An array literal. */
export function array(
  items: readonly Doc[],
  options: { readonly breakAlways?: boolean } = {},
): Doc {
  return list('[', ']', items, { spaced: false, shape: 'array', ...options })
}

/** An object literal from `key: value` entries (keys already rendered). */
export function object(
  entries: readonly (readonly [key: string, value: Doc])[],
  options: { readonly breakAlways?: boolean } = {},
): Doc {
  return list(
    '{',
    '}',
    entries.map(([key, value]) => concat(`${key}: `, value)),
    { spaced: true, shape: 'object', ...options },
  )
}

/**
 * A spaced brace list of plain items: named imports `{ a, b }`, or with `shape: 'object'` an object
 * of shorthand properties.
 */
export function braces(items: readonly Doc[], shape?: 'object'): Doc {
  return list('{', '}', items, { spaced: true, ...(shape === undefined ? {} : { shape }) })
}

/**
 * A block of statements, `{` ... `}`, one per line: the body of an arrow function
 * (`(batch) => {` ... `}`), hugged like an object when it is a call's last argument.
 */
export function block(statements: readonly Doc[]): Doc {
  return list('{', '}', statements, {
    spaced: true,
    shape: 'object',
    breakAlways: true,
    terminator: '',
  })
}

/** An arrow function whose body is an expression: `(t) => [...]`. */
export function arrow(params: string, body: Doc): Doc {
  return concat(`${params} => `, body)
}

/** A method chain; with no links it is just the head. */
export function chain(head: Doc, links: readonly Doc[]): Doc {
  return links.length === 0 ? head : { kind: 'chain', head, links }
}

/** One link of a chain: `.name(args)`. */
export function method(name: string, args: readonly Doc[] = []): Doc {
  return call(`.${name}`, args)
}

function list(
  open: string,
  close: string,
  items: readonly Doc[],
  options: {
    readonly spaced: boolean
    readonly breakAlways?: boolean
    readonly shape?: 'object' | 'array'
    readonly terminator?: string
  },
): ListDoc {
  return {
    kind: 'list',
    open,
    close,
    items,
    spaced: options.spaced,
    breakAlways: options.breakAlways ?? false,
    shape: options.shape,
    terminator: options.terminator ?? ',',
  }
}

/**
 * Lays out a doc as a statement starting at column `indent` (its first line is not indented; the
 * caller writes the indentation).
 */
export function printDoc(doc: Doc, indent: number): string {
  return print(doc, indent, indent, 0)
}

/**
 * Writes `text` as `//` comment lines at `indent`, the first one starting with `label`, wrapped at
 * word boundaries to stay within the line width; existing line breaks are kept.
 *
 * @example
 * commentLines('WARNING: ', 'dropping column users.bio loses its data', 2)
 * // ['  // WARNING: dropping column users.bio loses its data']
 */
export function commentLines(label: string, text: string, indent: number): readonly string[] {
  const pad = ' '.repeat(indent)
  const out: string[] = []
  const paragraphs = text.split(/\r\n|\r|\n/)
  paragraphs.forEach((paragraph, index) => {
    const first = index === 0 ? label : ''
    const room = Math.max(20, LINE_WIDTH - indent - 3)
    let line = first
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' || line.endsWith(' ') ? line + word : `${line} ${word}`
      if (candidate.length > room && line.trim() !== '') {
        out.push(`${pad}// ${line.trimEnd()}`.trimEnd())
        line = word
      } else {
        line = candidate
      }
    }
    out.push(`${pad}// ${line}`.trimEnd())
  })
  return out
}

// ---------------------------------------------------------------------------------------------

/** The doc on one line, or undefined when it cannot be (a forced break, a multi-line text). */
function flat(doc: Doc): string | undefined {
  if (typeof doc === 'string') return doc.includes('\n') ? undefined : doc
  switch (doc.kind) {
    case 'concat': {
      let out = ''
      for (const part of doc.parts) {
        const text = flat(part)
        if (text === undefined) return undefined
        out += text
      }
      return out
    }
    case 'list': {
      if (doc.breakAlways && doc.items.length > 0) return undefined
      const items: string[] = []
      for (const item of doc.items) {
        const text = flat(item)
        if (text === undefined) return undefined
        items.push(text)
      }
      if (items.length === 0) return doc.open + doc.close
      const pad = doc.spaced ? ' ' : ''
      return `${doc.open}${pad}${items.join(', ')}${pad}${doc.close}`
    }
    case 'chain': {
      if (mustExpand(doc)) return undefined
      const head = flat(doc.head)
      if (head === undefined) return undefined
      let out = head
      for (const link of doc.links) {
        const text = flat(link)
        if (text === undefined) return undefined
        out += text
      }
      return out
    }
  }
}

/** How many columns a doc needs on its first line at the least (up to where it could break). */
function leadWidth(doc: Doc): number {
  if (typeof doc === 'string') return doc.split('\n')[0]!.length
  switch (doc.kind) {
    case 'concat': {
      let width = 0
      for (const part of doc.parts) {
        if (typeof part !== 'string') return width + leadWidth(part)
        width += part.length
        if (part.includes('\n')) return width
      }
      return width
    }
    case 'list':
      return doc.open.length
    case 'chain':
      return leadWidth(doc.head)
  }
}

function fits(text: string | undefined, column: number, suffix: number): text is string {
  return text !== undefined && column + text.length + suffix <= LINE_WIDTH
}

/** The column after printing `text` starting at `column`. */
function endColumn(text: string, column: number): number {
  const newline = text.lastIndexOf('\n')
  return newline < 0 ? column + text.length : text.length - newline - 1
}

function firstLineFits(text: string, column: number): boolean {
  const newline = text.indexOf('\n')
  return column + (newline < 0 ? text.length : newline) <= LINE_WIDTH
}

/**
 * Prints `doc` starting at `column`, with continuation lines indented from `indent`; `suffix` is
 * how many characters follow it on its last line (a comma, closing brackets).
 */
function print(doc: Doc, column: number, indent: number, suffix: number): string {
  if (typeof doc === 'string') return doc
  const oneLine = flat(doc)
  if (fits(oneLine, column, suffix)) return oneLine
  switch (doc.kind) {
    case 'concat':
      return printConcat(doc, column, indent, suffix)
    case 'list':
      return printList(doc, column, indent, suffix)
    case 'chain':
      return printChain(doc, column, indent, suffix)
  }
}

function printConcat(doc: ConcatDoc, column: number, indent: number, suffix: number): string {
  let out = ''
  let at = column
  doc.parts.forEach((part, i) => {
    const rest = doc.parts.slice(i + 1)
    const after = i === doc.parts.length - 1 ? suffix : leadWidth(concat(...rest))
    const text = print(part, at, indent, after)
    out += text
    at = endColumn(text, at)
  })
  return out
}

function printList(doc: ListDoc, column: number, indent: number, suffix: number): string {
  if (doc.items.length === 0) return doc.open + doc.close
  const hugged = doc.breakAlways ? undefined : hug(doc, column, indent, suffix)
  if (hugged !== undefined) return hugged
  const inner = indent + 2
  const pad = ' '.repeat(inner)
  const end = doc.terminator
  const lines = doc.items.map((item) => `${pad}${print(item, inner, inner, end.length)}${end}`)
  return `${doc.open}\n${lines.join('\n')}\n${' '.repeat(indent)}${doc.close}`
}

/**
 * Arguments whose last one is an object, an array or an arrow function keep the others on the
 * opening line and break only the last: `table('users', {` ... `})`. Not when the one before is
 * of the same shape, which would read as a list of peers.
 */
function hug(doc: ListDoc, column: number, indent: number, suffix: number): string | undefined {
  if (doc.shape !== undefined) return undefined
  const last = doc.items[doc.items.length - 1]!
  const lastShape = shapeOf(last)
  if (lastShape === undefined) return undefined
  const before = doc.items.slice(0, -1)
  const penultimate = before[before.length - 1]
  if (penultimate !== undefined && shapeOf(penultimate) === lastShape) return undefined
  const others: string[] = []
  for (const item of before) {
    const text = flat(item)
    if (text === undefined) return undefined
    others.push(text)
  }
  const prefix = doc.open + others.map((text) => `${text}, `).join('')
  const at = column + prefix.length
  if (at + leadWidth(last) > LINE_WIDTH) return undefined
  const text = print(last, at, indent, doc.close.length + suffix)
  if (!firstLineFits(text, at)) return undefined
  return prefix + text + doc.close
}

function shapeOf(doc: Doc): 'object' | 'array' | 'arrow' | undefined {
  if (typeof doc === 'string') return undefined
  if (doc.kind === 'list') return doc.shape
  if (doc.kind === 'concat') {
    const first = doc.parts[0]
    const body = doc.parts[doc.parts.length - 1]
    if (
      doc.parts.length === 2 &&
      typeof first === 'string' &&
      first.endsWith(' => ') &&
      body !== undefined &&
      typeof body !== 'string' &&
      body.kind === 'list' &&
      body.shape !== undefined
    ) {
      return 'arrow'
    }
  }
  return undefined
}

function printChain(doc: ChainDoc, column: number, indent: number, suffix: number): string {
  // First choice: everything on one line but the last call, whose object or array argument
  // breaks (`.references('users', 'id', {` ... `})`).
  const lastLink = doc.links[doc.links.length - 1]!
  const prefixParts = [doc.head, ...doc.links.slice(0, -1)].map(flat)
  if (!mustExpand(doc) && prefixParts.every((part) => part !== undefined) && huggable(lastLink)) {
    const prefix = prefixParts.join('')
    const at = column + prefix.length
    if (at + leadWidth(lastLink) <= LINE_WIDTH) {
      const text = print(lastLink, at, indent, suffix)
      if (firstLineFits(text, at)) return prefix + text
    }
  }
  const head = print(doc.head, column, indent, 0)
  const inner = indent + 2
  const links = doc.links.map(
    (link, i) =>
      `\n${' '.repeat(inner)}${print(link, inner, inner, i === doc.links.length - 1 ? suffix : 0)}`,
  )
  return head + links.join('')
}

/** A `.call(...)` whose last argument can hug. */
function huggable(link: Doc): boolean {
  if (typeof link === 'string' || link.kind !== 'concat') return false
  const args = link.parts[link.parts.length - 1]
  if (args === undefined || typeof args === 'string' || args.kind !== 'list') return false
  const last = args.items[args.items.length - 1]
  return last !== undefined && shapeOf(last) !== undefined
}

/**
 * The formatter's rule for member chains: more than two calls, one of them with an argument that
 * is not simple (a function, or data nested two levels deep), put every call on its own line.
 */
function mustExpand(doc: ChainDoc): boolean {
  const calls = [...(callArguments(doc.head) === undefined ? [] : [doc.head]), ...doc.links]
  if (calls.length <= 2) return false
  return calls.some((link) => (callArguments(link) ?? []).some((arg) => !isSimple(arg, 0)))
}

/** The arguments of a call doc (`f(...)`, `.f(...)`, `new F(...)`), or undefined for others. */
function callArguments(doc: Doc): readonly Doc[] | undefined {
  if (typeof doc === 'string' || doc.kind !== 'concat') return undefined
  const args = doc.parts[doc.parts.length - 1]
  if (args === undefined || typeof args === 'string' || args.kind !== 'list') return undefined
  return args.shape === undefined && args.open === '(' ? args.items : undefined
}

/**
 * A simple call argument as the formatter sees it: literals, names, member accesses, templates
 * on one line, and calls, arrays and objects of those, at most two levels deep; not functions.
 */
function isSimple(doc: Doc, depth: number): boolean {
  if (depth >= 2) return false
  if (typeof doc === 'string') return !doc.includes('\n') && !/^\(.*\)(: \w+)? => /.test(doc)
  switch (doc.kind) {
    case 'list':
      return doc.items.every((item) => {
        const value =
          doc.shape === 'object' && typeof item !== 'string' && item.kind === 'concat'
            ? item.parts[item.parts.length - 1]!
            : item
        return isSimple(value, depth + 1)
      })
    case 'concat': {
      const args = callArguments(doc)
      if (args === undefined) return false
      const callee = doc.parts.slice(0, -1)
      return (
        callee.every((part) => typeof part === 'string' && !part.includes(' => ')) &&
        args.every((arg) => isSimple(arg, depth + 1))
      )
    }
    case 'chain':
      return (
        isSimple(doc.head, depth) &&
        doc.links.every((link) => (callArguments(link) ?? []).every((a) => isSimple(a, depth + 1)))
      )
  }
}
