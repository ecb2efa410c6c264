/**
 * The seeder's own records (DESIGN section 5), in `<storage>/seeder.db`: which
 * feeds it keeps and for whom (the first requester is charged for them), the
 * feeds it refused for good, and the directory entries. Blind-peer keeps the
 * blocks; this is what the quotas are counted from, so it survives restarts.
 */
import BetterSqlite3 from 'better-sqlite3'
import { TrustError } from '../errors.js'

export type FeedState = 'kept' | 'frozen'

export interface KeptFeed {
  key: string
  requester: string
  bytes: number
  length: number
  state: FeedState
}

const SCHEMA_VERSION = 1

export class SeederStore {
  private readonly db: BetterSqlite3.Database

  constructor(path: string) {
    try {
      this.db = new BetterSqlite3(path)
    } catch (err) {
      throw new TrustError('DB_CORRUPT', `cannot open the seeder database at ${path}: ${(err as Error).message}`)
    }
    try {
      this.db.pragma('journal_mode = WAL')
      this.db.pragma('synchronous = FULL')
      const version = this.db.pragma('user_version', { simple: true }) as number
      if (version > SCHEMA_VERSION) throw new TrustError('DB_FROM_FUTURE', `the seeder database is at version ${version}, newer than this app knows (${SCHEMA_VERSION})`)
      if (version < 1) this.migrate()
    } catch (err) {
      this.db.close()
      throw err instanceof TrustError ? err : new TrustError('DB_CORRUPT', `the seeder database at ${path} is not usable: ${(err as Error).message}`)
    }
  }

  private migrate(): void {
    this.db.transaction(() => {
      this.db.exec(`
        CREATE TABLE feeds (
          key         TEXT PRIMARY KEY CHECK (length(key) = 64),
          requester   TEXT NOT NULL CHECK (length(requester) = 64),   -- charged for it: the first to ask
          bytes       INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0),   -- the feed's byte length as last seen
          length      INTEGER NOT NULL DEFAULT 0 CHECK (length >= 0),
          state       TEXT NOT NULL CHECK (state IN ('kept', 'frozen')),
          added_at    TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX feeds_by_requester ON feeds (requester);

        -- Feeds dropped for breaking a per-feed or per-requester limit: never kept again.
        CREATE TABLE refused_feeds (
          key         TEXT PRIMARY KEY CHECK (length(key) = 64),
          reason      TEXT NOT NULL,
          at          TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE directory (
          grp         BLOB NOT NULL CHECK (length(grp) = 32),
          entry       BLOB NOT NULL CHECK (length(entry) BETWEEN 1 AND 256),
          requester   TEXT NOT NULL CHECK (length(requester) = 64),
          added_at    TEXT NOT NULL,
          PRIMARY KEY (grp, entry)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX directory_by_requester ON directory (requester);
      `)
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`)
    }).immediate()
  }

  feed(key: string): KeptFeed | undefined {
    return this.db.prepare('SELECT key, requester, bytes, length, state FROM feeds WHERE key = ?').get(key) as KeptFeed | undefined
  }

  isRefused(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM refused_feeds WHERE key = ?').get(key) !== undefined
  }

  addFeed(key: string, requester: string, at: string): void {
    this.db.prepare(`INSERT INTO feeds (key, requester, state, added_at) VALUES (?, ?, 'kept', ?) ON CONFLICT DO NOTHING`).run(key, requester, at)
  }

  updateFeed(key: string, length: number, bytes: number): void {
    this.db.prepare('UPDATE feeds SET length = ?, bytes = ? WHERE key = ?').run(length, bytes, key)
  }

  setState(key: string, state: FeedState): void {
    this.db.prepare('UPDATE feeds SET state = ? WHERE key = ?').run(state, key)
  }

  /** Forgets a kept feed and refuses it from now on. */
  refuse(key: string, reason: string, at: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM feeds WHERE key = ?').run(key)
      this.db.prepare('INSERT INTO refused_feeds (key, reason, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(key, reason.slice(0, 200), at)
    })()
  }

  usage(requester?: string): { feeds: number; bytes: number } {
    const row = (
      requester === undefined
        ? this.db.prepare('SELECT count(*) AS feeds, coalesce(sum(bytes), 0) AS bytes FROM feeds').get()
        : this.db.prepare('SELECT count(*) AS feeds, coalesce(sum(bytes), 0) AS bytes FROM feeds WHERE requester = ?').get(requester)
    ) as { feeds: number; bytes: number }
    return row
  }

  refusedCount(): number {
    return this.db.prepare('SELECT count(*) FROM refused_feeds').pluck().get() as number
  }

  /** Adds a directory entry; false when it was there already. */
  addEntry(group: Uint8Array, entry: Uint8Array, requester: string, at: string): boolean {
    const info = this.db
      .prepare('INSERT INTO directory (grp, entry, requester, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(Buffer.from(group), Buffer.from(entry), requester, at)
    return info.changes === 1
  }

  hasEntry(group: Uint8Array, entry: Uint8Array): boolean {
    return this.db.prepare('SELECT 1 FROM directory WHERE grp = ? AND entry = ?').get(Buffer.from(group), Buffer.from(entry)) !== undefined
  }

  entries(group: Uint8Array): Uint8Array[] {
    const rows = this.db.prepare('SELECT entry FROM directory WHERE grp = ? ORDER BY added_at, entry').pluck().all(Buffer.from(group)) as Buffer[]
    return rows.map((b) => new Uint8Array(b))
  }

  entryCount(opts: { group?: Uint8Array; requester?: string } = {}): number {
    if (opts.group !== undefined) return this.db.prepare('SELECT count(*) FROM directory WHERE grp = ?').pluck().get(Buffer.from(opts.group)) as number
    if (opts.requester !== undefined) return this.db.prepare('SELECT count(*) FROM directory WHERE requester = ?').pluck().get(opts.requester) as number
    return this.db.prepare('SELECT count(*) FROM directory').pluck().get() as number
  }

  close(): void {
    this.db.close()
  }
}
