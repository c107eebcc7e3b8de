import { redactUrl } from '../util/redact-url.ts'

/**
 * Where the CLI writes. Everything passes through {@link redactUrl}, the last line of defence
 * against printing a database password.
 */
export interface Terminal {
  out(text: string): void
  err(text: string): void
  readonly isTTY: boolean
  /** True when a person can answer questions (stdin and stdout are terminals). */
  readonly interactive: boolean
  /** Asks a question and returns the line typed. */
  ask(question: string): Promise<string>
}

/** The process's own stdout and stderr. */
export function processTerminal(): Terminal {
  return {
    out: (text) => process.stdout.write(redactUrl(text)),
    err: (text) => process.stderr.write(redactUrl(text)),
    isTTY: process.stdout.isTTY === true,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    ask: async (question) => {
      const readline = await import('node:readline/promises')
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout })
      try {
        return await rl.question(question)
      } finally {
        rl.close()
      }
    },
  }
}
