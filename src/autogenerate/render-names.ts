import { isIdentifierName } from './render-value.ts'

/**
 * Names of things in generated code: camelCase property keys and constants made from database
 * names, kept unique and clear of reserved words and of the DSL functions the module imports.
 */

/** Words that cannot name a variable in a module (strict mode), plus globals code must not hide. */
const RESERVED: ReadonlySet<string> = new Set(
  `await break case catch class const continue debugger default delete do else enum export extends
false finally for function if implements import in instanceof interface let new null package
private protected public return static super switch this throw true try typeof var void while
with yield arguments eval undefined NaN Infinity Object Array Date String Number Boolean Symbol
Promise Error Math JSON Uint8Array globalThis`.split(/\s+/),
)

/**
 * Every name the DSL exports that generated code may import; constants never take one, so an
 * import never clashes with a table or enum called `text` or `table`.
 */
export const DSL_NAMES: ReadonlySet<string> = new Set([
  'aggregate',
  'bigint',
  'bigserial',
  'boolean',
  'bytea',
  'char',
  'check',
  'ColumnTarget',
  'compositeType',
  'customType',
  'date',
  'dbFunction',
  'dbSchema',
  'defineSchema',
  'domain',
  'doublePrecision',
  'enumType',
  'eventTrigger',
  'exclude',
  'extension',
  'foreignKey',
  'index',
  'indexElement',
  'integer',
  'interval',
  'json',
  'jsonb',
  'materializedView',
  'nextval',
  'numeric',
  'Operations',
  'partition',
  'partitionBy',
  'primaryKey',
  'procedure',
  'real',
  'sequence',
  'serial',
  'smallint',
  'sql',
  'table',
  'text',
  'time',
  'timestamp',
  'timestamptz',
  'trigger',
  'unique',
  'uniqueIndex',
  'uuid',
  'varchar',
  'view',
])

/**
 * The camelCase form of a database name: `hashed_password` → `hashedPassword`, `User ID` →
 * `userID`; an all-capital first word is lowered whole (`ID_card` → `idCard`). Returns `''`
 * when nothing usable remains (a name of punctuation only).
 */
export function camelCase(name: string): string {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '')
  return words
    .map((word, i) => {
      if (i === 0) {
        return word === word.toUpperCase() ? word.toLowerCase() : lowerFirst(word)
      }
      return word.charAt(0).toUpperCase() + word.slice(1)
    })
    .join('')
}

/** True when `name` can be declared as a variable (an identifier that is not reserved). */
export function isBindingIdentifier(name: string): boolean {
  return isIdentifierName(name) && !RESERVED.has(name)
}

/**
 * Hands out unique variable names: the first candidate that is a usable identifier and not yet
 * taken, else the last candidate with a number.
 *
 * @example
 * const pool = new IdentifierPool(DSL_NAMES)
 * pool.claim(['text', 'textTable']) // 'textTable'
 */
export class IdentifierPool {
  readonly #taken: Set<string>

  constructor(taken: Iterable<string> = []) {
    this.#taken = new Set(taken)
  }

  /** Takes the first free candidate (camelCased beforehand by the caller). */
  claim(candidates: readonly string[]): string {
    const usable = candidates.map(asIdentifier)
    for (const candidate of usable) {
      if (!this.#taken.has(candidate) && isBindingIdentifier(candidate)) {
        this.#taken.add(candidate)
        return candidate
      }
    }
    const base = usable[usable.length - 1] ?? 'value'
    for (let n = 2; ; n++) {
      const candidate = `${base}${n}`
      if (!this.#taken.has(candidate)) {
        this.#taken.add(candidate)
        return candidate
      }
    }
  }
}

/** Makes a camelCased word an identifier: a leading digit gets `_`, nothing becomes `value`. */
function asIdentifier(word: string): string {
  if (word === '') return 'value'
  return /^\p{N}/u.test(word) ? `_${word}` : word
}

function lowerFirst(word: string): string {
  return word.charAt(0).toLowerCase() + word.slice(1)
}
