/**
 * src-main/api.ts is self-contained so the renderer can import its types without
 * pulling Node code; these compile-time checks keep its copies of core types
 * from drifting. A mismatch fails `npm run typecheck`; nothing here runs.
 */
import type { AppealStatus as ApiAppealStatus, NegotiationStatus as ApiStatus, Verdict as ApiVerdict } from '../api.js'
import type { AppealStatus, NegotiationStatus } from './protocol/fold/state.js'
import type { Verdict } from './store/messages.js'

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

export type ApiConformance = [
  Same<ApiStatus, NegotiationStatus>,
  Same<ApiAppealStatus, AppealStatus>,
  Same<ApiVerdict, Verdict>,
] extends [true, true, true]
  ? true
  : never

// Assigning `true` fails to compile when any pair differs.
export const API_CONFORMS: ApiConformance = true
