/**
 * Where a profile keeps its things. One directory per identity: the lock file
 * first (jobs/profile-lock.ts), then the SQLite store, the replicated feeds and
 * the logs (DESIGN sections 6, 9, 11).
 */
import path from 'node:path'
import { logFilePath } from '../telemetry/logger.js'

export interface ProfilePaths {
  readonly dir: string
  /** better-sqlite3 store (DESIGN section 6). */
  readonly database: string
  /** Corestore and sync cursors (DESIGN section 5). */
  readonly sync: string
  /** pino JSON lines (DESIGN section 11). */
  readonly log: string
}

export function profilePaths(profileDir: string): ProfilePaths {
  const dir = path.resolve(profileDir)
  return {
    dir,
    database: path.join(dir, 'trust.db'),
    sync: path.join(dir, 'sync'),
    log: logFilePath(dir),
  }
}
