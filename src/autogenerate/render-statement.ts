import { call, concat, type Doc, object } from './render-layout.ts'
import { renderString } from './render-value.ts'

/** One option of a facade call: its key, and its value (`undefined`: left out). */
export type Option = readonly [key: string, value: Doc | undefined]

/**
 * `await op.name(args, { options })`, the options object only when one is given (or always, with
 * `keepEmpty`).
 */
export function statement(
  name: string,
  args: readonly Doc[],
  options: readonly Option[],
  keepEmpty = false,
): Doc {
  const given = options.filter(
    (option): option is readonly [string, Doc] => option[1] !== undefined,
  )
  const all =
    given.length === 0 && !keepEmpty ? args : [...args, object(given.map(([k, v]) => [k, v]))]
  return concat('await ', call(`op.${name}`, all))
}

/** A boolean option: `true`, or left out when false (every flag defaults to false). */
export function flag(value: boolean): Doc | undefined {
  return value ? 'true' : undefined
}

/** The `schema` option, left out for the default schema. */
export function schemaOption(schema: string | undefined): Option {
  return ['schema', schema === undefined ? undefined : renderString(schema)]
}
