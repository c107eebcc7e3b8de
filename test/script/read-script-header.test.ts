// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are source text that holds template literals
import { describe, expect, it } from 'vitest'
import { readScriptHeader, type ScriptHeader } from '../../src/script/read-script-header.ts'
import { renderScript, type ScriptTemplateInput } from '../../src/script/render-script.ts'
import { ScriptHeaderError } from '../../src/script/script-errors.ts'

const FILE = '3f2a1b9c0d4e_create_tables.ts'

function read(text: string): ScriptHeader {
  return readScriptHeader(text, FILE)
}

/** The error reading `text` throws; fails the test when it reads fine. */
function failure(text: string): ScriptHeaderError {
  try {
    read(text)
  } catch (error) {
    expect(error).toBeInstanceOf(ScriptHeaderError)
    return error as ScriptHeaderError
  }
  throw new Error(`expected a ScriptHeaderError, but the header was read:\n${text}`)
}

/** The fields a header has when a file declares nothing but its revision. */
const DEFAULTS = {
  downRevisions: [],
  branchLabels: [],
  dependsOn: [],
  transactional: true,
  message: '',
  doc: '',
} as const

const template: ScriptTemplateInput = {
  revision: '3f2a1b9c0d4e',
  downRevisions: [],
  branchLabels: [],
  dependsOn: [],
  message: 'Create initial user and item tables',
  date: new Date('2025-01-02T03:04:05.000Z'),
  transactional: true,
  upgradeBody: undefined,
  downgradeBody: undefined,
  imports: [],
}

describe('readScriptHeader on the template aludel writes', () => {
  it('reads a base revision with the default placeholders', () => {
    expect(read(renderScript(template))).toEqual({
      revision: '3f2a1b9c0d4e',
      downRevisions: [],
      branchLabels: [],
      dependsOn: [],
      transactional: true,
      message: 'Create initial user and item tables',
      doc: [
        'Create initial user and item tables',
        '',
        'Revision ID: 3f2a1b9c0d4e',
        'Revises: <base>',
        'Create Date: 2025-01-02T03:04:05.000Z',
      ].join('\n'),
    })
  })

  it('reads one parent, labels, dependencies and transactional = false', () => {
    const header = read(
      renderScript({
        ...template,
        downRevisions: ['ae1027a6acf'],
        branchLabels: ['billing', 'v2.x'],
        dependsOn: ['55af2cb1c267'],
        transactional: false,
        message: 'Add an index\n\nCONCURRENTLY, so outside a transaction',
      }),
    )
    expect(header).toMatchObject({
      downRevisions: ['ae1027a6acf'],
      branchLabels: ['billing', 'v2.x'],
      dependsOn: ['55af2cb1c267'],
      transactional: false,
      message: 'Add an index',
    })
    expect(header.doc).toContain('CONCURRENTLY, so outside a transaction')
  })

  it('reads a merge (a list of parents)', () => {
    const header = read(renderScript({ ...template, downRevisions: ['aaa111', 'bbb222'] }))
    expect(header.downRevisions).toEqual(['aaa111', 'bbb222'])
  })

  it('reads back what the template escaped: quotes and backslashes in labels', () => {
    const labels = ["it's", 'back\\slash', '"double"']
    expect(read(renderScript({ ...template, branchLabels: labels })).branchLabels).toEqual(labels)
  })

  it('reads a template with real upgrade and downgrade bodies and extra imports', () => {
    const header = read(
      renderScript({
        ...template,
        imports: ["import { sql } from './_helpers.ts'"],
        upgradeBody: [
          "  await op.execute(`CREATE TABLE t (id int, doc jsonb DEFAULT '{}')`)",
          "  if (/[{]/.test('{')) await op.execute('SELECT 1')",
        ].join('\n'),
        downgradeBody: "  await op.execute('DROP TABLE t')",
      }),
    )
    expect(header.revision).toBe('3f2a1b9c0d4e')
  })
})

describe('renderScript parameters', () => {
  it('names the parameter op in placeholders, which are there to be replaced by code using it', () => {
    const text = renderScript(template)
    expect(text).toContain('export async function upgrade(op: Operations)')
    expect(text).toContain('export async function downgrade(op: Operations)')
  })

  it('names it _op only in a given body that never uses it, such as a merge', () => {
    const text = renderScript({
      ...template,
      upgradeBody: '  // a merge point',
      downgradeBody: "  await op.execute('DROP TABLE t')",
    })
    expect(text).toContain('export async function upgrade(_op: Operations)')
    expect(text).toContain('export async function downgrade(op: Operations)')
  })
})

describe('readScriptHeader literals', () => {
  it.each([
    ['single quotes', "export const revision = 'ab12'", 'ab12'],
    ['double quotes', 'export const revision = "ab12"', 'ab12'],
    ['a template literal without substitutions', 'export const revision = `ab12`', 'ab12'],
    ['a dollar sign that opens no substitution', 'export const revision = `a$b{c}`', 'a$b{c}'],
    ['an escaped substitution', 'export const revision = `a\\${b}`', 'a${b}'],
    ['escaped quotes', String.raw`export const revision = 'it\'s"x"\"y\"'`, `it's"x""y"`],
    ['an escaped backslash', String.raw`export const revision = 'a\\b'`, 'a\\b'],
    ['hex and unicode escapes', String.raw`export const revision = '\x41\u0042\u{1F600}'`, 'AB😀'],
    ['an identity escape', String.raw`export const revision = '\q'`, 'q'],
    ['a line continuation', "export const revision = 'ab\\\n12'", 'ab12'],
    ['a CRLF line continuation', "export const revision = 'ab\\\r\n12'", 'ab12'],
    ['a non-ASCII string', "export const revision = 'révision_日本'", 'révision_日本'],
  ])('reads %s', (_, text, revision) => {
    expect(read(text)).toEqual({ ...DEFAULTS, revision })
  })

  it('reads control escapes (in a field that may hold them)', () => {
    const text = String.raw`export const revision = 'x1'
export const dependsOn = ['a\nb\tc\rd\0']`
    expect(read(text).dependsOn).toEqual(['a\nb\tc\rd\0'])
  })

  it.each([
    ['a space', "'ab 12'"],
    ['an @', "'ab@12'"],
    ['a colon', "'ab:12'"],
    ['a leading minus', "'-ab12'"],
    ['a keyword', "'head'"],
  ])('refuses a revision id with %s, which could not be named as a target', (_, value) => {
    expect(() => read(`export const revision = ${value}`)).toThrow(/cannot be used as a target/)
  })

  it.each([
    ['null', 'null', []],
    ['undefined', 'undefined', []],
    ["''", "''", []],
    ['a string', "'ae10'", ['ae10']],
    ['a list (a merge)', '[\'ae10\', "bf20", `cg30`]', ['ae10', 'bf20', 'cg30']],
    ['a list with a trailing comma', "['ae10', 'bf20',]", ['ae10', 'bf20']],
    ['an empty list', '[]', []],
    [
      'a list over several lines',
      "[\n  'ae10', // first\n  'bf20' /* second */,\n]",
      ['ae10', 'bf20'],
    ],
  ])('reads downRevision = %s', (_, value, downRevisions) => {
    expect(read(`export const revision = 'x1'\nexport const downRevision = ${value}\n`)).toEqual({
      ...DEFAULTS,
      revision: 'x1',
      downRevisions,
    })
  })

  it('takes a single string as a list of one for branchLabels and dependsOn', () => {
    const header = read(
      "export const revision = 'x1'\nexport const branchLabels = 'billing'\nexport const dependsOn = 'ae10'",
    )
    expect(header).toMatchObject({ branchLabels: ['billing'], dependsOn: ['ae10'] })
  })

  it.each([
    ['true', true],
    ['false', false],
  ])('reads transactional = %s', (value, transactional) => {
    expect(read(`export const revision = 'x1'\nexport const transactional = ${value}`)).toEqual({
      ...DEFAULTS,
      revision: 'x1',
      transactional,
    })
  })
})

describe('readScriptHeader syntax around the literals', () => {
  it.each([
    [
      'as const',
      "export const revision = 'x1' as const\nexport const branchLabels = ['a', 'b'] as const\n",
    ],
    [
      'satisfies readonly string[]',
      "export const revision = 'x1' satisfies string\nexport const branchLabels = ['a', 'b'] satisfies readonly string[]\n",
    ],
    [
      'type annotations',
      "export const revision: string = 'x1'\nexport const branchLabels: readonly string[] = ['a', 'b']\n",
    ],
    [
      'generic and function types in annotations',
      "export const revision: (() => string) extends never ? never : string = 'x1'\nexport const branchLabels: ReadonlyArray<string> = ['a', 'b']\n",
    ],
    ['semicolons', "export const revision = 'x1';\nexport const branchLabels = ['a', 'b'];\n"],
    [
      'two exports on one line',
      "export const revision = 'x1'; export const branchLabels = ['a', 'b'];",
    ],
    [
      'comments between every token',
      "export /* a */ const /* b */ revision /* c */ : /* d */ string /* e */ = /* f */ 'x1' /* g */ ; // h\nexport // i\nconst branchLabels = // j\n  ['a', /* k */ 'b'] // l\n",
    ],
    [
      'a value on the next line',
      "export const revision =\n  'x1'\nexport const branchLabels =\n  ['a', 'b']\n",
    ],
  ])('reads %s', (_, text) => {
    expect(read(text)).toEqual({ ...DEFAULTS, revision: 'x1', branchLabels: ['a', 'b'] })
  })

  it('reads the union annotation the template uses for downRevision', () => {
    expect(
      read(
        "export const revision = 'x1'\nexport const downRevision: string | readonly string[] | null = ['a', 'b']\n",
      ).downRevisions,
    ).toEqual(['a', 'b'])
  })

  it('reads the exports in any order', () => {
    const text = [
      'export const transactional = false',
      "export const dependsOn = ['d1']",
      "export const revision = 'x1'",
      "export const branchLabels = ['l1']",
      "export const downRevision = 'p1'",
    ].join('\n')
    expect(read(text)).toEqual({
      ...DEFAULTS,
      revision: 'x1',
      downRevisions: ['p1'],
      branchLabels: ['l1'],
      dependsOn: ['d1'],
      transactional: false,
    })
  })

  it('reads a header that follows the upgrade and downgrade functions', () => {
    const text = [
      '/** Add a column */',
      "import type { Operations } from 'aludel'",
      'export async function upgrade(op: Operations): Promise<void> {',
      '  if (op) { await op.execute(`ALTER TABLE t ADD c int`) }',
      '}',
      'export async function downgrade(op: Operations): Promise<void> {',
      "  await op.execute('ALTER TABLE t DROP c')",
      '}',
      "export const revision = 'x1'",
      "export const downRevision = 'p1'",
    ].join('\n')
    expect(read(text)).toEqual({
      ...DEFAULTS,
      revision: 'x1',
      downRevisions: ['p1'],
      message: 'Add a column',
      doc: 'Add a column',
    })
  })

  it('ignores exports that are not part of the header', () => {
    const text = [
      'export const tableName = makeName()',
      "export default { revision: 'not-this' }",
      "export const revision = 'x1'",
      'export function helper() { return 1 }',
    ].join('\n')
    expect(read(text)).toEqual({ ...DEFAULTS, revision: 'x1' })
  })
})

describe('readScriptHeader file encodings', () => {
  it('reads a CRLF file, doc comment included', () => {
    const text = [
      '/**',
      ' * Create the users table',
      ' *',
      ' * Revision ID: x1',
      ' */',
      "export const revision = 'x1'",
      "export const downRevision = 'p1'",
      'export const transactional = false',
      '',
    ].join('\r\n')
    expect(read(text)).toEqual({
      ...DEFAULTS,
      revision: 'x1',
      downRevisions: ['p1'],
      transactional: false,
      message: 'Create the users table',
      doc: 'Create the users table\n\nRevision ID: x1',
    })
  })

  it('reports the right line in a CRLF file', () => {
    const error = failure(
      "/** x */\r\nexport const revision = 'x1'\r\n\r\nexport const transactional = 1\r\n",
    )
    expect(error.message).toBe(
      `${FILE}:4: \`transactional\` must be true or false, so that it can be read without running the file`,
    )
  })

  it('reads a file that starts with a byte-order mark', () => {
    expect(read("\uFEFF/** With a BOM */\nexport const revision = 'x1'\n")).toEqual({
      ...DEFAULTS,
      revision: 'x1',
      message: 'With a BOM',
      doc: 'With a BOM',
    })
  })

  it('reads non-ASCII identifiers, strings and comments', () => {
    const text = [
      '/** Ajoute la table « élève » ✓ */',
      'const élève = "naïve"',
      'const 名前 = { 値: `テーブル` }',
      "export const revision = 'x1'",
      "export const branchLabels = ['größe', '日本']",
    ].join('\n')
    expect(read(text)).toEqual({
      ...DEFAULTS,
      revision: 'x1',
      branchLabels: ['größe', '日本'],
      message: 'Ajoute la table « élève » ✓',
      doc: 'Ajoute la table « élève » ✓',
    })
  })
})

describe('readScriptHeader doc comment', () => {
  it.each([
    ['no doc comment', "export const revision = 'x1'", ''],
    ['a plain block comment', "/* not a doc comment */\nexport const revision = 'x1'", ''],
    [
      'a doc comment after the imports',
      "import type { Operations } from 'aludel'\n/** too late */\nexport const revision = 'x1'",
      '',
    ],
    [
      'blank lines before the message',
      "/**\n *\n *   Indented message  \n */\nexport const revision = 'x1'",
      'Indented message',
    ],
    ['a one-line doc comment', "/** One line */\nexport const revision = 'x1'", 'One line'],
  ])('takes the message from %s', (_, text, message) => {
    expect(read(text).message).toBe(message)
  })
})

describe('readScriptHeader does not lose track of brace depth', () => {
  const withBody = (body: string) =>
    `export async function upgrade(op) {\n${body}\n}\nexport const revision = 'x1'\n`

  it.each([
    [
      'regex literals holding braces and quotes',
      '  const r = /[{}\'"`]/g\n  const s = /}/\n  return r',
    ],
    ['a regex after return', "  return /{/.test('{')"],
    ['a regex holding an escaped slash', "  return 'a/b'.split(/\\//).join('{')"],
    ['a regex with a class holding a slash', "  return /[/{]/.exec('{')"],
    ['division, not a regex', "  const half = total / 2 / count\n  const s = '{'\n  return half"],
    [
      'a division after a closing parenthesis',
      "  const x = (a + b) / 2; const y = '}'\n  return x",
    ],
    ['a template with a substitution holding an object', '  return `${ { a: 1 }.a } }`'],
    ['a template with a substitution holding a closing brace string', "  return `${'}'}{`"],
    ['nested templates', '  return `a ${`b ${c} }`} {`'],
    ['a template that ends right after a substitution', "  return `${a}` + '{'"],
    ['a template holding an export', "  return `\nexport const revision = 'zzz'\n`"],
    ['a string holding an export', '  return "export const revision = \'zzz\'"'],
    [
      'a comment holding braces and an export',
      "  // }}} export const revision = 'zzz'\n  /* { */ return 1",
    ],
    ['a CRLF line continuation in a string', "  return '{\\\r\n'"],
  ])('skips %s', (_, body) => {
    expect(read(withBody(body))).toEqual({ ...DEFAULTS, revision: 'x1' })
  })

  it('ignores `export const` inside a function body', () => {
    expect(read(withBody("  export const revision = 'inner'"))).toEqual({
      ...DEFAULTS,
      revision: 'x1',
    })
  })

  it('ignores `export const` inside an object or a module block', () => {
    const text = [
      "const o = { export: 1, inner: { export const revision = 'obj' } }",
      "declare module 'x' {",
      "  export const revision = 'ambient'",
      '}',
      "export const revision = 'x1'",
    ].join('\n')
    expect(read(text)).toEqual({ ...DEFAULTS, revision: 'x1' })
  })

  it.each([
    ['x.export', "x.export\nexport const revision = 'x1'"],
    ['x?.export', "x?.export\nexport const revision = 'x1'"],
    ['x. export const', "x.\n  export\nconst revision = 'q'\nexport const revision = 'x1'"],
  ])('does not take the property %s for an export', (_, text) => {
    expect(read(text)).toEqual({ ...DEFAULTS, revision: 'x1' })
  })
})

describe('readScriptHeader errors', () => {
  it('names the file, the line and the code', () => {
    const error = failure('/** x */\n\nexport const revision = makeId()\n')
    expect(error).toMatchObject({
      code: 'BAD_SCRIPT_HEADER',
      category: 'usage',
      file: FILE,
      line: 3,
    })
  })

  it.each([
    [
      'a missing revision',
      'export const downRevision = null\nexport function upgrade() {}',
      `${FILE}: it has no \`export const revision = '...'\`; add one, or rename the file with a leading '_' if it is not a migration`,
    ],
    [
      'a revision that is not exported',
      "const revision = 'x1'",
      `${FILE}: it has no \`export const revision = '...'\`; add one, or rename the file with a leading '_' if it is not a migration`,
    ],
    [
      'a revision declared with let',
      "export let revision = 'x1'",
      `${FILE}:1: \`revision\` must be declared with \`export const\`, not \`let\``,
    ],
    [
      'a call as initializer',
      'export const revision = makeId()',
      `${FILE}:1: \`revision\` must be a non-empty string literal such as '3f2a1b9c0d4e', so that it can be read without running the file`,
    ],
    [
      'a variable as initializer',
      "const ID = 'x1'\nexport const revision = ID",
      `${FILE}:2: \`revision\` must be a non-empty string literal such as '3f2a1b9c0d4e', so that it can be read without running the file`,
    ],
    [
      'a concatenation',
      "export const revision = 'x' + '1'",
      `${FILE}:1: \`revision\` must be a non-empty string literal such as '3f2a1b9c0d4e', so that it can be read without running the file`,
    ],
    [
      'a number',
      "export const revision = 'x1'\nexport const downRevision = 42",
      `${FILE}:2: \`downRevision\` must be a string literal, a list of string literals, or null, so that it can be read without running the file`,
    ],
    [
      'no initializer',
      'export const revision: string',
      `${FILE}:1: \`revision\` has no initializer; it must be a non-empty string literal such as '3f2a1b9c0d4e'`,
    ],
    [
      'a template with a substitution',
      "export const revision = 'x1'\nexport const downRevision = `${PREFIX}01`",
      `${FILE}:2: \`downRevision\` is a template literal with a \${...} substitution; write the value out in full, so that it can be read without running the file`,
    ],
    [
      'a duplicate export',
      "export const revision = 'x1'\nexport const downRevision = null\nexport const revision = 'x2'",
      `${FILE}:3: \`revision\` is exported twice (first on line 1); keep one`,
    ],
    [
      'a string cut by the end of the line',
      "/** x */\nexport const revision = 'x1\nexport const downRevision = null",
      `${FILE}:2: unterminated string literal; close it with '`,
    ],
    [
      'a string cut by the end of the file',
      'export const revision = "x1',
      `${FILE}:1: unterminated string literal; close it with "`,
    ],
    [
      'an unterminated comment',
      "export const revision = 'x1'\n/* note\nexport const downRevision = null",
      `${FILE}:2: unterminated comment; close it with */`,
    ],
    [
      'an unterminated template in a function body',
      "export function upgrade() {\n  return `SELECT\n}\nexport const revision = 'x1'",
      `${FILE}:2: unterminated template literal; close it with \``,
    ],
    [
      'a list holding a number',
      "export const revision = 'x1'\nexport const dependsOn = ['a1', 2]",
      `${FILE}:2: \`dependsOn\` must list string literals only`,
    ],
    [
      'a list holding a variable',
      "export const revision = 'x1'\nexport const branchLabels = ['a1', LABEL]",
      `${FILE}:2: \`branchLabels\` must list string literals only`,
    ],
    [
      'a list holding a list',
      "export const revision = 'x1'\nexport const downRevision = [['a1']]",
      `${FILE}:2: \`downRevision\` must list string literals only`,
    ],
    [
      'a list missing a comma',
      "export const revision = 'x1'\nexport const dependsOn = ['a1' 'b2']",
      `${FILE}:2: \`dependsOn\`: expected ',' or ']'`,
    ],
    [
      "transactional = 'yes'",
      "export const revision = 'x1'\n\nexport const transactional = 'yes'",
      `${FILE}:3: \`transactional\` must be true or false, not 'yes'`,
    ],
    [
      'an empty revision',
      "export const revision = ''",
      `${FILE}:1: \`revision\` must be a non-empty string literal such as '3f2a1b9c0d4e', not an empty string`,
    ],
    [
      'a null revision',
      'export const revision = null',
      `${FILE}:1: \`revision\` must be a non-empty string literal such as '3f2a1b9c0d4e', not null`,
    ],
    [
      'downRevision = true',
      "export const revision = 'x1'\nexport const downRevision = true",
      `${FILE}:2: \`downRevision\` must be a string literal, a list of string literals, or null, not true`,
    ],
    [
      'branchLabels = false',
      "export const revision = 'x1'\nexport const branchLabels = false",
      `${FILE}:2: \`branchLabels\` must be a list of string literals, not false`,
    ],
    [
      'a malformed hex escape',
      "export const revision = 'x\\xZZ'",
      `${FILE}:1: malformed \\x escape in a string literal`,
    ],
    [
      'a malformed unicode escape',
      "export const revision = 'x\\u{110000}'",
      `${FILE}:1: malformed \\u{...} escape in a string literal`,
    ],
  ])('rejects %s', (_, text, message) => {
    expect(failure(text).message).toBe(message)
  })
})

describe('readScriptHeader comments', () => {
  it('reads an export right after a comment that ends with a period', () => {
    const header = readScriptHeader(
      [
        "export const revision = 'ab12'",
        '// CONCURRENTLY cannot run in a transaction: this one runs without.',
        'export const transactional = false',
        '/* also a block comment. */',
        "export const branchLabels = ['x']",
      ].join('\n'),
      'ab12_x.ts',
    )
    expect(header.transactional).toBe(false)
    expect(header.branchLabels).toEqual(['x'])
  })

  it('still ignores a property named export', () => {
    const header = readScriptHeader(
      "export const revision = 'ab12'\nconst o = {}\no.\nexport\nconst transactional = false\n",
      'ab12_x.ts',
    )
    expect(header.transactional).toBe(true)
  })
})
