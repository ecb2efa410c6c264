/**
 * Why the fold rejected a message (DESIGN section 4). The codes are stable:
 * they are stored with each message, shown in timelines and printed by
 * `trust verify`. Never rename one; add new ones at the end of a group.
 */
export const REJECT_REASONS = [
  // Envelope-level: checked before the message can take a place in its author's feed.
  'NO_VALID_GENESIS', // the negotiation's GENESIS is missing or invalid, so nothing can apply
  'BAD_GENESIS', // this GENESIS breaks the rules of section 4 (the negotiation is invalid)
  'BAD_SIGNATURE', // the signature does not verify (strict RFC 8032)
  'WRONG_NEGOTIATION', // for another negotiation, or a second GENESIS
  'NOT_PARTICIPANT', // the author is not a participant (nor an arbiter, for JOIN and APPEAL_DECISION)
  'EQUIVOCATION', // a different message already holds this (author, seq)
  'MISSING_REF', // a ref is not a correctly signed message of this negotiation in the input
  'BAD_LAMPORT', // lamport is not 1 + the highest lamport among the refs
  'BAD_SEQ', // seq is not the author's next, or refs skip the author's previous message
  // State-level: the message is a genuine feed entry but illegal now.
  'AUTHOR_WITHDRAWN', // a withdrawn participant can send nothing more
  'IMMUTABLE', // OFFER, LOCK, ACCEPT, FINALIZE or WITHDRAW after BINDING
  'FINAL', // the negotiation is WITHDRAWN or RESOLVED
  'LATE', // pre-binding message after the deadline, or decision/resolve after the appeal due time
  'WRONG_STATE', // not legal in the current status (e.g. OFFER while INITIATED, FINALIZE before consensus)
  'DUPLICATE_ACTION', // the author already did exactly this (second JOIN, same ACCEPT/LOCK/FINALIZE/decision)
  'SUPERSEDED', // OFFER whose base is not the current terms hash
  'UNKNOWN_CLAUSE', // OFFER set/remove or LOCK of a clause that is not in the terms
  'CLAUSE_EXISTS', // OFFER add of a clause id already in the terms
  'CLAUSE_LOCKED', // OFFER that sets or removes a locked clause
  'TERMS_LIMIT', // OFFER leaving no clause or more than the maximum
  'NO_CHANGE', // OFFER that leaves the terms hash as it is
  'STALE_TERMS', // ACCEPT/FINALIZE of other terms, LOCK of another text of the clause
  'NOT_SIGNER', // DISPUTE or RESOLVE by a participant who did not sign the binding
  'WRONG_DISPUTE', // APPEAL_DECISION or RESOLVE naming another dispute than the open one
] as const

export type RejectReason = (typeof REJECT_REASONS)[number]

/** Why a whole negotiation is invalid: its GENESIS is absent, badly signed or breaks section 4. */
export type InvalidReason = 'NO_GENESIS' | 'BAD_GENESIS_SIGNATURE' | 'BAD_GENESIS'
