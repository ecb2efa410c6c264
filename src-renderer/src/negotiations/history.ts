/**
 * What the screens read out of a negotiation's signed timeline (DESIGN sections
 * 3, 4 and 11): the terms each offer changed, who locked each clause, and who
 * accepted or finalized which terms hash. The core computes it from the whole
 * timeline (`state.history`, and each OFFER's `before`), so the screen needs only
 * the window of the timeline it draws; this module shapes it for the screens.
 * DOM-free and pure.
 */
import type { Clause, ClauseChange, NegotiationState, PublicKeyHex, SignedFor, TimelineEntry } from '../../../src-main/api.js'

export type { SignedFor }

export interface OfferView {
  entry: TimelineEntry
  /** The terms it was judged against: the applied terms just before it, in fold order. */
  before: readonly Clause[]
  changes: readonly ClauseChange[]
  note: string | null
  base: string
}

export interface History {
  /** The OFFERs of the timeline window the state holds, with the terms before each. */
  offers: Map<string, OfferView>
  /** Clause id -> participants whose applied LOCK counts for the clause's current text. */
  lockedBy: Map<string, PublicKeyHex[]>
  /** The latest applied ACCEPTs and FINALIZEs, in fold order, each with the terms hash it named; the counts say how many in all. */
  accepts: SignedFor[]
  finalizations: SignedFor[]
  acceptCount: number
  finalizeCount: number
  /** Arbiters whose decision on the open dispute is applied. */
  decided: PublicKeyHex[]
  /** Signers whose RESOLVE is applied, with the settlement each last proposed. */
  settlements: Map<PublicKeyHex, string>
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

export function readHistory(state: NegotiationState): History {
  const offers = new Map<string, OfferView>()
  for (const entry of state.timeline) {
    if (entry.type !== 'OFFER' || entry.before === undefined) continue
    const body = entry.body
    const changes = Array.isArray(body.changes) ? (body.changes as unknown as ClauseChange[]) : []
    offers.set(entry.hash, { entry, before: entry.before, changes, note: str(body.note), base: str(body.base) ?? '' })
  }
  const h = state.history
  return {
    offers,
    lockedBy: new Map(Object.entries(h.lockedBy)),
    accepts: h.accepts,
    finalizations: h.finalizations,
    acceptCount: h.acceptCount,
    finalizeCount: h.finalizeCount,
    decided: h.decided,
    settlements: new Map(Object.entries(h.settlements)),
  }
}

/** The DISPUTE message of the open (or closed) appeal. */
export function disputeOf(state: NegotiationState): { reason: string; evidence: string | null; author: PublicKeyHex; time: string } | null {
  return state.appeal === null ? null : state.history.dispute
}
