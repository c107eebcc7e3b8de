import { execFileSync } from 'node:child_process'

/**
 * `pg_dump --schema-only` of the database at `url`, without aludel's own tables and the header
 * lines that vary from one database to the next: two databases built differently dump alike
 * exactly when their schemas are the same.
 */
export function schemaDump(url: string): string {
  const dump = execFileSync(
    'pg_dump',
    [
      '--schema-only',
      '--no-owner',
      '--no-privileges',
      '--exclude-table=aludel_version*',
      '-d',
      url,
    ],
    { encoding: 'utf8' },
  )
  return dump
    .split('\n')
    .filter(
      (line) =>
        !line.startsWith('-- Dumped') &&
        !line.startsWith('\\restrict') &&
        !line.startsWith('\\unrestrict'),
    )
    .join('\n')
}
