/**
 * Rows of the trust_events table (migration 003). Plain reads and writes; the
 * hash chain rules live in negotiation/trust-ledger.ts.
 */
import type { Db } from './database.js'

export type TrustEventKind = 'COMPLETION' | 'CONFLICT' | 'TIMEOUT' | 'MISBEHAVIOR'

export interface TrustEventRow {
  counterparty: string
  seq: number
  prev: string
  kind: TrustEventKind
  /** Thousandths of a point: +50 is +0.05. */
  delta: number
  /** Thousandths, 0..1000. */
  scoreAfter: number
  negotiation: string | null
  ref: string | null
  reason: string | null
  time: string
  hash: string
}

interface RawRow {
  counterparty: string
  seq: number
  prev: string
  kind: TrustEventKind
  delta: number
  score_after: number
  negotiation: string | null
  ref: string | null
  reason: string | null
  time: string
  hash: string
}

const COLUMNS = 'counterparty, seq, prev, kind, delta, score_after, negotiation, ref, reason, time, hash'

function fromRaw(r: RawRow): TrustEventRow {
  return {
    counterparty: r.counterparty,
    seq: r.seq,
    prev: r.prev,
    kind: r.kind,
    delta: r.delta,
    scoreAfter: r.score_after,
    negotiation: r.negotiation,
    ref: r.ref,
    reason: r.reason,
    time: r.time,
    hash: r.hash,
  }
}

export class TrustEventStore {
  private readonly insertStmt
  private readonly lastStmt
  private readonly allStmt
  private readonly existsStmt
  private readonly counterpartiesStmt

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO trust_events (${COLUMNS}) VALUES (@counterparty, @seq, @prev, @kind, @delta, @scoreAfter, @negotiation, @ref, @reason, @time, @hash)`,
    )
    this.lastStmt = db.prepare(`SELECT ${COLUMNS} FROM trust_events WHERE counterparty = ? ORDER BY seq DESC LIMIT 1`)
    this.allStmt = db.prepare(`SELECT ${COLUMNS} FROM trust_events WHERE counterparty = ? ORDER BY seq`)
    // A null reason or ref in the filter matches any value.
    this.existsStmt = db.prepare(
      `SELECT 1 FROM trust_events WHERE negotiation IS @negotiation AND kind = @kind AND counterparty = @counterparty
         AND (@reason IS NULL OR reason = @reason) AND (@ref IS NULL OR ref = @ref) LIMIT 1`,
    )
    this.counterpartiesStmt = db.prepare('SELECT DISTINCT counterparty FROM trust_events ORDER BY counterparty')
  }

  insert(row: TrustEventRow): void {
    this.insertStmt.run(row)
  }

  last(counterparty: string): TrustEventRow | undefined {
    const r = this.lastStmt.get(counterparty) as RawRow | undefined
    return r === undefined ? undefined : fromRaw(r)
  }

  all(counterparty: string): TrustEventRow[] {
    return (this.allStmt.all(counterparty) as RawRow[]).map(fromRaw)
  }

  /** Whether `kind` was already recorded against `counterparty` for `negotiation`, optionally with this reason or ref. */
  exists(
    negotiation: string | null,
    kind: TrustEventKind,
    counterparty: string,
    filter: { reason?: string; ref?: string } = {},
  ): boolean {
    const params = { negotiation, kind, counterparty, reason: filter.reason ?? null, ref: filter.ref ?? null }
    return this.existsStmt.get(params) !== undefined
  }

  counterparties(): string[] {
    return (this.counterpartiesStmt.all() as { counterparty: string }[]).map((r) => r.counterparty)
  }
}
