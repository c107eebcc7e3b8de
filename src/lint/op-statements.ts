import type { CompiledStatement, DdlCompiler } from '../dialect/dialect.ts'
import type { MigrationOp } from '../operations/migration-op.ts'
import { parseSql } from './parse-sql.ts'

/** One statement an operation runs, and its parse tree when lint could parse it. */
export interface OpStatement extends CompiledStatement {
  readonly ast: Readonly<Record<string, unknown>> | undefined
  /** 0-based line within the op's SQL text (a script given to `op.execute`). */
  readonly lineOffset: number
  /** Why the statement did not parse, when it did not. */
  readonly syntaxError: string | undefined
}

/**
 * The statements an operation runs, one by one, exactly as the online executor compiles them. A
 * parameterless `op.execute` script is split by the parser into its statements, so that each can
 * be checked (and traced) on its own; one that does not parse is kept whole, with the reason.
 */
export function opStatements(op: MigrationOp, ddl: DdlCompiler): readonly OpStatement[] {
  const compiled = ddl.compile(op)
  if (op.kind === 'execute' && op.params.length === 0) {
    try {
      return parseSql(op.sql).map((s) => ({
        sql: s.sql,
        params: [],
        ast: s.ast,
        lineOffset: s.lineOffset,
        syntaxError: undefined,
      }))
    } catch (error) {
      return [
        {
          sql: op.sql,
          params: [],
          ast: undefined,
          lineOffset: 0,
          syntaxError: String((error as Error).message),
        },
      ]
    }
  }
  return compiled.map((statement) => {
    const text = ddl.inlineParams(statement.sql, statement.params)
    try {
      const [parsed] = parseSql(text)
      return { ...statement, ast: parsed?.ast, lineOffset: 0, syntaxError: undefined }
    } catch (error) {
      return {
        ...statement,
        ast: undefined,
        lineOffset: 0,
        syntaxError: String((error as Error).message),
      }
    }
  })
}
