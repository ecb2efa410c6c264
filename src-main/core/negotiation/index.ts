/** Negotiations as the app runs them: the service, the trust ledger (DESIGN sections 4, 8 and 11). */
export { NegotiationService } from './negotiation-service.js'
export type {
  ActionResult,
  CreateResult,
  IngestOptions,
  IngestResult,
  NegotiationServiceEvent,
  NegotiationServiceOptions,
  NegotiationSummary,
  NegotiationView,
  StoredEnvelope,
  TimelineEntry,
  WaitingStep,
} from './service-types.js'
export type { CreateInput } from './create-input.js'
export { FIRST_PREV, INITIAL_SCORE_MILLI, TRUST_DELTAS, TrustLedger, trustEventHash } from './trust-ledger.js'
export type { LedgerVerification, RecordInput, TrustEvent, TrustEventKind } from './trust-ledger.js'
