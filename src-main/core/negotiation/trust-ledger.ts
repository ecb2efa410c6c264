/**
 * The trust ledger (DESIGN section 8): a local opinion of each counterparty, kept
 * as one hash chain per counterparty so an edited or deleted event is caught by
 * verify(). Scores and deltas are integers in thousandths: the strict JCS encoder
 * refuses floats, and integer arithmetic keeps 0.5 + 0.05 - 0.1 exact.
 */
import { sha256Hex } from '../crypto/hash.js'
import { isHex } from '../crypto/hex.js'
import { isPublicKeyHex } from '../crypto/ed25519.js'
import { TrustError } from '../errors.js'
import { canonicalizeStrict } from '../protocol/jcs.js'
import type { Db } from '../store/database.js'
import { TrustEventStore, type TrustEventKind, type TrustEventRow } from '../store/trust-events.js'

export type { TrustEventKind } from '../store/trust-events.js'

/** DESIGN section 8, in thousandths of a point. */
export const TRUST_DELTAS: Readonly<Record<TrustEventKind, number>> = {
  COMPLETION: 50,
  CONFLICT: -100,
  TIMEOUT: -20,
  MISBEHAVIOR: -300,
}
export const INITIAL_SCORE_MILLI = 500
export const MAX_SCORE_MILLI = 1000
/** `prev` of the first event of every chain. */
export const FIRST_PREV = '0'.repeat(64)

const REASON_RE = /^[A-Za-z0-9_.:-]{1,64}$/

export interface TrustEvent extends TrustEventRow {}

export interface RecordInput {
  counterparty: string
  kind: TrustEventKind
  negotiation?: string | null
  /** The evidence: a message hash, for instance. */
  ref?: string | null
  /** A short code such as BAD_SIGNATURE, EQUIVOCATION, RATE_LIMIT. */
  reason?: string | null
}

export interface LedgerVerification {
  ok: boolean
  count: number
  /** Index (= seq) of the first event that breaks the chain. */
  firstBad?: number
  reason?: string
}

/** The object whose JCS is hashed: every column but the hash itself, `prev` included. */
function hashedBody(e: Omit<TrustEventRow, 'hash'>): Record<string, unknown> {
  return {
    v: 1,
    counterparty: e.counterparty,
    seq: e.seq,
    prev: e.prev,
    kind: e.kind,
    delta: e.delta,
    scoreAfter: e.scoreAfter,
    negotiation: e.negotiation,
    ref: e.ref,
    reason: e.reason,
    time: e.time,
  }
}

export function trustEventHash(e: Omit<TrustEventRow, 'hash'>): string {
  return sha256Hex(canonicalizeStrict(hashedBody(e)))
}

function clamp(milli: number): number {
  return Math.min(MAX_SCORE_MILLI, Math.max(0, milli))
}

export class TrustLedger {
  private readonly db: Db
  private readonly rows: TrustEventStore
  private readonly now: () => number

  constructor(options: { db: Db; now?: () => number }) {
    this.db = options.db
    this.rows = new TrustEventStore(options.db)
    this.now = options.now ?? Date.now
  }

  /** Appends one event to the counterparty's chain (a savepoint when called inside a transaction). */
  record(input: RecordInput): TrustEvent {
    const { counterparty, kind } = input
    if (!isPublicKeyHex(counterparty)) throw TrustError.badKey('the counterparty must be a valid public key (64 lowercase hex)')
    if (!Object.hasOwn(TRUST_DELTAS, kind)) throw TrustError.invalidInput(`unknown trust event kind ${String(kind)}`)
    const negotiation = input.negotiation ?? null
    const ref = input.ref ?? null
    const reason = input.reason ?? null
    if (negotiation !== null && !isHex(negotiation, 32)) throw TrustError.invalidInput('negotiation must be 64 lowercase hex or null')
    if (ref !== null && !isHex(ref, 32)) throw TrustError.invalidInput('ref must be 64 lowercase hex or null')
    if (reason !== null && (typeof reason !== 'string' || !REASON_RE.test(reason))) {
      throw TrustError.invalidInput('reason must be a short code: 1-64 of A-Z a-z 0-9 _ . : -')
    }
    const time = new Date(this.now()).toISOString()
    return this.db.transaction((): TrustEvent => {
      const last = this.rows.last(counterparty)
      const delta = TRUST_DELTAS[kind]
      const body = {
        counterparty,
        seq: last === undefined ? 0 : last.seq + 1,
        prev: last === undefined ? FIRST_PREV : last.hash,
        kind,
        delta,
        scoreAfter: clamp((last === undefined ? INITIAL_SCORE_MILLI : last.scoreAfter) + delta),
        negotiation,
        ref,
        reason,
        time,
      }
      const event: TrustEvent = { ...body, hash: trustEventHash(body) }
      this.rows.insert(event)
      return event
    })()
  }

  /** Public for the sync layer: bad signature, equivocation, rate limit (DESIGN sections 5, 8). */
  recordMisbehavior(counterparty: string, negotiation: string | null, reason: string, ref?: string | null): TrustEvent {
    return this.record({ counterparty, kind: 'MISBEHAVIOR', negotiation, reason, ref: ref ?? null })
  }

  /**
   * Whether `kind` was already recorded against `counterparty` for `negotiation`
   * (optionally with this reason or evidence): transitions are recorded once.
   */
  hasEvent(
    negotiation: string | null,
    kind: TrustEventKind,
    counterparty: string,
    filter: { reason?: string; ref?: string } = {},
  ): boolean {
    return this.rows.exists(negotiation, kind, counterparty, filter)
  }

  /** 0..1; 0.5 for a stranger. */
  score(counterparty: string): number {
    return this.scoreMilli(counterparty) / 1000
  }

  scoreMilli(counterparty: string): number {
    return this.rows.last(counterparty)?.scoreAfter ?? INITIAL_SCORE_MILLI
  }

  events(counterparty: string): TrustEvent[] {
    return this.rows.all(counterparty)
  }

  counterparties(): string[] {
    return this.rows.counterparties()
  }

  /** Walks the chain: seq continuity, prev links, the delta of each kind, the clamped score, each hash. */
  verify(counterparty: string): LedgerVerification {
    const events = this.rows.all(counterparty)
    let prev = FIRST_PREV
    let score = INITIAL_SCORE_MILLI
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!
      const bad = (reason: string): LedgerVerification => ({ ok: false, count: events.length, firstBad: i, reason })
      if (e.counterparty !== counterparty) return bad('event filed under another counterparty')
      if (e.seq !== i) return bad(`seq ${e.seq} where ${i} was expected`)
      if (e.prev !== prev) return bad('prev does not link to the previous event')
      if (!Object.hasOwn(TRUST_DELTAS, e.kind) || e.delta !== TRUST_DELTAS[e.kind]) return bad(`delta ${e.delta} is not that of ${e.kind}`)
      const expected = clamp(score + e.delta)
      if (e.scoreAfter !== expected) return bad(`scoreAfter ${e.scoreAfter} where ${expected} was expected`)
      let hash: string
      try {
        hash = trustEventHash(e)
      } catch {
        return bad('the event cannot be canonicalised')
      }
      if (hash !== e.hash) return bad('the stored hash does not match the event')
      prev = e.hash
      score = expected
    }
    return { ok: true, count: events.length }
  }
}
