/** Writes docs/lint-rules.md from the rule catalog (`node scripts/lint-rules-doc.ts`). */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rulesDocument } from '../src/lint/rules-document.ts'

writeFileSync(join(import.meta.dirname, '..', 'docs', 'lint-rules.md'), rulesDocument())
