/** What goes into a new migration file. */
export interface ScriptTemplateInput {
  readonly revision: string
  readonly downRevisions: readonly string[]
  readonly branchLabels: readonly string[]
  readonly dependsOn: readonly string[]
  readonly message: string
  readonly date: Date
  readonly transactional: boolean
  /** Indented statements for `upgrade`; a placeholder comment when absent. */
  readonly upgradeBody: string | undefined
  readonly downgradeBody: string | undefined
  readonly imports: readonly string[]
}

/**
 * Renders a new migration module. The header exports are plain literals so that aludel can read
 * the revision graph without running any file.
 */
export function renderScript(input: ScriptTemplateInput): string {
  const down =
    input.downRevisions.length === 0
      ? 'null'
      : input.downRevisions.length === 1
        ? quote(input.downRevisions[0]!)
        : list(input.downRevisions)
  const revises = input.downRevisions.length === 0 ? '<base>' : input.downRevisions.join(', ')
  const upgradeBody = input.upgradeBody ?? "  // await op.execute('...')"
  const downgradeBody =
    input.downgradeBody ??
    "  // undo what upgrade() does, in reverse order; if it cannot be undone, say so and why:\n  // throw new Error('irreversible: the dropped rows are gone')"
  // A placeholder is there to be replaced by code that uses `op`, so it always gets `op`.
  const upgradeParameter = input.upgradeBody === undefined ? 'op' : parameter(upgradeBody)
  const downgradeParameter = input.downgradeBody === undefined ? 'op' : parameter(downgradeBody)
  const docLines = input.message
    .replace(/\*\//g, '*\\/')
    .split(/\r?\n/)
    .map((line) => ` * ${line}`.trimEnd())
  const lines = [
    '/**',
    ...docLines,
    ' *',
    ` * Revision ID: ${input.revision}`,
    ` * Revises: ${revises}`,
    ` * Create Date: ${input.date.toISOString()}`,
    ' */',
    "import type { Operations } from 'aludel'",
    ...input.imports,
    '',
    `export const revision = ${quote(input.revision)}`,
    `export const downRevision: string | readonly string[] | null = ${down}`,
    `export const branchLabels: readonly string[] = ${list(input.branchLabels)}`,
    `export const dependsOn: readonly string[] = ${list(input.dependsOn)}`,
    `export const transactional = ${input.transactional}`,
    '',
    `export async function upgrade(${upgradeParameter}: Operations): Promise<void> {`,
    upgradeBody,
    '}',
    '',
    `export async function downgrade(${downgradeParameter}: Operations): Promise<void> {`,
    downgradeBody,
    '}',
    '',
  ]
  return lines.join('\n')
}

/**
 * The file-name part made from a message: lower case, runs of other characters as `_`, at most 40
 * characters, cut at a word boundary.
 */
export function slugify(message: string): string {
  const slug = message
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  if (slug.length <= 40) return slug
  const cut = slug.slice(0, 40)
  const boundary = cut.lastIndexOf('_')
  return boundary > 20 ? cut.slice(0, boundary) : cut
}

/** `op`, or `_op` when the body never mentions it (a merge): linters flag unused parameters. */
function parameter(body: string): string {
  return /\bop\b/.test(body) ? 'op' : '_op'
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

function list(items: readonly string[]): string {
  return `[${items.map(quote).join(', ')}]`
}
