/**
 * The service's negotiation view as the TrustApi's NegotiationState (DESIGN
 * sections 4 and 11): exactly the API's fields, copied into fresh plain JSON, so
 * internal bookkeeping (heads, feeds, lamport) stays inside the core and callers
 * cannot alias the folder's arrays.
 */
import type {
  Envelope as ApiEnvelope,
  JsonObject,
  NegotiationState as ApiState,
  NegotiationSummary as ApiSummary,
  SignedEnvelopeView,
  TimelineEntry as ApiTimelineEntry,
} from '../../api.js'
import { TrustError } from '../errors.js'
import type { NegotiationSummary, NegotiationView, StoredEnvelope } from '../negotiation/index.js'
import type { NegotiationState } from '../protocol/fold/state.js'
import { clauseHash } from '../protocol/terms.js'

/**
 * A deep copy of plain JSON (bodies are parsed from JCS bytes: strings, integers,
 * booleans, null, arrays, objects). Hand-written because it runs for every
 * message of a 10,000-message timeline, where structuredClone costs several times more.
 */
function jsonCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(jsonCopy) as T
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = jsonCopy((value as Record<string, unknown>)[key])
  return out as T
}

export function stateJson(view: NegotiationState & { timeline?: NegotiationView['timeline'] }): ApiState {
  if (view.invalid !== undefined || view.status === undefined) {
    throw new TrustError('INVALID_NEGOTIATION', `negotiation ${view.negotiation} is invalid (${view.invalid ?? 'no status'})`)
  }
  const appeal = view.appeal
  return {
    negotiation: view.negotiation,
    title: view.title,
    participants: [...view.participants],
    requiredConsensus: view.requiredConsensus,
    deadline: view.deadline,
    arbiters: view.arbiters === null ? null : { keys: [...view.arbiters.keys], threshold: view.arbiters.threshold },
    appealWindowDays: view.appealWindowDays,
    status: view.status,
    clauses: view.clauses.map((c) => ({ id: c.id, title: c.title, text: c.text })),
    termsHash: view.termsHash,
    lockedClauses: [...view.lockedClauses],
    clauseHashes: Object.fromEntries(view.clauses.map((c) => [c.id, clauseHash(c)])),
    accepts: [...view.accepts],
    finalizers: [...view.finalizers],
    signers: [...view.signers],
    bindingHash: view.bindingHash,
    joined: [...view.joined],
    arbitersJoined: [...view.arbitersJoined],
    withdrawn: [...view.withdrawn],
    equivocators: [...view.equivocators],
    equivocations: view.equivocations.map((e) => ({ author: e.author, seq: e.seq, hashes: [...e.hashes] })),
    appeal:
      appeal === null
        ? null
        : {
            dispute: appeal.dispute,
            due: appeal.due,
            status: appeal.status,
            outcome: appeal.outcome,
            ...(appeal.remedy === undefined ? {} : { remedy: appeal.remedy }),
            ...(appeal.settlement === undefined ? {} : { settlement: appeal.settlement }),
          },
    rejected: view.rejected.map((r) => ({ hash: r.hash, reason: r.reason })),
    timeline: (view.timeline ?? []).map(
      (m): ApiTimelineEntry => ({
        hash: m.hash,
        author: m.author,
        type: m.type as ApiTimelineEntry['type'],
        time: m.time,
        verdict: m.verdict as ApiTimelineEntry['verdict'],
        ...(m.reason === null ? {} : { reason: m.reason }),
        seq: m.seq,
        lamport: m.lamport,
        body: jsonCopy(m.body) as JsonObject,
        verified: m.sigValid,
      }),
    ),
  }
}

export function envelopeJson(e: StoredEnvelope): SignedEnvelopeView {
  return { hash: e.hash, author: e.author, envelope: jsonCopy(e.envelope) as unknown as ApiEnvelope, json: e.json, verified: e.verified }
}

export function summaryJson(s: NegotiationSummary): ApiSummary {
  return {
    negotiation: s.negotiation,
    title: s.title,
    status: s.status as ApiSummary['status'],
    participants: [...s.participants],
    deadline: s.deadline,
    updated: s.updated,
    termsHash: s.termsHash,
    bindingHash: s.bindingHash,
    waitingFor: s.waitingFor,
    waitingOn: [...s.waitingOn],
  }
}
