/**
 * Cross-copy class identity. A migration imports the DSL from the installed `aludel` package, while
 * the code that runs it may be another copy of the same classes (a test importing the sources, a
 * tool bundling its own aludel). `instanceof` against a class of one copy fails for objects of the
 * other, so each DSL class brands its instances with a registry symbol and answers `instanceof`
 * by the brand (`static [Symbol.hasInstance]`).
 */
export function brand(name: string): {
  readonly symbol: symbol
  readonly has: (value: unknown) => boolean
} {
  const symbol = Symbol.for(`aludel.${name}`)
  return {
    symbol,
    has: (value) =>
      typeof value === 'object' &&
      value !== null &&
      (value as { readonly [key: symbol]: unknown })[symbol] === true,
  }
}
