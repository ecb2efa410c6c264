/** The result of the negotiation fold (DESIGN section 4): plain, JSON-friendly data. */
import type { Arbiters, MessageType } from '../body-schemas.js'
import type { InvalidReason, RejectReason } from './reasons.js'

export type { Clause } from '../terms.js'
export type { Arbiters, MessageType } from '../body-schemas.js'
export type { InvalidReason, RejectReason } from './reasons.js'
import type { Clause } from '../terms.js'
import type { Equivocation } from './fork-choice.js'
export type { Equivocation } from './fork-choice.js'

export type NegotiationStatus =
  | 'INITIATED'
  | 'NEGOTIATING'
  | 'CONSENSUS_REACHED'
  | 'BINDING'
  | 'DISPUTED'
  | 'RESOLVED'
  | 'EXPIRED'
  | 'WITHDRAWN'

export type AppealStatus = 'OPEN' | 'LAPSED' | 'DECIDED' | 'SETTLED'

export interface Appeal {
  /** Hash of the DISPUTE envelope. */
  readonly dispute: string
  readonly disputedBy: string
  /** The dispute's time plus appealWindowDays days, ISO 8601. */
  readonly due: string
  readonly status: AppealStatus
  /** The arbiters' outcome when DECIDED, 'settled' when SETTLED, else null. */
  readonly outcome: 'upheld' | 'rejected' | 'settled' | null
  /** The remedy of the decision that reached the threshold, if it named one. */
  readonly remedy?: string
  /** The settlement every signer sent, when SETTLED. */
  readonly settlement?: string
}

export interface Rejection {
  readonly hash: string
  readonly author: string
  readonly type: MessageType
  readonly seq: number
  readonly reason: RejectReason
}

export interface NegotiationState {
  readonly negotiation: string
  /**
   * Absent when the negotiation is valid. When present, the GENESIS is missing,
   * badly signed or breaks section 4: `status` is absent, the description
   * fields are empty and every message is rejected.
   */
  readonly invalid?: InvalidReason
  /** Absent only when `invalid`. EXPIRED and LAPSED are evaluated at the fold's `now`. */
  readonly status?: NegotiationStatus
  readonly title: string
  /** Creator first, as in GENESIS. */
  readonly participants: readonly string[]
  readonly arbiters: Arbiters | null
  /** k: distinct participants needed for consensus, finalization and locks. */
  readonly requiredConsensus: number
  readonly appealWindowDays: number
  readonly deadline: string
  /** The terms: GENESIS clauses in order, added clauses appended. */
  readonly clauses: readonly Clause[]
  readonly termsHash: string
  /** Ids of clauses locked by k non-withdrawn participants, in terms order. */
  readonly lockedClauses: readonly string[]
  /** Non-withdrawn participants whose ACCEPT counts for the current terms, sorted. */
  readonly accepts: readonly string[]
  /** Non-withdrawn participants whose FINALIZE counts for the current terms, sorted. */
  readonly finalizers: readonly string[]
  /** The finalizers when BINDING was reached, sorted; empty before. */
  readonly signers: readonly string[]
  /** SHA-256 hex of JCS {negotiation, termsHash, signers}; null before BINDING. */
  readonly bindingHash: string | null
  /** Participants who joined (the creator by its GENESIS), sorted. */
  readonly joined: readonly string[]
  /** Arbiters who sent JOIN, sorted. They never count toward n or k. */
  readonly arbitersJoined: readonly string[]
  readonly withdrawn: readonly string[]
  readonly equivocators: readonly string[]
  /** Each (author, seq) signed in two or more admissible versions: the evidence, by author and seq. */
  readonly equivocations: readonly Equivocation[]
  readonly appeal: Appeal | null
  /** Hashes of applied messages, in fold order (lamport, hash), GENESIS first. */
  readonly applied: readonly string[]
  /** Rejected messages in fold order. Exact duplicates are not listed. */
  readonly rejected: readonly Rejection[]
  /** Feed entries no other feed entry refers to, sorted: the refs of a next message. */
  readonly heads: readonly string[]
  /** Highest lamport among feed entries; a next message uses lastLamport + 1. */
  readonly lastLamport: number
  /** Per author with a feed: the next seq and the hash of its last feed entry. */
  readonly feeds: Readonly<Record<string, { readonly nextSeq: number; readonly tip: string }>>
}
