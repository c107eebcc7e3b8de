import { AludelError } from '../aludel-error.ts'
import { type RenameQuestion, whatRenameKeeps } from './compare-result.ts'

/**
 * Autogenerate found tables or columns that may have been renamed and nobody could be asked (no
 * terminal). The questions are listed with the flags that answer them.
 */
export class RenameQuestionsError extends AludelError {
  readonly code = 'RENAME_QUESTIONS'
  readonly category = 'usage' as const

  constructor(readonly questions: readonly RenameQuestion[]) {
    const list = questions.map((q) => `${q.kind} ${q.fromKey} -> ${q.toKey}`).join('; ')
    const first = questions[0]!
    super(
      `${questions.length === 1 ? 'one change looks' : `${questions.length} changes look`} like a rename (${list}); answer each with --rename ${first.fromKey}:${first.toKey} (rename, keeps ${whatRenameKeeps(first.kind)}) or --no-rename ${first.fromKey}:${first.toKey} (drop and add), or with --renames FILE`,
    )
  }
}

/** Autogenerate found nothing to do and was not asked for an empty revision. */
export class NothingToGenerateError extends AludelError {
  readonly code = 'NO_CHANGES'
  readonly category = 'failure' as const

  constructor() {
    super(
      'the models and the database agree: there is nothing to migrate; pass --allow-empty to write an empty revision anyway',
    )
  }
}
