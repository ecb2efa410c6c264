/**
 * ACCEPT and FINALIZE (DESIGN section 4). Both name the terms hash the author
 * saw and count only for the current terms; k distinct accepts reach
 * CONSENSUS_REACHED, and k distinct finalizers in it make the terms BINDING.
 */
import type { EnvelopeOf } from '../envelope-schema.js'
import { progress } from './progress.js'
import type { RejectReason } from './reasons.js'
import type { WorkingState } from './working-state.js'

export function applyAccept(ws: WorkingState, env: EnvelopeOf<'ACCEPT'>): RejectReason | null {
  if (ws.status !== 'NEGOTIATING' && ws.status !== 'CONSENSUS_REACHED') return 'WRONG_STATE'
  if (env.body.termsHash !== ws.terms.hash) return 'STALE_TERMS'
  if (ws.accepts.has(env.author)) return 'DUPLICATE_ACTION'
  ws.accepts.add(env.author)
  progress(ws)
  return null
}

export function applyFinalize(ws: WorkingState, env: EnvelopeOf<'FINALIZE'>, hash: string): RejectReason | null {
  if (ws.status !== 'CONSENSUS_REACHED') return 'WRONG_STATE'
  if (env.body.termsHash !== ws.terms.hash) return 'STALE_TERMS'
  if (ws.finalizers.has(env.author)) return 'DUPLICATE_ACTION'
  ws.finalizers.set(env.author, hash)
  progress(ws)
  return null
}
