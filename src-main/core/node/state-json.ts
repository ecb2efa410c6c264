/**
 * The service's negotiation view as the TrustApi's NegotiationState (DESIGN
 * sections 4 and 11): exactly the API's fields, copied into fresh plain JSON, so
 * internal bookkeeping (heads, feeds, lamport) stays inside the core and callers
 * cannot alias the folder's arrays.
 */
import type {
  Envelope as ApiEnvelope,
  JsonObject,
  NegotiationHistory as ApiHistory,
  NegotiationState as ApiState,
  NegotiationSummary as ApiSummary,
  SignedEnvelopeView,
  TimelineEntry as ApiTimelineEntry,
} from '../../api.js'
import { TrustError } from '../errors.js'
import type { NegotiationSummary, NegotiationView, StoredEnvelope } from '../negotiation/index.js'
import type { NegotiationState } from '../protocol/fold/state.js'
import { clauseHash } from '../protocol/terms.js'
import { timelineHistory, type TimelineHistory } from '../negotiation/timeline-history.js'

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

/** A window of the timeline: `limit` messages from index `from`. */
export interface TimelineWindow {
  from: number
  limit: number
}

/**
 * The API state of `view`. Its timeline is whole, or only `window` when given;
 * the history the detail view reads is computed from the whole timeline either way.
 */
export function stateJson(view: NegotiationState & { timeline?: NegotiationView['timeline'] }, window?: TimelineWindow): ApiState {
  if (view.invalid !== undefined || view.status === undefined) {
    throw new TrustError('INVALID_NEGOTIATION', `negotiation ${view.negotiation} is invalid (${view.invalid ?? 'no status'})`)
  }
  const appeal = view.appeal
  const all = view.timeline ?? []
  const from = window === undefined ? 0 : Math.min(window.from, all.length)
  const to = window === undefined ? all.length : Math.min(all.length, from + window.limit)
  const { history, before } = timelineHistory(all, view, { from, to })
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
    timeline: all.slice(from, to).map((m, i): ApiTimelineEntry => {
      const terms = before.get(from + i)
      return {
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
        ...(terms === undefined ? {} : { before: terms.map((c) => ({ id: c.id, title: c.title, text: c.text })) }),
      }
    }),
    timelineFrom: from,
    timelineTotal: all.length,
    history: historyJson(history),
  }
}

function historyJson(h: TimelineHistory): ApiHistory {
  const versions: ApiHistory['versions'] = {}
  for (const [hash, v] of Object.entries(h.versions)) versions[hash] = { verdict: v.verdict, ...(v.reason === null ? {} : { reason: v.reason }) }
  return {
    lockedBy: h.lockedBy,
    acceptCount: h.acceptCount,
    finalizeCount: h.finalizeCount,
    accepts: h.accepts,
    finalizations: h.finalizations,
    decided: h.decided,
    settlements: h.settlements,
    dispute: h.dispute,
    versions,
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
