/**
 * What a failed file-system call means, in words for a message (`does not exist`, `permission
 * denied`), instead of Node's `EACCES: permission denied, scandir '/x'`, which repeats the path
 * and names the system call.
 */
export function fsProblem(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code
  switch (code) {
    case 'ENOENT':
      return 'does not exist'
    case 'EACCES':
    case 'EPERM':
      return 'is not accessible (permission denied)'
    case 'ENOTDIR':
      return 'is not a folder'
    case 'EISDIR':
      return 'is a folder, not a file'
    case 'ELOOP':
      return 'is a loop of symbolic links'
    case 'ENAMETOOLONG':
      return 'has a name too long for the file system'
    default: {
      const message = error instanceof Error ? error.message : String(error)
      return `is not accessible (${message.split('\n')[0]})`
    }
  }
}
