/**
 * Which actions the user may take now: the renderer's mirror of the core's
 * src-main/core/negotiation/action-guard.ts (who may send what, in which
 * status). It only decides which buttons to show; the core checks again and
 * the fold stays the judge. test/unit/renderer-legal-actions.test.ts compares
 * the two on real folded states.
 */
import type { NegotiationState, PublicKeyHex } from '../../../src-main/api.js'
import type { History } from './history.js'

export type UserAction = 'offer' | 'lock' | 'accept' | 'finalize' | 'withdraw' | 'dispute' | 'decide' | 'resolve'

export interface Legal {
  actions: ReadonlySet<UserAction>
  /** Clause ids this user may still lock (not locked by k, not locked by this user for its current text). */
  lockable: ReadonlySet<string>
}

const OPEN_TERMS = new Set(['NEGOTIATING', 'CONSENSUS_REACHED'])

export function legalActions(state: NegotiationState, me: PublicKeyHex, history: Pick<History, 'lockedBy' | 'decided'>): Legal {
  const actions = new Set<UserAction>()
  const lockable = new Set<string>()
  const result = { actions, lockable }
  const status = state.status
  const isParticipant = state.participants.includes(me)
  const isArbiter = state.arbiters?.keys.includes(me) ?? false
  if (state.withdrawn.includes(me)) return result
  if (status === 'WITHDRAWN' || status === 'RESOLVED' || status === 'EXPIRED') return result

  if (isParticipant && state.bindingHash === null) {
    // INITIATED: only withdrawing; the others wait for everyone to join.
    actions.add('withdraw')
    if (OPEN_TERMS.has(status)) {
      actions.add('offer')
      if (!state.accepts.includes(me)) actions.add('accept')
      for (const c of state.clauses) {
        if (state.lockedClauses.includes(c.id)) continue
        if (history.lockedBy.get(c.id)?.includes(me)) continue
        lockable.add(c.id)
      }
      if (lockable.size > 0) actions.add('lock')
    }
    if (status === 'CONSENSUS_REACHED' && !state.finalizers.includes(me)) actions.add('finalize')
  }
  if (status === 'BINDING' && state.signers.includes(me)) actions.add('dispute')
  if (status === 'DISPUTED' && state.appeal?.status === 'OPEN') {
    if (isArbiter && !history.decided.includes(me)) actions.add('decide')
    if (state.signers.includes(me)) actions.add('resolve')
  }
  return result
}
