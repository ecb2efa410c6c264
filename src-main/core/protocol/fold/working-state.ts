/**
 * The fold's mutable working state, built from a valid GENESIS and changed one
 * message at a time by the apply-* rules. Only fold.ts and folder.ts hold one;
 * what leaves the fold is the immutable snapshot (snapshot.ts).
 */
import type { AppealOutcome, GenesisBody } from '../body-schemas.js'
import { LIMITS } from '../body-schemas.js'
import type { FoldInput } from '../envelope-check.js'
import { timeToMs } from '../envelope-fields.js'
import type { EnvelopeOf } from '../envelope-schema.js'
import { Terms } from '../terms.js'
import type { Equivocation } from './fork-choice.js'
import { ForkChoice } from './fork-choice.js'
import type { Rejection } from './state.js'
import type { Verdict } from './verdict.js'

/** Statuses the fold itself moves through; EXPIRED and LAPSED are views at `now`. */
export type FoldStatus = 'INITIATED' | 'NEGOTIATING' | 'CONSENSUS_REACHED' | 'BINDING' | 'DISPUTED' | 'RESOLVED' | 'WITHDRAWN'

export interface WorkingAppeal {
  readonly dispute: string
  readonly disputedBy: string
  readonly due: string
  readonly dueMs: number
  status: 'OPEN' | 'DECIDED' | 'SETTLED'
  outcome: AppealOutcome | 'settled' | null
  remedy?: string
  settlement?: string
  /** One decision per arbiter for this dispute. */
  readonly decisions: Map<string, AppealOutcome>
  /** Each signer's latest settlement; a later RESOLVE replaces the earlier one. */
  readonly settlements: Map<string, string>
}

export interface WorkingState {
  readonly id: string
  readonly genesis: GenesisBody
  /** Every input known to the fold, valid or not: refs are looked up here (DESIGN section 3). */
  readonly inputs: ReadonlyMap<string, FoldInput>
  readonly participants: ReadonlySet<string>
  readonly arbiters: ReadonlySet<string>
  readonly k: number
  readonly deadlineMs: number
  readonly appealWindowDays: number

  status: FoldStatus
  terms: Terms
  /** clause id -> textHash -> non-withdrawn participants who sent LOCK for that text. */
  readonly lockVotes: Map<string, Map<string, Set<string>>>
  locked: Set<string>
  readonly accepts: Set<string>
  /** Participant -> the FINALIZE that counts for the current terms (a binding names them). */
  readonly finalizers: Map<string, string>
  signers: string[]
  bindingHash: string | null
  /** The FINALIZE that completed the binding. */
  boundBy: string | null
  /**
   * False when k finalizations in fold order are not a quorum (their joint
   * causal past does not bind, quorum.ts): the fold then never binds.
   */
  readonly bindable: boolean
  readonly joined: Set<string>
  readonly arbitersJoined: Set<string>
  readonly withdrawn: Set<string>
  /** Authors with two admissible versions of one seq, and the versions (fork-choice.ts). */
  readonly equivocators: Set<string>
  readonly equivocations: readonly Equivocation[]
  /** Which version holds each seq where others' support decides it (fork-choice.ts). */
  readonly slots: ForkChoice
  /** Each author's feed: message hashes indexed by seq. */
  readonly feeds: Map<string, string[]>
  readonly heads: Set<string>
  lastLamport: number
  appeal: WorkingAppeal | null

  readonly applied: string[]
  readonly rejected: Rejection[]
  /** True when messages were not folded in fold order (a binding's past first): applied and rejected need sorting. */
  reordered: boolean
  readonly verdicts: Map<string, Verdict>
  /** Absent refs that made a message MISSING_REF: their arrival must re-fold. */
  readonly waiting: Set<string>
}

/** The state just after a valid GENESIS; its creator has joined (DESIGN section 4). */
export function initialState(
  genesis: FoldInput,
  inputs: ReadonlyMap<string, FoldInput>,
  choice: ForkChoice = ForkChoice.NONE,
  bindable = true,
): WorkingState {
  const envelope = genesis.envelope as EnvelopeOf<'GENESIS'>
  const body = envelope.body
  return {
    id: genesis.hash,
    genesis: body,
    inputs,
    participants: new Set(body.participants),
    arbiters: new Set(body.arbiters?.keys ?? []),
    k: body.requiredConsensus,
    deadlineMs: timeToMs(body.deadline),
    appealWindowDays: body.appealWindowDays ?? LIMITS.appealWindowDays.default,
    status: 'INITIATED',
    terms: Terms.of(body.clauses),
    lockVotes: new Map(),
    locked: new Set(),
    accepts: new Set(),
    finalizers: new Map(),
    signers: [],
    bindingHash: null,
    boundBy: null,
    bindable,
    joined: new Set([envelope.author]),
    arbitersJoined: new Set(),
    withdrawn: new Set(),
    equivocators: new Set(choice.equivocators),
    equivocations: choice.equivocations,
    slots: choice,
    feeds: new Map([[envelope.author, [genesis.hash]]]),
    heads: new Set([genesis.hash]),
    lastLamport: envelope.lamport,
    appeal: null,
    applied: [],
    rejected: [],
    reordered: false,
    verdicts: new Map(),
    waiting: new Set(),
  }
}

export function isPreBinding(status: FoldStatus): boolean {
  return status === 'INITIATED' || status === 'NEGOTIATING' || status === 'CONSENSUS_REACHED'
}
