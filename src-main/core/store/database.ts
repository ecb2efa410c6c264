/**
 * The local SQLite store (DESIGN section 6). One writer connection per profile,
 * WAL with synchronous=FULL so a signed action is on disk before it is sent,
 * foreign keys on, and numbered migrations tracked in `user_version`, all
 * pending ones applied in one transaction.
 */
import BetterSqlite3 from 'better-sqlite3'
import { TrustError } from '../errors.js'
import { MIGRATIONS, type Migration } from './migrations/index.js'

export type Db = BetterSqlite3.Database

export interface OpenOptions {
  /** For tests of the upgrade path: apply migrations only up to this version. */
  targetVersion?: number
  readonly?: boolean
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  let db: Db
  try {
    db = new BetterSqlite3(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false })
  } catch (err) {
    throw new TrustError('DB_CORRUPT', `cannot open the database at ${path}: ${(err as Error).message}`)
  }
  try {
    if (!options.readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true })
      if (mode !== 'wal' && path !== ':memory:') throw new TrustError('DB_CORRUPT', `journal_mode is ${String(mode)}, not wal`)
    }
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, MIGRATIONS, options.targetVersion)
    return db
  } catch (err) {
    db.close()
    if (err instanceof TrustError) throw err
    throw new TrustError('DB_CORRUPT', `the database at ${path} is not usable: ${(err as Error).message}`)
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Applies every pending migration in one transaction: all of them or none. */
export function migrate(db: Db, migrations: readonly Migration[], target?: number): void {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version
  const goal = target ?? latest
  const current = schemaVersion(db)
  if (current > latest) {
    throw new TrustError(
      'DB_FROM_FUTURE',
      `the database is at schema version ${current}, newer than this app knows (${latest}); update Trust Primitive to open it`,
      { current, latest },
    )
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new TrustError('INTERNAL', `migration ${i + 1} is numbered ${m.version}`)
  })
  const pending = migrations.filter((m) => m.version > current && m.version <= goal)
  if (pending.length === 0) return
  db.transaction(() => {
    for (const m of pending) {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }
  }).immediate()
}
