/**
 * OFFER and LOCK (DESIGN section 4). An OFFER applies to the terms it names as
 * `base` or not at all (SUPERSEDED), and as a whole or not at all. Applying one
 * voids every accept and finalization: they were for the old terms.
 */
import type { EnvelopeOf } from '../envelope-schema.js'
import { progress, recomputeLocks } from './progress.js'
import type { RejectReason } from './reasons.js'
import type { WorkingState } from './working-state.js'

function canNegotiate(ws: WorkingState): boolean {
  return ws.status === 'NEGOTIATING' || ws.status === 'CONSENSUS_REACHED'
}

export function applyOffer(ws: WorkingState, env: EnvelopeOf<'OFFER'>): RejectReason | null {
  if (!canNegotiate(ws)) return 'WRONG_STATE'
  if (env.body.base !== ws.terms.hash) return 'SUPERSEDED'
  const result = ws.terms.apply(env.body.changes, ws.locked)
  if (!result.ok) return result.problem
  ws.terms = result.terms
  ws.accepts.clear()
  ws.finalizers.clear()
  // A clause changed back to a text k participants had locked is locked again.
  recomputeLocks(ws)
  progress(ws)
  return null
}

export function applyLock(ws: WorkingState, env: EnvelopeOf<'LOCK'>): RejectReason | null {
  if (!canNegotiate(ws)) return 'WRONG_STATE'
  const { clause, textHash } = env.body
  const current = ws.terms.clauseHash(clause)
  if (current === undefined) return 'UNKNOWN_CLAUSE'
  if (textHash !== current) return 'STALE_TERMS'
  let byText = ws.lockVotes.get(clause)
  if (byText === undefined) ws.lockVotes.set(clause, (byText = new Map()))
  let voters = byText.get(textHash)
  if (voters === undefined) byText.set(textHash, (voters = new Set()))
  if (voters.has(env.author)) return 'DUPLICATE_ACTION'
  voters.add(env.author)
  if (voters.size >= ws.k) ws.locked.add(clause)
  return null
}
