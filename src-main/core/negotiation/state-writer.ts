/**
 * Materialises a folded state into the negotiation tables (DESIGN section 6) and
 * turns its transitions into trust events (DESIGN section 8). Always called inside
 * the caller's transaction, so the rows, the message and the receipt commit together.
 *
 * Transitions are detected against what was last materialised (the stored row),
 * not against the previous fold: EXPIRED and LAPSED happen by the clock, with no
 * message. Every trust event is also checked against the ledger first, so writing
 * the same state twice records nothing twice.
 *
 * Within a burst (`coalescing`, one transaction for many ingests) the update of an
 * existing negotiation's row is held in memory and written once at the end: the row
 * is a cache whose last write wins, and serialising and rewriting it per message
 * was a seventh of ingest. Everything else (participants, locks, appeals, trust
 * events, receipts) is still written per message, against the held row as "what
 * was last materialised", so their content and order are exactly as without it.
 */
import type { Signer } from '../crypto/signer.js'
import type { NegotiationState } from '../protocol/fold/state.js'
import type { AppendInput } from '../receipts/receipt-chain.js'
import type { NegotiationRow, NegotiationStore } from '../store/negotiations.js'
import type { TrustEvent, TrustLedger } from './trust-ledger.js'
import { clauseHash } from '../protocol/terms.js'

export interface ReceiptSink {
  append(input: AppendInput, signer: Signer): unknown
}

export interface WriteContext {
  me: string
  nowIso: string
  signer: Signer
  /** The GENESIS time, for a negotiation stored for the first time. */
  createdAt: string
}

export interface WriteResult {
  previousStatus: string | null
  trustEvents: TrustEvent[]
}

/** The state without what is derivable from the messages table or changes with every message. */
export function summaryOf(state: NegotiationState): Record<string, unknown> {
  const { applied: _a, rejected: _r, heads: _h, feeds: _f, lastLamport: _l, ...summary } = state
  return summary
}

/** The fields of a state that say whom it waits on (a stored summary has them too). */
export type WaitingFields = Pick<NegotiationState, 'participants' | 'withdrawn' | 'joined' | 'accepts' | 'finalizers' | 'requiredConsensus'>

/** DESIGN section 8, TIMEOUT: the step an open negotiation waits for and the active participants who have not taken it. */
export function waitingStep(state: WaitingFields): { step: 'join' | 'accept' | 'finalize'; on: string[] } {
  const active = state.participants.filter((p) => !state.withdrawn.includes(p))
  const notJoined = active.filter((p) => !state.joined.includes(p))
  if (notJoined.length > 0) return { step: 'join', on: notJoined }
  if (state.accepts.length < state.requiredConsensus) return { step: 'accept', on: active.filter((p) => !state.accepts.includes(p)) }
  return { step: 'finalize', on: active.filter((p) => !state.finalizers.includes(p)) }
}

/** DESIGN section 8, TIMEOUT: whom an expired negotiation was waiting on. */
export function waitingOn(state: WaitingFields): string[] {
  return waitingStep(state).on
}

function rowOf(held: HeldRow): NegotiationRow {
  const { state, ...row } = held
  return { ...row, stateJson: JSON.stringify(summaryOf(state)) }
}

/** A row update held back during a burst; its JSON is made only when it is written. */
interface HeldRow extends Omit<NegotiationRow, 'stateJson'> {
  state: NegotiationState
}

export class StateWriter {
  /** Row updates held back in the current burst, by negotiation; null outside one. */
  private held: Map<string, HeldRow> | null = null

  constructor(
    private readonly negotiations: NegotiationStore,
    private readonly ledger: TrustLedger,
    private readonly receipts: ReceiptSink,
  ) {}

  /**
   * Runs `run` (which must be inside one transaction) holding back row updates, and
   * writes them before returning, so they commit with everything else. If `run`
   * throws, what was held is dropped: the caller's transaction rolls back the rest.
   */
  coalescing<T>(run: () => T): T {
    if (this.held !== null) return run()
    this.held = new Map()
    try {
      const result = run()
      this.flush()
      return result
    } finally {
      this.held = null
    }
  }

  /** Writes every held row now (before a read of the table within a burst). */
  flush(): void {
    if (this.held === null) return
    for (const h of this.held.values()) this.negotiations.upsert(rowOf(h))
    this.held.clear()
  }

  /**
   * What is held for `id` now, to put back with the returned function when the
   * write that follows is rolled back (its savepoint failed, the burst goes on).
   */
  mark(id: string): () => void {
    const held = this.held
    if (held === null) return () => {}
    const before = held.get(id)
    return () => {
      if (before === undefined) held.delete(id)
      else held.set(id, before)
    }
  }

  write(state: NegotiationState, ctx: WriteContext): WriteResult {
    const id = state.negotiation
    const prev = this.held?.get(id) ?? this.negotiations.get(id)
    const status = state.status ?? 'INITIATED'
    const row: HeldRow = {
      id,
      title: state.title,
      status,
      termsHash: state.termsHash,
      bindingHash: state.bindingHash,
      state,
      createdAt: prev?.createdAt ?? ctx.createdAt,
      updatedAt: ctx.nowIso,
      deadline: state.deadline,
    }
    // A new negotiation's row is inserted at once: participants, messages and locks reference it.
    if (this.held !== null && prev !== undefined) this.held.set(id, row)
    else this.negotiations.upsert(rowOf(row))
    if (prev === undefined) {
      for (const p of state.participants) this.negotiations.putParticipant(id, { publicKey: p, role: 'participant', feedKey: null })
      for (const a of state.arbiters?.keys ?? []) this.negotiations.putParticipant(id, { publicKey: a, role: 'arbiter', feedKey: null })
    }
    this.writeLocks(state)
    const prevAppeal = this.negotiations.appeals(id).find((a) => a.dispute === state.appeal?.dispute)
    if (state.appeal !== null && (prevAppeal?.status !== state.appeal.status || prevAppeal.outcome !== state.appeal.outcome)) {
      const { dispute, due, status: appealStatus, outcome } = state.appeal
      this.negotiations.putAppeal(id, { dispute, due, status: appealStatus, outcome })
    }
    const trustEvents = this.recordTransitions(state, prev, ctx)
    if (status === 'EXPIRED' && prev?.status !== 'EXPIRED') {
      this.receipt(ctx, id, 'negotiation.expired', null, { deadline: state.deadline, trust: trustEvents.map((e) => e.hash) })
    }
    if (state.appeal?.status === 'LAPSED' && prevAppeal?.status !== 'LAPSED') {
      this.receipt(ctx, id, 'negotiation.lapsed', state.appeal.dispute, { due: state.appeal.due })
    }
    return { previousStatus: prev?.status ?? null, trustEvents }
  }

  private writeLocks(state: NegotiationState): void {
    const stored = this.negotiations.locks(state.negotiation)
    const wanted = state.lockedClauses.map((clauseId) => {
      const clause = state.clauses.find((c) => c.id === clauseId)!
      return { clause: clauseId, textHash: clauseHash(clause) }
    })
    const key = (locks: { clause: string; textHash: string }[]): string =>
      locks.map((l) => `${l.clause}:${l.textHash}`).sort().join(',')
    if (key(stored) !== key(wanted)) this.negotiations.replaceLocks(state.negotiation, wanted)
  }

  private recordTransitions(state: NegotiationState, prev: { status: string } | undefined, ctx: WriteContext): TrustEvent[] {
    const id = state.negotiation
    const events: TrustEvent[] = []
    const once = (kind: 'COMPLETION' | 'CONFLICT' | 'TIMEOUT', counterparty: string, ref: string | null): void => {
      if (counterparty === ctx.me || this.ledger.hasEvent(id, kind, counterparty)) return
      events.push(this.ledger.record({ counterparty, kind, negotiation: id, ref }))
    }
    // COMPLETION, on BINDING: each other signer kept their word.
    if (state.bindingHash !== null) {
      for (const signer of state.signers) once('COMPLETION', signer, null)
    }
    // CONFLICT, on dispute: against the first other signer (signers are sorted), in the observer's ledger.
    if (state.appeal !== null) {
      const against = state.signers.find((s) => s !== ctx.me)
      if (against !== undefined) once('CONFLICT', against, state.appeal.dispute)
    }
    // TIMEOUT, on expiry: against everyone the negotiation was still waiting on.
    if (state.status === 'EXPIRED' && prev?.status !== 'EXPIRED') {
      for (const p of waitingOn(state)) once('TIMEOUT', p, null)
    }
    return events
  }

  private receipt(ctx: WriteContext, negotiation: string, action: string, ref: string | null, data: Record<string, unknown>): void {
    this.receipts.append({ action, negotiation, ref, data: data as AppendInput['data'], time: ctx.nowIso }, ctx.signer)
  }
}
