import { randomBytes } from 'node:crypto'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join, sep } from 'node:path'
import { fsProblem } from '../util/fs-problem.ts'
import { sha256 } from '../util/sha256.ts'
import { LONG_ECHO_LIMIT, shortenInput } from '../util/shorten-input.ts'
import { readScriptHeader, type ScriptHeader } from './read-script-header.ts'
import { renderScript, slugify } from './render-script.ts'
import { RevisionMap, type RevisionNode } from './revision-map.ts'
import {
  checksumDigest,
  type FolderSummary,
  folderFingerprint,
  type ListedFile,
  ScriptCache,
} from './script-cache.ts'
import {
  InvalidTargetError,
  MultipleHeadsError,
  RevisionCycleError,
  ScriptDirectoryError,
} from './script-errors.ts'

/** A migration file: its header, where it lives, and the checksum of its text. */
export interface Script extends ScriptHeader, RevisionNode {
  /** Absolute path of the file. */
  readonly path: string
  /** File name within the migrations folder. */
  readonly source: string
  /** SHA-256 of the file's text (line endings normalized). */
  readonly checksum: string
}

/** Options for writing a new migration file (`aludel revision`, `aludel merge`). */
export interface NewRevisionOptions {
  readonly message: string
  /**
   * What the new revision builds on: `head` (default), `base` for a new independent root, a
   * revision, `LABEL@head`, or several revisions for a merge.
   */
  readonly head?: string | readonly string[]
  /** Allow building on a revision that is not a head (starts a branch mid-history). */
  readonly splice?: boolean
  readonly branchLabels?: readonly string[]
  readonly dependsOn?: readonly string[]
  /** Use this id instead of a random one. */
  readonly revisionId?: string
  readonly transactional?: boolean
  /** Bodies of `upgrade` and `downgrade`, already indented code (autogenerate fills these). */
  readonly upgradeBody?: string
  readonly downgradeBody?: string
  /** Extra import lines the bodies need. */
  readonly imports?: readonly string[]
  /** Creation time written into the doc comment. Default: now. */
  readonly date?: Date
}

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs']
const REVISION_ID = /^[A-Za-z0-9_]+$/
const LABEL = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/** The way out of several heads when writing a revision (upgrading to `heads` is no answer). */
const BUILD_ON_ONE_HEAD =
  'pass --head with the one to build on, or join them first with `aludel merge heads -m MSG`'

/**
 * The migrations folder: reads every file's header statically into a {@link RevisionMap} and
 * writes new migration files.
 */
export class ScriptDirectory {
  private constructor(
    readonly dir: string,
    readonly map: RevisionMap<Script>,
  ) {}

  /**
   * Reads the folder. Files whose name starts with `_` or `.` are helpers, not migrations;
   * declaration files (`.d.ts`) are skipped.
   *
   * @throws ScriptDirectoryError when the folder is missing; ScriptHeaderError, DuplicateRevisionError,
   *   MissingRevisionError or RevisionCycleError for a broken folder (each names the file)
   */
  static load(dir: string): ScriptDirectory {
    const files = listFiles(dir)
    const cache = ScriptCache.open(dir)
    const scripts: Script[] = []
    for (const { name, path, stats } of files) {
      let script = cache.get(name, stats)
      if (script === undefined) {
        let text: string
        try {
          text = readFileSync(path, 'utf8')
        } catch (error) {
          throw new ScriptDirectoryError(
            `migration file ${path} ${fsProblem(error)}; make it readable by the user running aludel, or move it out of the folder`,
            'UNREADABLE_SCRIPT',
            { cause: error },
          )
        }
        script = { header: readScriptHeader(text, name), checksum: sha256(text) }
        cache.set(name, stats, script)
      }
      scripts.push({ ...script.header, path, source: name, checksum: script.checksum })
    }
    const changed = cache.save()
    const map = buildMap(scripts)
    // An unchanged folder already has its summary (a stale one is harmless: its fingerprint is
    // checked before any use), so 10,000 files are not hashed twice on every read.
    if (changed || !ScriptCache.hasSummary(dir)) {
      ScriptCache.saveSummary(dir, {
        fingerprint: folderFingerprint(files),
        heads: map.heads,
        checksumDigest: digestOf(scripts),
      })
    }
    return new ScriptDirectory(dir, map)
  }

  /**
   * The folder's summary (heads, checksum digest) when no file changed since the last full read:
   * one `stat` per file and no graph building, for the common "already at head" check.
   *
   * @returns undefined when the folder changed or was never read in full
   */
  static summary(dir: string): FolderSummary | undefined {
    const summary = ScriptCache.readSummary(dir)
    if (summary === undefined) return undefined
    return summary.fingerprint === folderFingerprint(listFiles(dir)) ? summary : undefined
  }

  /**
   * What the at-head check needs of this folder as read (heads and checksum digest), for callers
   * that hold a ScriptDirectory already (a fleet run).
   */
  get summary(): Pick<FolderSummary, 'heads' | 'checksumDigest'> {
    this.digest ??= digestOf(this.scripts)
    return { heads: this.map.heads, checksumDigest: this.digest }
  }

  private digest: string | undefined

  /** All migrations, each after its parents. */
  get scripts(): readonly Script[] {
    return this.map.order.map((id) => this.map.nodes.get(id)!)
  }

  /**
   * Writes a new migration file and returns it.
   *
   * @throws MultipleHeadsError when `head` is ambiguous; InvalidTargetError when building on a
   *   non-head without `splice`; ScriptDirectoryError for a bad id, label, or an existing file
   */
  writeRevision(options: NewRevisionOptions): Script {
    const map = this.map
    const revision = options.revisionId ?? randomBytes(6).toString('hex')
    if (!REVISION_ID.test(revision) || ['head', 'heads', 'base', 'current'].includes(revision)) {
      throw new ScriptDirectoryError(
        `'${shortenInput(revision)}' is not a usable revision id; use letters, digits and '_' only`,
        'BAD_REVISION_ID',
      )
    }
    if (map.nodes.has(revision) || map.branchLabels.has(revision)) {
      throw new ScriptDirectoryError(
        `revision id '${shortenInput(revision)}' is already used by ${map.nodes.get(revision)?.source ?? 'a branch label'}; choose another --rev-id`,
        'DUPLICATE_REVISION',
      )
    }
    for (const label of options.branchLabels ?? []) {
      if (!LABEL.test(label) || ['head', 'heads', 'base', 'current'].includes(label)) {
        throw new ScriptDirectoryError(
          `'${shortenInput(label)}' is not a usable branch label; start with a letter and use letters, digits, '_', '.' and '-'`,
          'BAD_BRANCH_LABEL',
        )
      }
      const owner = map.branchLabels.get(label)
      if (owner !== undefined || map.nodes.has(label)) {
        throw new ScriptDirectoryError(
          `branch label '${shortenInput(label)}' is already used by ${owner === undefined ? 'a revision id' : map.get(owner).source}; choose another`,
          'DUPLICATE_BRANCH_LABEL',
        )
      }
    }
    const downRevisions = this.parentsFor(options)
    const dependsOn = (options.dependsOn ?? []).map((dep) =>
      map.branchLabels.has(dep) ? dep : map.resolveRevision(dep),
    )
    const slug = slugify(options.message)
    const fileName = `${revision}${slug === '' ? '' : `_${slug}`}.ts`
    const path = join(this.dir, fileName)
    if (existsSync(path)) {
      throw new ScriptDirectoryError(`${path} already exists; choose another --rev-id`)
    }
    const text = renderScript({
      revision,
      downRevisions,
      branchLabels: options.branchLabels ?? [],
      dependsOn,
      message: options.message,
      date: options.date ?? new Date(),
      transactional: options.transactional ?? true,
      upgradeBody: options.upgradeBody,
      downgradeBody: options.downgradeBody,
      imports: options.imports ?? [],
    })
    try {
      if (!existsSync(this.dir)) mkdirSync(this.dir, { recursive: true })
      writeFileSync(path, text, { flag: 'wx' })
    } catch (error) {
      const fix =
        (error as { code?: unknown }).code === 'ENAMETOOLONG'
          ? 'choose a shorter --rev-id'
          : 'check that the migrations folder is writable'
      throw new ScriptDirectoryError(
        `cannot write ${shortenInput(path, LONG_ECHO_LIMIT)}: it ${fsProblem(error)}; ${fix}`,
        'UNWRITABLE_SCRIPT',
        { cause: error },
      )
    }
    const header = readScriptHeader(text, fileName)
    return { ...header, path, source: fileName, checksum: sha256(text) }
  }

  private parentsFor(options: NewRevisionOptions): readonly string[] {
    const map = this.map
    const heads = options.head ?? 'head'
    if (Array.isArray(heads)) return this.mergeParents(heads)
    const head = heads as string
    if (head === 'base') return []
    if (head === 'head') {
      if (map.heads.length > 1) throw new MultipleHeadsError(map.heads, 'head', BUILD_ON_ONE_HEAD)
      return map.heads.slice(0, 1)
    }
    const resolved = map.resolve(head).revisions
    if (resolved.length !== 1) {
      if (resolved.length > 1) throw new MultipleHeadsError(resolved, head, BUILD_ON_ONE_HEAD)
      return []
    }
    const parent = resolved[0]!
    if (!map.isHead(parent) && !options.splice) {
      throw new InvalidTargetError(
        head,
        `${parent} is not a head (it has children ${map.children(parent).join(', ')}); pass --splice to start a branch from it`,
        'NOT_A_HEAD',
      )
    }
    return [parent]
  }

  private mergeParents(references: readonly string[]): readonly string[] {
    const map = this.map
    const parents: string[] = []
    for (const reference of references) {
      for (const id of map.resolve(reference).revisions) {
        if (!parents.includes(id)) parents.push(id)
      }
    }
    if (parents.length < 2) {
      throw new InvalidTargetError(
        references.join(' '),
        `a merge needs at least two revisions, and these name ${parents.length === 0 ? 'none' : `only ${parents[0]}`}; run \`aludel heads\``,
        'NOTHING_TO_MERGE',
      )
    }
    for (const a of parents) {
      const ancestors = map.ancestorsOf([a], false)
      const redundant = parents.find((b) => b !== a && ancestors.has(b))
      if (redundant !== undefined) {
        throw new InvalidTargetError(
          references.join(' '),
          `${redundant} is an ancestor of ${a}, so merging it adds nothing; merge heads only`,
          'REDUNDANT_MERGE',
        )
      }
    }
    return parents
  }
}

/** Builds the revision graph of the folder's scripts. */
function buildMap(scripts: readonly Script[]): RevisionMap<Script> {
  try {
    return new RevisionMap(scripts)
  } catch (error) {
    // The graph reports a revision that names itself by its bare id; add the file, as every other
    // error about the folder does, so that the user knows which file to open.
    if (error instanceof RevisionCycleError) {
      const named = error.revisions.map((id) => {
        const script = scripts.find((s) => s.revision === id)
        return script === undefined ? id : `${id} (${script.source})`
      })
      if (named.some((text, i) => text !== error.revisions[i])) throw new RevisionCycleError(named)
    }
    throw error
  }
}

/**
 * The folder's migration files with their stats, sorted by name. Each file is stat'ed before it
 * is read, so a file changed in between is cached under its old stat and read again next time.
 */
function listFiles(dir: string): ListedFile[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (error) {
    throw migrationsFolderError(dir, error)
  }
  const files: ListedFile[] = []
  const prefix = dir.endsWith(sep) ? dir : dir + sep
  for (const name of names.sort()) {
    if (!isMigrationFileName(name)) continue
    const path = prefix + name
    let stats: Stats
    try {
      stats = statSync(path)
    } catch (error) {
      throw new ScriptDirectoryError(
        `migration file ${path} ${fsProblem(error)}${isSymbolicLink(path) ? ' (a symbolic link whose target is gone)' : ''}; restore it, or remove it from the folder`,
        'UNREADABLE_SCRIPT',
        { cause: error },
      )
    }
    if (!stats.isDirectory()) files.push({ name, path, stats })
  }
  return files
}

/** Why the migrations folder cannot be listed, and what to do about it. */
function migrationsFolderError(dir: string, error: unknown): ScriptDirectoryError {
  const code = (error as { code?: string }).code
  const fix = 'point `migrations` in aludel.config.ts at the folder that holds the migration files'
  let message: string
  if (code === 'ENOENT') {
    message = isSymbolicLink(dir)
      ? `the migrations folder ${dir} is a symbolic link to ${readlinkSync(dir)}, which does not exist; restore the target, or ${fix}`
      : `the migrations folder ${dir} does not exist; run \`aludel init\`, or ${fix}`
  } else if (code === 'ENOTDIR') {
    message = `the migrations folder ${dir} is a file, not a folder; ${fix}`
  } else if (code === 'EACCES' || code === 'EPERM') {
    message = `the migrations folder ${dir} cannot be read (permission denied); let the user running aludel read it (chmod u+rx), or ${fix}`
  } else {
    message = `the migrations folder ${dir} ${fsProblem(error)}; ${fix}`
  }
  return new ScriptDirectoryError(
    message,
    code === 'ENOENT' ? 'NO_MIGRATIONS_FOLDER' : 'BAD_SCRIPT_DIRECTORY',
    { cause: error },
  )
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}

/** Whether a directory entry is a migration file (not a helper, declaration or other file). */
export function isMigrationFileName(name: string): boolean {
  if (name.startsWith('_') || name.startsWith('.') || name.endsWith('.d.ts')) return false
  return EXTENSIONS.some((ext) => name.endsWith(ext))
}

/** {@link checksumDigest} of the scripts' checksums: what the at-head check compares. */
function digestOf(scripts: readonly Script[]): string {
  return checksumDigest(scripts.map((s) => [s.revision, s.checksum] as const))
}
