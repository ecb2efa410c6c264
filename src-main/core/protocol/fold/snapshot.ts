/**
 * Turns the working state into the immutable NegotiationState, evaluating the
 * two statuses that depend on the clock at `now` (DESIGN section 4): EXPIRED
 * (not yet BINDING and past the deadline) and an appeal LAPSED (past its due
 * time, neither decided nor settled; the state stays DISPUTED).
 */
import type { FoldInput } from '../envelope-check.js'
import { compareFoldOrder } from './order.js'
import type { InvalidReason, RejectReason } from './reasons.js'
import type { Appeal, NegotiationState, NegotiationStatus, Rejection } from './state.js'
import type { WorkingState } from './working-state.js'
import { isPreBinding } from './working-state.js'

const sorted = (values: Iterable<string>): string[] => [...values].sort()

export function snapshot(ws: WorkingState, now: number, inputs: ReadonlyMap<string, FoldInput> = ws.inputs): NegotiationState {
  const status: NegotiationStatus = isPreBinding(ws.status) && now > ws.deadlineMs ? 'EXPIRED' : ws.status
  const feeds: Record<string, { nextSeq: number; tip: string }> = {}
  for (const author of sorted(ws.feeds.keys())) {
    const feed = ws.feeds.get(author)!
    feeds[author] = { nextSeq: feed.length, tip: feed[feed.length - 1]! }
  }
  const g = ws.genesis
  return {
    negotiation: ws.id,
    status,
    title: g.title,
    participants: [...g.participants],
    arbiters: g.arbiters === undefined ? null : { keys: [...g.arbiters.keys], threshold: g.arbiters.threshold },
    requiredConsensus: ws.k,
    appealWindowDays: ws.appealWindowDays,
    deadline: g.deadline,
    clauses: ws.terms.clauses,
    termsHash: ws.terms.hash,
    lockedClauses: ws.terms.ids.filter((id) => ws.locked.has(id)),
    accepts: sorted(ws.accepts),
    finalizers: sorted(ws.finalizers.keys()),
    signers: [...ws.signers],
    bindingHash: ws.bindingHash,
    joined: sorted(ws.joined),
    arbitersJoined: sorted(ws.arbitersJoined),
    withdrawn: sorted(ws.withdrawn),
    equivocators: sorted(ws.equivocators),
    equivocations: ws.equivocations.map((e) => ({ author: e.author, seq: e.seq, hashes: [...e.hashes] })),
    appeal: appealAt(ws, now),
    applied: inFoldOrder(ws.reordered, [...ws.applied], (h) => h, inputs),
    rejected: inFoldOrder(ws.reordered, ws.rejected.map((r) => ({ ...r })), (r) => r.hash, inputs),
    heads: sorted(ws.heads),
    lastLamport: ws.lastLamport,
    feeds,
  }
}

/** A binding's causal past is folded first (fold-set.ts): lists then go back to fold order. */
function inFoldOrder<T>(reordered: boolean, items: T[], hashOf: (item: T) => string, inputs: ReadonlyMap<string, FoldInput>): T[] {
  if (!reordered) return items
  return items.sort((a, b) => compareFoldOrder(inputs.get(hashOf(a))!, inputs.get(hashOf(b))!))
}

function appealAt(ws: WorkingState, now: number): Appeal | null {
  const a = ws.appeal
  if (a === null) return null
  const lapsed = a.status === 'OPEN' && now > a.dueMs
  return {
    dispute: a.dispute,
    disputedBy: a.disputedBy,
    due: a.due,
    status: lapsed ? 'LAPSED' : a.status,
    outcome: a.outcome,
    ...(a.remedy === undefined ? {} : { remedy: a.remedy }),
    ...(a.settlement === undefined ? {} : { settlement: a.settlement }),
  }
}

/** The state of a negotiation whose GENESIS is missing or invalid: nothing applies. */
export function invalidSnapshot(
  negotiation: string,
  invalid: InvalidReason,
  inputsInFoldOrder: readonly FoldInput[],
): NegotiationState {
  const rejected: Rejection[] = inputsInFoldOrder.map((input) => {
    const env = input.envelope
    const reason: RejectReason =
      input.hash !== negotiation ? 'NO_VALID_GENESIS' : input.sigValid ? 'BAD_GENESIS' : 'BAD_SIGNATURE'
    return { hash: input.hash, author: env.author, type: env.type, seq: env.seq, reason }
  })
  return {
    negotiation,
    invalid,
    title: '',
    participants: [],
    arbiters: null,
    requiredConsensus: 0,
    appealWindowDays: 0,
    deadline: '',
    clauses: [],
    termsHash: '',
    lockedClauses: [],
    accepts: [],
    finalizers: [],
    signers: [],
    bindingHash: null,
    joined: [],
    arbitersJoined: [],
    withdrawn: [],
    equivocators: [],
    equivocations: [],
    appeal: null,
    applied: [],
    rejected,
    heads: [],
    lastLamport: 0,
    feeds: {},
  }
}
