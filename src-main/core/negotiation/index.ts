/** Negotiations as the app runs them: the service, the trust ledger (DESIGN sections 4, 8 and 11). */
export { NegotiationService } from './negotiation-service.js'
export type {
  ActionResult,
  CreateInput,
  CreateResult,
  IngestOptions,
  IngestResult,
  NegotiationServiceEvent,
  NegotiationServiceOptions,
  NegotiationSummary,
  NegotiationView,
  TimelineEntry,
} from './negotiation-service.js'
export { FIRST_PREV, INITIAL_SCORE_MILLI, TRUST_DELTAS, TrustLedger, trustEventHash } from './trust-ledger.js'
export type { LedgerVerification, RecordInput, TrustEvent, TrustEventKind } from './trust-ledger.js'
