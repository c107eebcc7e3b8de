import { compare } from './to-column-def.ts'

/**
 * Orders named objects as the model DSL and introspection list them: the default schema
 * (`undefined`) first, then by schema and name, in code-point order.
 */
export function byQualifiedName(
  a: { readonly schema: string | undefined; readonly name: string },
  b: { readonly schema: string | undefined; readonly name: string },
): number {
  return compare(a.schema ?? '', b.schema ?? '') || compare(a.name, b.name)
}
