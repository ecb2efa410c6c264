/**
 * DISPUTE, APPEAL_DECISION and RESOLVE (DESIGN section 4). A signer opens one
 * dispute on a BINDING agreement; it is decided by `threshold` arbiters agreeing
 * on an outcome, or settled by every signer naming the same settlement, before
 * the due time. The binding itself is never erased.
 */
import type { EnvelopeOf } from '../envelope-schema.js'
import { timeToMs } from '../envelope-fields.js'
import type { RejectReason } from './reasons.js'
import type { WorkingAppeal, WorkingState } from './working-state.js'

const DAY_MS = 86_400_000

export function applyDispute(ws: WorkingState, env: EnvelopeOf<'DISPUTE'>, hash: string): RejectReason | null {
  if (ws.status !== 'BINDING') return 'WRONG_STATE'
  if (!ws.signers.includes(env.author)) return 'NOT_SIGNER'
  const dueMs = timeToMs(env.time) + ws.appealWindowDays * DAY_MS
  ws.appeal = {
    dispute: hash,
    disputedBy: env.author,
    due: new Date(dueMs).toISOString(),
    dueMs,
    status: 'OPEN',
    outcome: null,
    decisions: new Map(),
    settlements: new Map(),
  }
  ws.status = 'DISPUTED'
  return null
}

/** The open appeal that `dispute` names, or why a decision or resolve cannot count. */
function openAppeal(ws: WorkingState, dispute: string, time: string): WorkingAppeal | RejectReason {
  if (ws.status !== 'DISPUTED' || ws.appeal === null) return 'WRONG_STATE'
  if (dispute !== ws.appeal.dispute) return 'WRONG_DISPUTE'
  if (timeToMs(time) > ws.appeal.dueMs) return 'LATE'
  return ws.appeal
}

export function applyAppealDecision(ws: WorkingState, env: EnvelopeOf<'APPEAL_DECISION'>): RejectReason | null {
  const appeal = openAppeal(ws, env.body.dispute, env.time)
  if (typeof appeal === 'string') return appeal
  // One decision per arbiter: a judgement is not renegotiated.
  if (appeal.decisions.has(env.author)) return 'DUPLICATE_ACTION'
  appeal.decisions.set(env.author, env.body.outcome)
  let agreeing = 0
  for (const outcome of appeal.decisions.values()) if (outcome === env.body.outcome) agreeing++
  const threshold = ws.genesis.arbiters?.threshold ?? Infinity
  if (agreeing >= threshold) {
    appeal.status = 'DECIDED'
    appeal.outcome = env.body.outcome
    if (env.body.remedy !== undefined) appeal.remedy = env.body.remedy
    ws.status = 'RESOLVED'
  }
  return null
}

export function applyResolve(ws: WorkingState, env: EnvelopeOf<'RESOLVE'>): RejectReason | null {
  if (ws.status === 'DISPUTED' && !ws.signers.includes(env.author)) return 'NOT_SIGNER'
  const appeal = openAppeal(ws, env.body.dispute, env.time)
  if (typeof appeal === 'string') return appeal
  // Signers negotiate a settlement: each one's latest RESOLVE is what counts.
  if (appeal.settlements.get(env.author) === env.body.settlement) return 'DUPLICATE_ACTION'
  appeal.settlements.set(env.author, env.body.settlement)
  if (ws.signers.every((s) => appeal.settlements.get(s) === env.body.settlement)) {
    appeal.status = 'SETTLED'
    appeal.outcome = 'settled'
    appeal.settlement = env.body.settlement
    ws.status = 'RESOLVED'
  }
  return null
}
