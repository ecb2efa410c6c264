/**
 * JOIN and WITHDRAW (DESIGN section 4). The creator's GENESIS is its JOIN;
 * arbiters may JOIN (their feed key is how their decisions replicate) but never
 * count toward n or k. A withdrawal drops the author's accepts, locks and
 * finalizations, and ends the negotiation when fewer than k remain.
 */
import type { EnvelopeOf } from '../envelope-schema.js'
import { progress, recomputeLocks } from './progress.js'
import type { RejectReason } from './reasons.js'
import type { WorkingState } from './working-state.js'

export function applyJoin(ws: WorkingState, env: EnvelopeOf<'JOIN'>): RejectReason | null {
  if (ws.arbiters.has(env.author)) {
    if (ws.arbitersJoined.has(env.author)) return 'DUPLICATE_ACTION'
    ws.arbitersJoined.add(env.author)
    return null
  }
  if (ws.joined.has(env.author)) return 'DUPLICATE_ACTION'
  ws.joined.add(env.author)
  progress(ws)
  return null
}

/** Only reached before BINDING: after it the dispatcher rejects WITHDRAW as IMMUTABLE. */
export function applyWithdraw(ws: WorkingState, env: EnvelopeOf<'WITHDRAW'>): RejectReason | null {
  const author = env.author
  ws.withdrawn.add(author)
  ws.accepts.delete(author)
  ws.finalizers.delete(author)
  for (const byText of ws.lockVotes.values()) {
    for (const voters of byText.values()) voters.delete(author)
  }
  recomputeLocks(ws)
  progress(ws)
  return null
}
