/**
 * The text of an aludel migration whose steps are plain SQL: what the standalone scripts
 * (noop-upgrade.ts, fleet-upgrade.ts) generate by the thousand.
 */
export function sqlMigration(spec: {
  readonly revision: string
  readonly parent: string | null
  readonly message: string
  readonly up: string
  readonly down: string
}): string {
  return `/** ${spec.message} */
import type { Operations } from 'aludel'

export const revision = '${spec.revision}'
export const downRevision: string | readonly string[] | null = ${spec.parent === null ? 'null' : `'${spec.parent}'`}
export const branchLabels: readonly string[] = []
export const dependsOn: readonly string[] = []
export const transactional = true

export async function upgrade(op: Operations): Promise<void> {
  await op.execute(${JSON.stringify(spec.up)})
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute(${JSON.stringify(spec.down)})
}
`
}
