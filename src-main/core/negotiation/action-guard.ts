/**
 * Refuses an action the fold would reject, before anything is signed
 * (DESIGN sections 4 and 11). It mirrors the fold's dispatcher in
 * protocol/fold/apply-message.ts: who may send what, in which status. The fold
 * stays the judge: the service still folds its own message and refuses to
 * store it if the verdict is not `applied`.
 */
import { TrustError } from '../errors.js'
import type { NegotiationState } from '../protocol/fold/state.js'
import type { MessageType } from '../protocol/body-schemas.js'
import type { RejectReason } from '../protocol/fold/reasons.js'

export type ActionType = Exclude<MessageType, 'GENESIS'>

/** DESIGN section 4: after BINDING these would change the terms or who is bound. */
const IMMUTABLE_AFTER_BINDING: ReadonlySet<ActionType> = new Set(['OFFER', 'LOCK', 'ACCEPT', 'FINALIZE', 'WITHDRAW'])

const EXPLAIN: Partial<Record<RejectReason | 'EXPIRED', string>> = {
  NOT_PARTICIPANT: 'you are not a participant of this negotiation',
  AUTHOR_WITHDRAWN: 'you withdrew from this negotiation and can send nothing more',
  IMMUTABLE: 'the agreement is binding: its terms can no longer change',
  FINAL: 'the negotiation is over',
  EXPIRED: 'the deadline has passed',
  LATE: 'the appeal window has closed',
  WRONG_STATE: 'not possible in the current status',
  DUPLICATE_ACTION: 'you already did this',
  NOT_SIGNER: 'only a signer of the binding agreement can do this',
  WRONG_DISPUTE: 'that is not the open dispute',
}

export function refuse(reason: RejectReason | 'EXPIRED', status: string | undefined, more?: string): TrustError {
  const text = `${EXPLAIN[reason] ?? reason}${more === undefined ? '' : ` (${more})`} [${reason}; status ${status ?? 'invalid'}]`
  return TrustError.illegal(text, { reason, status: status ?? null })
}

/** Throws ILLEGAL_ACTION (detail.reason = the fold's reason code) when `me` may not send `type` now. */
export function assertAllowed(state: NegotiationState, me: string, type: ActionType): void {
  const status = state.status
  if (state.invalid !== undefined || status === undefined) {
    throw new TrustError('INVALID_NEGOTIATION', `the negotiation is invalid (${state.invalid ?? 'no status'})`)
  }
  const isParticipant = state.participants.includes(me)
  const isArbiter = state.arbiters?.keys.includes(me) ?? false
  const allowed = type === 'APPEAL_DECISION' ? isArbiter : type === 'JOIN' ? isParticipant || isArbiter : isParticipant
  if (!allowed) throw refuse('NOT_PARTICIPANT', status, type === 'APPEAL_DECISION' ? 'only an arbiter decides an appeal' : undefined)
  if (state.withdrawn.includes(me)) throw refuse('AUTHOR_WITHDRAWN', status)
  if (state.bindingHash !== null && IMMUTABLE_AFTER_BINDING.has(type)) throw refuse('IMMUTABLE', status)
  if (status === 'WITHDRAWN' || status === 'RESOLVED') throw refuse('FINAL', status)
  // state(now) says EXPIRED exactly when a message stamped now would be LATE.
  if (status === 'EXPIRED') throw refuse('EXPIRED', status, `deadline ${state.deadline}`)

  switch (type) {
    case 'JOIN': {
      const joined = isArbiter ? state.arbitersJoined : state.joined
      if (joined.includes(me)) throw refuse('DUPLICATE_ACTION', status, 'you have joined already')
      return
    }
    case 'OFFER':
    case 'LOCK':
    case 'ACCEPT':
      if (status !== 'NEGOTIATING' && status !== 'CONSENSUS_REACHED') {
        throw refuse('WRONG_STATE', status, status === 'INITIATED' ? 'waiting for every participant to join' : undefined)
      }
      if (type === 'ACCEPT' && state.accepts.includes(me)) throw refuse('DUPLICATE_ACTION', status, 'you accepted these terms already')
      return
    case 'FINALIZE':
      if (status !== 'CONSENSUS_REACHED') throw refuse('WRONG_STATE', status, 'finalize needs consensus on the terms first')
      if (state.finalizers.includes(me)) throw refuse('DUPLICATE_ACTION', status, 'you finalized these terms already')
      return
    case 'WITHDRAW':
      return
    case 'DISPUTE':
      if (status !== 'BINDING') throw refuse('WRONG_STATE', status, 'only a binding agreement can be disputed')
      if (!state.signers.includes(me)) throw refuse('NOT_SIGNER', status)
      return
    case 'APPEAL_DECISION':
    case 'RESOLVE':
      if (status !== 'DISPUTED' || state.appeal === null) throw refuse('WRONG_STATE', status, 'there is no open dispute')
      if (state.appeal.status === 'LAPSED') throw refuse('LATE', status, `due ${state.appeal.due}`)
      if (state.appeal.status !== 'OPEN') throw refuse('WRONG_STATE', status, 'the appeal is closed')
      if (type === 'RESOLVE' && !state.signers.includes(me)) throw refuse('NOT_SIGNER', status)
      return
  }
}
