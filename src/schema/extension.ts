import { normalizeSchema } from './column-builder.ts'
import { checkExplicitName } from './naming-convention.ts'
import { SchemaModelError } from './schema-model-error.ts'
import type { ExtensionDef } from './schema-snapshot.ts'

/** The key under which an extension keeps its plain {@link ExtensionDef}; marks extensions. */
export const EXTENSION_DEF: unique symbol = Symbol.for('aludel.extensionDef')

/** Options of `extension()`. */
export interface ExtensionOptions {
  /** `SCHEMA`: where its objects are created; default: the default schema (`public`). */
  readonly schema?: string
  /** `VERSION`; default: the extension's default version, and any installed version matches. */
  readonly version?: string
}

/** An extension declared with {@link extension}. */
export interface Extension<TName extends string = string> {
  readonly name: TName
  /** Undefined for the default (`public`) schema. */
  readonly schema: string | undefined
  readonly version: string | undefined
  /** The extension as plain data. */
  readonly [EXTENSION_DEF]: ExtensionDef
}

/**
 * Declares an extension the schema needs (`CREATE EXTENSION IF NOT EXISTS`): migrations create it
 * before the types, tables and indexes that use what it brings. Its own objects (functions,
 * types, operator classes) are never compared nor pulled. The extension must be available on the
 * server (`SELECT name FROM pg_available_extensions`).
 *
 * @example
 * export const trgm = extension('pg_trgm')
 * export const crypto = extension('pgcrypto', { schema: 'extensions', version: '1.3' })
 */
export function extension<const N extends string>(
  name: N,
  options: ExtensionOptions = {},
): Extension<N> {
  checkExplicitName('extension name', name)
  if (options.version !== undefined && options.version.trim() === '') {
    throw new SchemaModelError(
      'INVALID_ARGUMENT',
      `extension ${name}: an empty version; leave it out for the default version`,
    )
  }
  const schema = normalizeSchema(options.schema)
  const def: ExtensionDef = Object.freeze({ name, schema, version: options.version })
  return Object.freeze({ name, schema, version: options.version, [EXTENSION_DEF]: def })
}

/** True for a value made by `extension()`. */
export function isExtension(value: unknown): value is Extension {
  return typeof value === 'object' && value !== null && EXTENSION_DEF in value
}
