/**
 * What the screens read out of a negotiation's signed timeline (DESIGN sections
 * 3 and 4): the terms each offer changed, who locked each clause, and who
 * accepted or finalized which terms hash. The fold stays the judge: only
 * messages it applied count here, in fold order, as it applied them.
 * DOM-free and pure.
 */
import type { Clause, ClauseChange, NegotiationState, PublicKeyHex, TimelineEntry } from '../../../src-main/api.js'

export interface OfferView {
  entry: TimelineEntry
  /** The terms it was judged against: the applied terms just before it, in fold order. */
  before: readonly Clause[]
  changes: readonly ClauseChange[]
  note: string | null
  base: string
}

export interface SignedFor {
  author: PublicKeyHex
  termsHash: string
  time: string
  hash: string
}

export interface History {
  /** Every OFFER in the timeline (applied or not), with the terms before it. */
  offers: Map<string, OfferView>
  /** Clause id -> participants whose applied LOCK counts for the clause's current text. */
  lockedBy: Map<string, PublicKeyHex[]>
  /** Applied ACCEPTs and FINALIZEs, in fold order, each with the terms hash it named. */
  accepts: SignedFor[]
  finalizations: SignedFor[]
  /** Arbiters whose decision on the open dispute is applied. */
  decided: PublicKeyHex[]
  /** Signers whose RESOLVE is applied, with the settlement each last proposed. */
  settlements: Map<PublicKeyHex, string>
}

function isClauseList(value: unknown): value is Clause[] {
  return Array.isArray(value) && value.every((c) => typeof c === 'object' && c !== null && typeof (c as Clause).id === 'string')
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** The terms after `changes`, as the fold applies an OFFER (set, add, remove, in order). */
export function applyChanges(terms: readonly Clause[], changes: readonly ClauseChange[]): Clause[] {
  let next = terms.map((c) => ({ ...c }))
  for (const ch of changes) {
    if (ch.op === 'remove') next = next.filter((c) => c.id !== ch.clause)
    else if (ch.op === 'add') next.push({ id: ch.clause, title: ch.title ?? '', text: ch.text ?? '' })
    else
      next = next.map((c) =>
        c.id === ch.clause ? { id: c.id, title: ch.title ?? c.title, text: ch.text ?? c.text } : c,
      )
  }
  return next
}

export function readHistory(state: NegotiationState): History {
  const offers = new Map<string, OfferView>()
  const lockedBy = new Map<string, PublicKeyHex[]>()
  const accepts: SignedFor[] = []
  const finalizations: SignedFor[] = []
  const decided: PublicKeyHex[] = []
  const settlements = new Map<PublicKeyHex, string>()
  let terms: Clause[] = []
  const withdrawn = new Set(state.withdrawn)

  for (const entry of state.timeline) {
    const body = entry.body
    const applied = entry.verdict === 'applied'
    switch (entry.type) {
      case 'GENESIS':
        if (applied && isClauseList(body.clauses)) terms = body.clauses.map((c) => ({ id: c.id, title: c.title, text: c.text }))
        break
      case 'OFFER': {
        const changes = Array.isArray(body.changes) ? (body.changes as unknown as ClauseChange[]) : []
        offers.set(entry.hash, { entry, before: terms, changes, note: str(body.note), base: str(body.base) ?? '' })
        if (applied) {
          terms = applyChanges(terms, changes)
          // A changed or removed clause loses its locks: they were for its old text.
          for (const ch of changes) lockedBy.delete(ch.clause)
        }
        break
      }
      case 'LOCK': {
        const clause = str(body.clause)
        if (applied && clause !== null) {
          const who = lockedBy.get(clause) ?? []
          if (!who.includes(entry.author)) lockedBy.set(clause, [...who, entry.author])
        }
        break
      }
      case 'ACCEPT':
      case 'FINALIZE': {
        const termsHash = str(body.termsHash)
        if (applied && termsHash !== null) {
          const signed = { author: entry.author, termsHash, time: entry.time, hash: entry.hash }
          ;(entry.type === 'ACCEPT' ? accepts : finalizations).push(signed)
        }
        break
      }
      case 'APPEAL_DECISION':
        if (applied && state.appeal !== null && body.dispute === state.appeal.dispute) decided.push(entry.author)
        break
      case 'RESOLVE': {
        const settlement = str(body.settlement)
        if (applied && settlement !== null) settlements.set(entry.author, settlement)
        break
      }
    }
  }
  // A withdrawal removes the author's locks (DESIGN section 4).
  for (const [clause, who] of lockedBy) {
    const kept = who.filter((p) => !withdrawn.has(p))
    if (kept.length === 0) lockedBy.delete(clause)
    else lockedBy.set(clause, kept)
  }
  return { offers, lockedBy, accepts, finalizations, decided, settlements }
}

/** The DISPUTE message of the open (or closed) appeal, when the timeline has it. */
export function disputeOf(state: NegotiationState): { reason: string; evidence: string | null; author: PublicKeyHex; time: string } | null {
  if (state.appeal === null) return null
  const entry = state.timeline.find((e) => e.hash === state.appeal!.dispute)
  if (entry === undefined) return null
  return { reason: str(entry.body.reason) ?? '', evidence: str(entry.body.evidence), author: entry.author, time: entry.time }
}
