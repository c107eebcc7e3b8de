import { AludelError } from '../aludel-error.ts'

/** The configuration is missing, cannot be loaded, or holds a bad value. */
export class ConfigError extends AludelError {
  readonly code: string
  readonly category = 'usage' as const

  constructor(message: string, code = 'BAD_CONFIG', options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
