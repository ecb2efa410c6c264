/**
 * The peer's own tables (migration 004): the negotiations it replicates and
 * their topic secrets, fork evidence, and rejected peers. Plain reads and
 * writes; the decisions live in sync-host.ts and negotiation-peer.ts.
 */
import type BetterSqlite3 from 'better-sqlite3'
import type { Db } from '../store/database.js'
import type { EquivocationEvidence } from '../sync/sync-host.js'

/** A prepared statement taking positional parameters. */
type Statement = BetterSqlite3.Statement<unknown[], unknown>

export type MembershipState = 'joining' | 'joined' | 'refused'

export interface PeerNegotiationRow {
  negotiation: string
  topicSecret: string
  creatorFeedKey: string
  state: MembershipState
  reason: string | null
  addedAt: string
  /** Feeds encrypted with a key from the topic secret; false for a negotiation made before encryption (v1 invite). */
  encrypted: boolean
}

/** A fork the replication layer reported (sync-host.ts), as stored. */
export interface FeedForkRow extends EquivocationEvidence {
  recordedAt: string
}

export interface IncidentRow {
  negotiation: string | null
  peer: string | null
  code: string
  reason: string
  count: number
  firstAt: string
  lastAt: string
}

interface RawNegotiation {
  negotiation: string
  topic_secret: string
  creator_feed_key: string
  state: MembershipState
  reason: string | null
  added_at: string
  feed_encryption: number
}

export class PeerRecords {
  private readonly db: Db
  /** Prepared once: some of these run for every entry a feed brings. */
  private readonly statements = new Map<string, Statement>()

  constructor(db: Db) {
    this.db = db
  }

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql)
    if (stmt === undefined) {
      stmt = this.db.prepare(sql)
      this.statements.set(sql, stmt)
    }
    return stmt
  }

  /** Remembers a negotiation to replicate; an existing row keeps its secret, state and encryption. Returns true when new. */
  remember(row: { negotiation: string; topicSecret: string; creatorFeedKey: string; state: MembershipState; at: string; encrypted: boolean }): boolean {
    const info = this
      .prepare(
        `INSERT INTO peer_negotiations (negotiation, topic_secret, creator_feed_key, state, reason, added_at, feed_encryption)
         VALUES (?, ?, ?, ?, NULL, ?, ?) ON CONFLICT (negotiation) DO NOTHING`,
      )
      .run(row.negotiation, row.topicSecret, row.creatorFeedKey, row.state, row.at, row.encrypted ? 1 : 0)
    return info.changes === 1
  }

  setState(negotiation: string, state: MembershipState, reason: string | null = null): void {
    this.prepare('UPDATE peer_negotiations SET state = ?, reason = ? WHERE negotiation = ?').run(state, reason, negotiation)
  }

  get(negotiation: string): PeerNegotiationRow | undefined {
    const r = this.prepare('SELECT * FROM peer_negotiations WHERE negotiation = ?').get(negotiation) as RawNegotiation | undefined
    return r === undefined ? undefined : fromRaw(r)
  }

  /** Every negotiation to rejoin on open: all but the refused ones. */
  active(): PeerNegotiationRow[] {
    const rows = this
      .prepare(`SELECT * FROM peer_negotiations WHERE state != 'refused' ORDER BY added_at, negotiation`)
      .all() as RawNegotiation[]
    return rows.map(fromRaw)
  }

  /** Records fork evidence once; returns false when this exact event was already recorded. */
  addFork(f: FeedForkRow): boolean {
    const info = this
      .prepare(
        `INSERT INTO feed_forks (negotiation, owner, feed_key, fork, kept_length, previous_length, note, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (feed_key, owner, fork, kept_length, previous_length) DO NOTHING`,
      )
      .run(f.negotiation, f.owner, f.feedKey, f.fork, f.keptLength, f.previousLength, f.note, f.recordedAt)
    return info.changes === 1
  }

  forks(negotiation: string): FeedForkRow[] {
    const rows = this
      .prepare(
        `SELECT negotiation, owner, feed_key AS feedKey, fork, kept_length AS keptLength, previous_length AS previousLength,
                note, recorded_at AS recordedAt FROM feed_forks WHERE negotiation = ? ORDER BY id`,
      )
      .all(negotiation) as FeedForkRow[]
    return rows
  }

  /** Counts an incident; returns true the first time this (negotiation, peer, code) is seen. */
  addIncident(i: { negotiation: string | null; peer: string | null; code: string; reason: string; at: string }): boolean {
    const key = [i.negotiation ?? '', i.peer ?? '', i.code] as const
    const existing = this
      .prepare('SELECT count FROM peer_incidents WHERE negotiation = ? AND peer = ? AND code = ?')
      .get(...key) as { count: number } | undefined
    if (existing !== undefined) {
      this
        .prepare('UPDATE peer_incidents SET count = count + 1, reason = ?, last_at = ? WHERE negotiation = ? AND peer = ? AND code = ?')
        .run(i.reason, i.at, ...key)
      return false
    }
    this
      .prepare('INSERT INTO peer_incidents (negotiation, peer, code, reason, count, first_at, last_at) VALUES (?, ?, ?, ?, 1, ?, ?)')
      .run(...key, i.reason, i.at, i.at)
    return true
  }

  incidents(): IncidentRow[] {
    const rows = this
      .prepare('SELECT negotiation, peer, code, reason, count, first_at AS firstAt, last_at AS lastAt FROM peer_incidents ORDER BY first_at, code')
      .all() as IncidentRow[]
    return rows.map((r) => ({ ...r, negotiation: r.negotiation === '' ? null : r.negotiation, peer: r.peer === '' ? null : r.peer }))
  }
}

function fromRaw(r: RawNegotiation): PeerNegotiationRow {
  return {
    negotiation: r.negotiation,
    topicSecret: r.topic_secret,
    creatorFeedKey: r.creator_feed_key,
    state: r.state,
    reason: r.reason,
    addedAt: r.added_at,
    encrypted: r.feed_encryption === 1,
  }
}
