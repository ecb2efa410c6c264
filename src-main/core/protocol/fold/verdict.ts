/** The fold's judgement of one message. */
import type { RejectReason } from './reasons.js'

export type Verdict =
  | { readonly status: 'applied' }
  | { readonly status: 'rejected'; readonly reason: RejectReason }
  /** The same bytes (same hash) were already folded: ignored (DESIGN section 4). */
  | { readonly status: 'duplicate' }

export const APPLIED: Verdict = Object.freeze({ status: 'applied' })
export const DUPLICATE: Verdict = Object.freeze({ status: 'duplicate' })

export function rejected(reason: RejectReason): Verdict {
  return { status: 'rejected', reason }
}
