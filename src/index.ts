/**
 * aludel: schema migrations for TypeScript. Every command of the `aludel` CLI is available here as
 * a typed async function that throws typed errors and never prints.
 */
export { AludelError, type ErrorCategory, isAludelError, UsageError } from './aludel-error.ts'
export {
  NothingToGenerateError,
  RenameQuestionsError,
} from './autogenerate/autogenerate-errors.ts'
export type {
  CompareResult,
  ManualStep,
  RenameAnswers,
  RenameQuestion,
  SchemaChange,
} from './autogenerate/compare-result.ts'
export { compareSchemas } from './autogenerate/compare-schemas.ts'
export {
  type DetectedChange,
  describeOp,
  describeResult,
  detectedChanges,
} from './autogenerate/describe-change.ts'
export { renderMigration } from './autogenerate/render-migration.ts'
export { renderModels } from './autogenerate/render-models.ts'
export {
  assertAtHead,
  currentRevision,
  NotAtHeadError,
  type NotAtHeadReason,
  type RevisionStatus,
} from './commands/assert-at-head.ts'
export { type CheckResult, checkModels } from './commands/check.ts'
export type { CommandOptions, ConfigInput } from './commands/command-context.ts'
export { type CurrentResult, current, type InterruptedStep } from './commands/current.ts'
export { downgrade } from './commands/downgrade.ts'
export {
  type EachOutcome,
  type FleetOptions,
  type FleetResult,
  type FleetShared,
  type FleetStep,
  runEach,
  runFleet,
  type SelectedTarget,
  selectTargets,
  type TargetOutcome,
} from './commands/fleet.ts'
export { type BranchPoint, branches, heads, show } from './commands/graph-queries.ts'
export { type HistoryEntry, type HistoryOptions, history } from './commands/history.ts'
export { type InitResult, init } from './commands/init.ts'
export {
  type LintedMigration,
  type LintOptions,
  type LintResult,
  type LintSelection,
  lint,
  lintFails,
} from './commands/lint.ts'
export { loadModels } from './commands/load-models.ts'
export { downgradeSql, upgradeSql } from './commands/offline-sql.ts'
export { type PullOptions, type PullResult, pull } from './commands/pull.ts'
export { rehash } from './commands/rehash.ts'
export {
  type MergeOptions,
  merge,
  planRevision,
  type RevisionOptions,
  type RevisionPlan,
  type RevisionResult,
  revision,
} from './commands/revision.ts'
export type { RevisionInfo } from './commands/revision-info.ts'
export { type StampOptions, stamp, stampSql } from './commands/stamp.ts'
export {
  type MigrationCheck,
  type MigrationTestOptions,
  type MigrationTestResult,
  testMigrations,
} from './commands/test-migrations.ts'
export { upgrade } from './commands/upgrade.ts'
export {
  type AludelConfig,
  defineConfig,
  type FleetTarget,
  type LockRetryConfig,
} from './config/aludel-config.ts'
export { ConfigError } from './config/config-errors.ts'
export { findConfigFile, loadConfig } from './config/load-config.ts'
export { loadEnv } from './config/load-env.ts'
export { type ResolvedConfig, resolveConfig } from './config/resolved-config.ts'
export type {
  BorrowedSession,
  QueryableSession,
  SqliteSession,
} from './dialect/borrowed-session.ts'
export type {
  ColumnGenerator,
  ColumnRef,
  Comparator,
  EnumColumn,
  HintSql,
  SqlName,
} from './dialect/comparator.ts'
export type { Connection, Driver, QueryResult } from './dialect/connection.ts'
export type {
  IntrospectOptions,
  Introspector,
  InvalidIndex,
  LockHolder,
  ScratchDatabase,
  SessionActivity,
} from './dialect/dialect.ts'
export {
  ConnectionError,
  DatabaseError,
  DatabaseUrlError,
  MissingDriverError,
  TransactionPoolerError,
} from './dialect/dialect-errors.ts'
export { InvalidOperationError } from './dialect/invalid-operation-error.ts'
export { LockTimeoutError } from './dialect/lock-timeout-error.ts'
export {
  lockPgliteFolder,
  type PgliteFolderLock,
} from './dialect/postgres/pglite-folder-lock.ts'
export { postgresComparator } from './dialect/postgres/postgres-comparator.ts'
export type { FindingClaims, LintFinding, Severity } from './lint/lint-types.ts'
export type {
  MigrationTrace,
  RelationSize,
  StatementTrace,
  TracedLock,
} from './lint/trace-types.ts'
export type * from './operations/migration-op.ts'
export {
  ConcurrentlyInTransactionError,
  IrreversibleOperationError,
  OfflineQueryError,
} from './operations/operation-errors.ts'
export {
  type AlterColumnOptions,
  type CreateForeignKeyOptions,
  type CreateIndexOptions,
  type Engine,
  type InSchema,
  Operations,
  type OperationsContext,
  type SqlText,
} from './operations/operations.ts'
export { reverse, reverseAll } from './operations/reverse.ts'
export type {
  AlterDomainOptions,
  AlterSequenceOptions,
  DropObjectOptions,
} from './operations/schema-object-ops.ts'
export type { RunResult, StampResult, StepResult } from './runtime/migration-runner.ts'
export type { RunEvent, RunEventListener, StepInfo } from './runtime/run-events.ts'
export {
  ChecksumMismatchError,
  type EditedMigration,
  HistoryRewrittenError,
  LockLostError,
  MigrationExitError,
  MigrationFailedError,
  MigrationModuleError,
  ResumeConflictError,
  StaleWorkSessionError,
  type UnrecordedRevision,
  VersionTableConflictError,
} from './runtime/runtime-errors.ts'
export * from './schema/index.ts'
export type * from './schema/schema-snapshot.ts'
export { parseTarget, type Target } from './script/parse-target.ts'
export type { ScriptHeader } from './script/read-script-header.ts'
export {
  type HeadChange,
  type MigrationStep,
  type ResolvedTarget,
  RevisionMap,
  type RevisionNode,
} from './script/revision-map.ts'
export type { Script } from './script/script-directory.ts'
export {
  AmbiguousRevisionError,
  DuplicateBranchLabelError,
  DuplicateRevisionError,
  InvalidTargetError,
  MissingRevisionError,
  MultipleHeadsError,
  RevisionCycleError,
  RevisionNotFoundError,
  ScriptDirectoryError,
  ScriptHeaderError,
  UnknownDatabaseRevisionError,
} from './script/script-errors.ts'
