/**
 * Status changes that follow from counts (DESIGN section 4): every remaining
 * participant joined -> NEGOTIATING; k accepts -> CONSENSUS_REACHED (and back
 * when they stop counting); k finalizers -> BINDING; fewer than k remaining
 * participants -> WITHDRAWN. Called after every rule that changes a count.
 */
import { sha256Hex } from '../../crypto/hash.js'
import { canonicalizeStrict } from '../jcs.js'
import type { WorkingState } from './working-state.js'
import { isPreBinding } from './working-state.js'

export function progress(ws: WorkingState): void {
  if (!isPreBinding(ws.status)) return
  if (ws.participants.size - ws.withdrawn.size < ws.k) {
    ws.status = 'WITHDRAWN'
    return
  }
  if (ws.status === 'INITIATED') {
    for (const p of ws.participants) {
      if (!ws.joined.has(p) && !ws.withdrawn.has(p)) return
    }
  }
  ws.status = ws.accepts.size >= ws.k ? 'CONSENSUS_REACHED' : 'NEGOTIATING'
  if (ws.status === 'CONSENSUS_REACHED' && ws.finalizers.size >= ws.k && ws.bindable) bind(ws)
}

/** DESIGN section 4: signers = the finalizers, sorted; bindingHash = SHA-256 of JCS {negotiation, termsHash, signers}. */
function bind(ws: WorkingState): void {
  ws.status = 'BINDING'
  ws.signers = [...ws.finalizers.keys()].sort()
  ws.bindingHash = bindingHashOf(ws.id, ws.terms.hash, ws.signers)
}

export function bindingHashOf(negotiation: string, termsHash: string, signers: readonly string[]): string {
  return sha256Hex(canonicalizeStrict({ negotiation, termsHash, signers: [...signers] }))
}

/** A clause is locked once k non-withdrawn participants sent LOCK with its current textHash. */
export function recomputeLocks(ws: WorkingState): void {
  const locked = new Set<string>()
  for (const [clause, byText] of ws.lockVotes) {
    const current = ws.terms.clauseHash(clause)
    if (current !== undefined && (byText.get(current)?.size ?? 0) >= ws.k) locked.add(clause)
  }
  ws.locked = locked
}
