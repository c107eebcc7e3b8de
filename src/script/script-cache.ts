import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { ScriptHeader } from './read-script-header.ts'

/** What the cache remembers of one file: its header and checksum, valid while its stat matches. */
export interface CachedScript {
  readonly header: ScriptHeader
  readonly checksum: string
}

/** Bumped whenever the header reader or the checksum changes meaning. */
const FORMAT = 5

/**
 * What a no-op `upgrade head` needs to know of a folder, valid while the folder's fingerprint (the
 * name and stat of every migration file) is unchanged: small enough to read in a millisecond.
 */
export interface FolderSummary {
  readonly fingerprint: string
  /** The graph's heads. */
  readonly heads: readonly string[]
  /** {@link checksumDigest} of every revision. */
  readonly checksumDigest: string
}

/** A migration file and its stat, as listed from the folder. */
export interface ListedFile {
  readonly name: string
  /** The folder and the name joined. */
  readonly path: string
  readonly stats: Stats
}

/**
 * Hash of the names and stats of a folder's migration files: equal fingerprints mean no file was
 * added, removed, renamed or written. The stats go in as raw doubles: formatting 40,000 numbers
 * as text costs more than the 10,000 `stat` calls' share of a run it is meant to shortcut.
 */
export function folderFingerprint(files: readonly ListedFile[]): string {
  const names = new Array<string>(files.length)
  const values = new Float64Array(files.length * 4)
  for (let i = 0; i < files.length; i++) {
    const { name, stats } = files[i]!
    names[i] = name
    values[i * 4] = stats.size
    values[i * 4 + 1] = stats.mtimeMs
    values[i * 4 + 2] = stats.ctimeMs
    values[i * 4 + 3] = stats.ino
  }
  // Both updates are whole buffers: per-file updates cost more than the hashing itself.
  return createHash('sha256').update(names.join('\n')).update(values).digest('hex')
}

/**
 * MD5 over `revision:checksum` lines sorted by revision (by UTF-16 code unit, which is byte order
 * for ASCII ids): the same value a database computes over its ledger, so that one row answers
 * "were the applied files edited?". MD5 because every database has it; this is an equality check
 * against accidental edits, not a security boundary (the full checksums remain in the ledger).
 */
export function checksumDigest(entries: Iterable<readonly [string, string]>): string {
  const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return createHash('md5')
    .update(sorted.map(([revision, checksum]) => `${revision}:${checksum}`).join('\n'))
    .digest('hex')
}

type Entry = [
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  checksum: string,
  revision: string,
  downRevisions: readonly string[],
  branchLabels: readonly string[],
  dependsOn: readonly string[],
  transactional: 0 | 1,
  message: string,
  doc: string,
]

interface CacheFile {
  readonly format: number
  readonly dir: string
  readonly entries: Record<string, Entry>
}

/**
 * A per-folder cache of migration headers and checksums, so that a run on 10,000 unchanged files
 * costs one `stat` per file instead of reading, lexing and hashing each one.
 *
 * An entry is trusted only while the file's size, mtime, ctime and inode are unchanged. ctime
 * cannot be set by user tools (`touch -d` moves mtime, not ctime), so any write to a file —
 * including one that restores its old mtime — invalidates its entry and the file is read again.
 * The cache lives in `node_modules/.cache/aludel/` of the nearest project (where build tools keep
 * theirs), else in the user's cache folder; it is never shared between users. Set
 * `ALUDEL_NO_CACHE=1` to bypass it.
 */
export class ScriptCache {
  private readonly entries: Record<string, Entry>
  private readonly seen = new Set<string>()
  private dirty = false

  private constructor(
    private readonly file: string | undefined,
    private readonly dir: string,
    entries: Record<string, Entry>,
  ) {
    this.entries = entries
  }

  /** The folder summary saved by the last full read, if any. */
  static readSummary(dir: string): FolderSummary | undefined {
    if (process.env.ALUDEL_NO_CACHE === '1') return undefined
    try {
      const parsed = JSON.parse(readFileSync(summaryFileFor(dir), 'utf8')) as FolderSummary & {
        format: number
        dir: string
      }
      return parsed.format === FORMAT && parsed.dir === dir ? parsed : undefined
    } catch {
      return undefined
    }
  }

  /** Whether a folder summary is saved (current or not: see {@link FolderSummary.fingerprint}). */
  static hasSummary(dir: string): boolean {
    return ScriptCache.readSummary(dir) !== undefined
  }

  /** Saves the folder summary (best effort, like the cache itself). */
  static saveSummary(dir: string, summary: FolderSummary): void {
    if (process.env.ALUDEL_NO_CACHE === '1') return
    const previous = ScriptCache.readSummary(dir)
    if (
      previous?.fingerprint === summary.fingerprint &&
      previous.checksumDigest === summary.checksumDigest &&
      previous.heads.join() === summary.heads.join()
    ) {
      return
    }
    writeAtomically(summaryFileFor(dir), JSON.stringify({ format: FORMAT, dir, ...summary }))
  }

  /** Opens the cache of a migrations folder; a missing, foreign or corrupt cache starts empty. */
  static open(dir: string): ScriptCache {
    if (process.env.ALUDEL_NO_CACHE === '1') return new ScriptCache(undefined, dir, {})
    const file = cacheFileFor(dir)
    let entries: Record<string, Entry> = {}
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile
      if (parsed.format === FORMAT && parsed.dir === dir && typeof parsed.entries === 'object') {
        entries = parsed.entries
      }
    } catch {
      // No cache yet, or an unreadable one: read every file.
    }
    return new ScriptCache(file, dir, entries)
  }

  /** The cached header and checksum of `name`, if its stat still matches. */
  get(name: string, stats: Stats): CachedScript | undefined {
    this.seen.add(name)
    const e = this.entries[name]
    if (
      e === undefined ||
      e[0] !== stats.size ||
      e[1] !== stats.mtimeMs ||
      e[2] !== stats.ctimeMs ||
      e[3] !== stats.ino
    ) {
      return undefined
    }
    return {
      checksum: e[4],
      header: {
        revision: e[5],
        downRevisions: e[6],
        branchLabels: e[7],
        dependsOn: e[8],
        transactional: e[9] === 1,
        message: e[10],
        doc: e[11],
      },
    }
  }

  /** Remembers a freshly read file. */
  set(name: string, stats: Stats, script: CachedScript): void {
    this.seen.add(name)
    const h = script.header
    this.entries[name] = [
      stats.size,
      stats.mtimeMs,
      stats.ctimeMs,
      stats.ino,
      script.checksum,
      h.revision,
      h.downRevisions,
      h.branchLabels,
      h.dependsOn,
      h.transactional ? 1 : 0,
      h.message,
      h.doc,
    ]
    this.dirty = true
  }

  /**
   * Writes the cache if anything changed, dropping files that are gone. Best effort: a read-only
   * disk or a race with another process only costs the next run a re-read.
   *
   * @returns whether the folder changed since the cache was last written (a file read afresh or
   *   gone); false also means the saved folder summary, if any, is still the folder's
   */
  save(): boolean {
    if (this.file === undefined) return true
    for (const name of Object.keys(this.entries)) {
      if (!this.seen.has(name)) {
        delete this.entries[name]
        this.dirty = true
      }
    }
    if (!this.dirty) return false
    const content: CacheFile = { format: FORMAT, dir: this.dir, entries: this.entries }
    if (writeAtomically(this.file, JSON.stringify(content))) this.dirty = false
    return true
  }
}

/** Writes a whole file or nothing; false when it could not (caching never fails a command). */
function writeAtomically(file: string, text: string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, text, { mode: 0o600 })
    // Atomic: concurrent runners each write a whole file, and the last one wins.
    renameSync(temporary, file)
    return true
  } catch {
    return false
  }
}

function summaryFileFor(dir: string): string {
  return cacheFileFor(dir).replace(/\.json$/, '.summary.json')
}

/** Where the cache of `dir` lives: the nearest project's node_modules/.cache, else ~/.cache. */
function cacheFileFor(dir: string): string {
  const key = createHash('sha256').update(dir).digest('hex').slice(0, 16)
  let at = dir
  for (let depth = 0; depth < 12; depth++) {
    const modules = join(at, 'node_modules')
    if (existsSync(modules) && isOwnDirectory(modules)) {
      return join(modules, '.cache', 'aludel', `scripts-${key}.json`)
    }
    const parent = dirname(at)
    if (parent === at) break
    at = parent
  }
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(base, 'aludel', `scripts-${key}.json`)
}

function isOwnDirectory(path: string): boolean {
  try {
    const stats = statSync(path)
    return stats.isDirectory() && (process.getuid === undefined || stats.uid === process.getuid())
  } catch {
    return false
  }
}
