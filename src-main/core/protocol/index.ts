/** The protocol's public surface: envelopes, terms and the negotiation fold (DESIGN sections 3 and 4). */
export * from './body-schemas.js'
export { MAX_REFS, genesisProblem, validateEnvelope } from './envelope-schema.js'
export type { Envelope, EnvelopeOf, UnsignedEnvelope } from './envelope-schema.js'
export {
  MAX_ENVELOPE_BYTES,
  createEnvelope,
  negotiationIdOf,
  parseEnvelope,
  verifyEnvelopeSignature,
} from './envelope.js'
export type { FoldInput, SignedEnvelope } from './envelope.js'
export { checkEnvelope } from './envelope-check.js'
export { MAX_CLAUSES, Terms, clauseHash, termsHash } from './terms.js'
export type { ChangeProblem, Clause, ClauseChange } from './terms.js'
export { fold } from './fold/fold.js'
export { NegotiationFolder } from './fold/folder.js'
export { nextFor } from './fold/next-message.js'
export type { NextMessage } from './fold/next-message.js'
export { compareFoldOrder, sortForFold } from './fold/order.js'
export { bindingHashOf } from './fold/progress.js'
export { REJECT_REASONS } from './fold/reasons.js'
export type { InvalidReason, RejectReason } from './fold/reasons.js'
export type { Appeal, AppealStatus, NegotiationState, NegotiationStatus, Rejection } from './fold/state.js'
export type { Verdict } from './fold/verdict.js'
