/**
 * What a detail view reads out of a negotiation's signed timeline (DESIGN
 * section 11), computed here so a client never needs the whole timeline: who
 * locked each clause, the latest acceptances and finalizations with the terms
 * hash each named, the arbiters who decided, the settlements proposed, the
 * dispute's text, the verdict of every version of an equivocated message, and
 * for each OFFER the terms it was judged against (for its diff). The fold stays
 * the judge: only messages it applied count, in fold order, as it applied them.
 * Pure; one pass over the timeline.
 */
import { Terms, type Clause, type ClauseChange } from '../protocol/terms.js'
import type { Verdict } from '../store/messages.js'
import type { TimelineEntry } from './service-types.js'

export interface SignedFor {
  author: string
  termsHash: string
  time: string
  hash: string
}

export interface TimelineHistory {
  /** Clause id -> participants whose applied LOCK named its current text, in the order they locked. */
  lockedBy: Record<string, string[]>
  acceptCount: number
  finalizeCount: number
  /** The latest applied ACCEPTs and FINALIZEs, at most LATEST_SIGNED each, in fold order. */
  accepts: SignedFor[]
  finalizations: SignedFor[]
  /** Arbiters whose APPEAL_DECISION on the current dispute is applied. */
  decided: string[]
  /** Signer -> the settlement its latest applied RESOLVE proposed. */
  settlements: Record<string, string>
  /** The DISPUTE of the appeal, when the timeline holds it. */
  dispute: { author: string; reason: string; evidence: string | null; time: string } | null
  /** Every version of an equivocated message -> its verdict. */
  versions: Record<string, { verdict: Verdict; reason: string | null }>
}

/** Enough for "the latest" a person reads; the counts say how many there are. */
export const LATEST_SIGNED = 50

export interface HistoryInput {
  appeal: { dispute: string } | null
  withdrawn: readonly string[]
  equivocations: readonly { hashes: readonly string[] }[]
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

function isClauseList(value: unknown): value is Clause[] {
  return Array.isArray(value) && value.every((c) => typeof c === 'object' && c !== null && typeof (c as Clause).id === 'string')
}

function changesOf(value: unknown): ClauseChange[] {
  return Array.isArray(value) ? value.filter((c): c is ClauseChange => typeof c === 'object' && c !== null && typeof c.clause === 'string') : []
}

function pushLatest(list: SignedFor[], item: SignedFor): void {
  list.push(item)
  if (list.length > LATEST_SIGNED * 2) list.splice(0, list.length - LATEST_SIGNED)
}

/**
 * One pass over `timeline` (fold order). `offersIn` is the index range whose
 * OFFERs get the terms before them (`before`, by index): a window asks only for
 * its own, a full timeline for all.
 */
export function timelineHistory(
  timeline: readonly TimelineEntry[],
  state: HistoryInput,
  offersIn: { from: number; to: number } = { from: 0, to: timeline.length },
): { history: TimelineHistory; before: Map<number, Clause[]> } {
  // Clause id -> the text hash a LOCK named -> who, as the fold counts votes (section 4): a
  // vote counts while the clause has the text it named, again if an offer brings that text back.
  const votes = new Map<string, Map<string, string[]>>()
  const accepts: SignedFor[] = []
  const finalizations: SignedFor[] = []
  let acceptCount = 0
  let finalizeCount = 0
  const decided: string[] = []
  const settlements: Record<string, string> = {}
  let dispute: TimelineHistory['dispute'] = null
  const before = new Map<number, Clause[]>()
  const equivocated = new Set(state.equivocations.flatMap((e) => e.hashes))
  const versions: TimelineHistory['versions'] = {}
  let terms = Terms.of([])

  timeline.forEach((entry, index) => {
    const body = entry.body
    const applied = entry.verdict === 'applied'
    if (equivocated.has(entry.hash)) versions[entry.hash] = { verdict: entry.verdict, reason: entry.reason }
    switch (entry.type) {
      case 'GENESIS':
        if (applied && isClauseList(body.clauses)) terms = Terms.of(body.clauses)
        break
      case 'OFFER': {
        if (index >= offersIn.from && index < offersIn.to) before.set(index, terms.clauses)
        if (applied) {
          // The fold applied it, so it applies here (locks were checked there).
          const next = terms.apply(changesOf(body.changes), new Set())
          if (next.ok) terms = next.terms
        }
        break
      }
      case 'LOCK': {
        const clause = str(body.clause)
        const textHash = str(body.textHash)
        if (applied && clause !== null && textHash !== null) {
          const byText = votes.get(clause) ?? new Map<string, string[]>()
          votes.set(clause, byText)
          const who = byText.get(textHash) ?? []
          if (!who.includes(entry.author)) byText.set(textHash, [...who, entry.author])
        }
        break
      }
      case 'ACCEPT':
      case 'FINALIZE': {
        const termsHash = str(body.termsHash)
        if (applied && termsHash !== null) {
          const signed = { author: entry.author, termsHash, time: entry.time, hash: entry.hash }
          if (entry.type === 'ACCEPT') {
            acceptCount++
            pushLatest(accepts, signed)
          } else {
            finalizeCount++
            pushLatest(finalizations, signed)
          }
        }
        break
      }
      case 'DISPUTE':
        if (state.appeal !== null && entry.hash === state.appeal.dispute) {
          dispute = { author: entry.author, reason: str(body.reason) ?? '', evidence: str(body.evidence), time: entry.time }
        }
        break
      case 'APPEAL_DECISION':
        if (applied && state.appeal !== null && body.dispute === state.appeal.dispute) decided.push(entry.author)
        break
      case 'RESOLVE': {
        const settlement = str(body.settlement)
        if (applied && settlement !== null) settlements[entry.author] = settlement
        break
      }
    }
  })
  // A withdrawal removes the author's locks (DESIGN section 4).
  const withdrawn = new Set(state.withdrawn)
  const locks: Record<string, string[]> = {}
  for (const [clause, byText] of votes) {
    const current = terms.clauseHash(clause)
    const kept = (current === undefined ? [] : (byText.get(current) ?? [])).filter((p) => !withdrawn.has(p))
    if (kept.length > 0) locks[clause] = kept
  }
  return {
    history: {
      lockedBy: locks,
      acceptCount,
      finalizeCount,
      accepts: accepts.slice(-LATEST_SIGNED),
      finalizations: finalizations.slice(-LATEST_SIGNED),
      decided,
      settlements,
      dispute,
      versions,
    },
    before,
  }
}
