/**
 * The command that brings a database to the migrations' heads, as advice quotes it: `upgrade
 * heads` when the migrations have more than one head (`upgrade head` would refuse).
 */
export function upgradeCommand(heads: readonly string[]): string {
  return `aludel upgrade ${heads.length > 1 ? 'heads' : 'head'}`
}
