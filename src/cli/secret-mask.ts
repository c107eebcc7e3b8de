import { databaseUrlSecrets } from '../dialect/database-url.ts'
import { redactSecrets } from '../util/redact-url.ts'
import type { Terminal } from './terminal.ts'

/** Options whose value is a database URL. */
const URL_OPTIONS = ['--url', '--scratch-url']

/**
 * The credentials aludel was given — the password of the configured URL, of `--url`,
 * `--scratch-url` and `DATABASE_URL`, and `PGPASSWORD` — so that no message shows them. Only
 * these are hidden: a rule such as "anything shaped like `user:secret@host`" would also rewrite
 * values in SQL scripts and in messages that quote data.
 */
export class SecretMask {
  private readonly secrets = new Set<string>()

  /** Adds the secrets of a database URL or libpq `key=value` string. */
  addUrl(text: string | undefined): void {
    for (const secret of databaseUrlSecrets(text)) this.secrets.add(secret)
  }

  /** Adds `DATABASE_URL`'s secrets and `PGPASSWORD` (node-postgres uses it when a URL has none). */
  addEnvironment(env: NodeJS.ProcessEnv): void {
    this.addUrl(env.DATABASE_URL)
    if (env.PGPASSWORD) this.secrets.add(env.PGPASSWORD)
  }

  /** Adds the URLs given on the command line (`--url URL`, `--url=URL`, `--scratch-url`). */
  addArguments(argv: readonly string[]): void {
    for (const [i, arg] of argv.entries()) {
      if (URL_OPTIONS.includes(arg)) this.addUrl(argv[i + 1])
      const option = URL_OPTIONS.find((o) => arg.startsWith(`${o}=`))
      if (option !== undefined) this.addUrl(arg.slice(option.length + 1))
    }
  }

  /** The text with every known secret replaced by `***`. */
  hide(text: string): string {
    return this.secrets.size === 0 ? text : redactSecrets(text, this.secrets)
  }
}

/** A terminal whose messages have the known secrets hidden; data passes unchanged. */
export function maskedTerminal(terminal: Terminal, mask: SecretMask): Terminal {
  return {
    out: (text) => terminal.out(mask.hide(text)),
    err: (text) => terminal.err(mask.hide(text)),
    data: (text) => terminal.data(text),
    isTTY: terminal.isTTY,
    interactive: terminal.interactive,
    ask: (question) => terminal.ask(mask.hide(question)),
  }
}
