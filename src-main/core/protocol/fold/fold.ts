/**
 * The negotiation fold (DESIGN section 4): a pure function of a set of
 * messages and a time. No I/O, no clock reads. Signatures are verified once at
 * ingest (checkEnvelope), so the inputs carry the verdict and folding 10,000
 * messages costs a sort and one map-based step per message.
 */
import { NegotiationFolder } from './folder.js'
import type { FoldInput } from '../envelope-check.js'
import type { NegotiationState } from './state.js'

/**
 * Folds `inputs` (any order, duplicates allowed) for `negotiationId`, with
 * EXPIRED and LAPSED evaluated at `now` (ms since the epoch). Inputs must come
 * from checkEnvelope, parseEnvelope or createEnvelope: the fold trusts their
 * hash and `sigValid`.
 */
export function fold(negotiationId: string, inputs: readonly FoldInput[], now: number): NegotiationState {
  const folder = new NegotiationFolder(negotiationId)
  folder.applyAll(inputs)
  return folder.state(now)
}
