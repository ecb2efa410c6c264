/**
 * One step of the fold: judge one message against the working state, apply it
 * or record why not. A rejected message changes nothing but the rejection list
 * (and, for a feed entry, its author's seq; for EQUIVOCATION, the mark).
 */
import type { FoldInput } from '../envelope-check.js'
import { timeToMs } from '../envelope-fields.js'
import { admitToFeed } from './admit-to-feed.js'
import { applyAppealDecision, applyDispute, applyResolve } from './apply-appeal.js'
import { applyAccept, applyFinalize } from './apply-consensus.js'
import { applyJoin, applyWithdraw } from './apply-membership.js'
import { applyLock, applyOffer } from './apply-terms.js'
import type { RejectReason } from './reasons.js'
import type { Verdict } from './verdict.js'
import { APPLIED, rejected } from './verdict.js'
import type { WorkingState } from './working-state.js'

/** DESIGN section 4: after BINDING these would change the terms or who is bound. */
const IMMUTABLE_AFTER_BINDING: ReadonlySet<string> = new Set(['OFFER', 'LOCK', 'ACCEPT', 'FINALIZE', 'WITHDRAW'])

/** Applies `input`, which must sort after every message of its causal past already folded into `ws`. */
export function applyInput(ws: WorkingState, input: FoldInput): Verdict {
  const reason = input.hash === ws.id ? null : admitToFeed(ws, input) ?? judge(ws, input)
  const verdict = reason === null ? APPLIED : rejected(reason)
  ws.verdicts.set(input.hash, verdict)
  if (reason === null) {
    if (ws.bindingHash !== null && ws.boundBy === null) ws.boundBy = input.hash
    ws.applied.push(input.hash)
  } else {
    const env = input.envelope
    ws.rejected.push({ hash: input.hash, author: env.author, type: env.type, seq: env.seq, reason })
  }
  return verdict
}

function judge(ws: WorkingState, input: FoldInput): RejectReason | null {
  const env = input.envelope
  if (ws.withdrawn.has(env.author)) return 'AUTHOR_WITHDRAWN'
  const bound = ws.bindingHash !== null
  if (bound && IMMUTABLE_AFTER_BINDING.has(env.type)) return 'IMMUTABLE'
  if (ws.status === 'WITHDRAWN' || ws.status === 'RESOLVED') return 'FINAL'
  // A pre-binding message after the deadline is LATE (DESIGN section 4).
  if (!bound && timeToMs(env.time) > ws.deadlineMs) return 'LATE'
  switch (env.type) {
    case 'JOIN':
      return applyJoin(ws, env)
    case 'OFFER':
      return applyOffer(ws, env)
    case 'LOCK':
      return applyLock(ws, env)
    case 'ACCEPT':
      return applyAccept(ws, env)
    case 'FINALIZE':
      return applyFinalize(ws, env, input.hash)
    case 'WITHDRAW':
      return applyWithdraw(ws, env)
    case 'DISPUTE':
      return applyDispute(ws, env, input.hash)
    case 'APPEAL_DECISION':
      return applyAppealDecision(ws, env)
    case 'RESOLVE':
      return applyResolve(ws, env)
    case 'GENESIS':
      // admitToFeed only lets this negotiation's own GENESIS through, handled above.
      return 'WRONG_NEGOTIATION'
  }
}
