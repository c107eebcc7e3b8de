/**
 * Where the CLI writes. Messages (`out`, `err`) and data (`data`) are kept apart: the CLI hides
 * the known secrets in messages (see `secret-mask.ts`), and writes data — a SQL script, a
 * generated models module — exactly as given, since rewriting it would change what a DBA applies.
 */
export interface Terminal {
  /** A message for stdout: progress, results, JSON. */
  out(text: string): void
  /** A message for stderr: errors and warnings. */
  err(text: string): void
  /** Data for stdout, written unchanged. */
  data(text: string): void
  readonly isTTY: boolean
  /** True when a person can answer questions (stdin and stdout are terminals). */
  readonly interactive: boolean
  /** Asks a question and returns the line typed. */
  ask(question: string): Promise<string>
}

/** The process's own stdout and stderr, written as given. */
export function processTerminal(): Terminal {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    data: (text) => process.stdout.write(text),
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
