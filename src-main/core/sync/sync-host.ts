/**
 * What the replicator needs from the rest of the node (the negotiation service):
 * membership for handshake gating, known feeds, and a verdict on each entry.
 * The replicator never parses envelopes; the host never touches the network.
 */
export interface IngestEntry {
  negotiation: string
  /** The identity this feed is bound to (by its hello, an attestation or a JOIN), not the relay. */
  owner: string
  feedKey: string
  index: number
  bytes: Uint8Array
}

export interface IngestVerdict {
  accepted: boolean
  reason?: string
  learnedFeeds?: { owner: string; feedKey: string }[]
  /**
   * The host could not process the entry now (locked identity, store failure):
   * the cursor stays put and the entry is offered again later, so nothing is lost.
   */
  retry?: boolean
}

export interface EquivocationEvidence {
  negotiation: string
  owner: string
  feedKey: string
  /** The feed's fork after the event. */
  fork: number
  /** Entries below this index are common to both versions. */
  keptLength: number
  /** How long the feed was, as we had seen it, before the event. */
  previousLength: number
  note: string
}

export interface MisbehaviorEvent {
  /** The identity at fault when it is proven (signed); null when it is not. */
  peer: string | null
  negotiation: string | null
  /** `CODE: text`, CODE from MISBEHAVIOR_CODES. */
  reason: string
}

export interface SyncHost {
  /** Is this identity a participant or arbiter of the negotiation? (handshake gating) */
  isMember(negotiation: string, identity: string): boolean
  /** Feed keys known for the negotiation: owner identity -> hypercore key (hex). Learned from JOIN messages. */
  feedsOf(negotiation: string): Map<string, string>
  /**
   * Optional: consecutive entries of one feed, in feed order, which the host may
   * store in one transaction. Must not throw. Returns one verdict per entry; the
   * first verdict with `retry` stops the batch (later verdicts are ignored, those
   * entries are offered again).
   */
  ingestBatch?(entries: IngestEntry[]): IngestVerdict[]
  /** One new entry of a feed, in feed order. Must not throw; returns the verdict and any feed keys it taught us. */
  ingest(entry: IngestEntry): IngestVerdict
  /** A remote feed was truncated or forked: evidence of equivocation; both versions must be kept. */
  onEquivocation(evidence: EquivocationEvidence): void
  /** A peer broke a limit or the handshake: record MISBEHAVIOR. */
  onMisbehavior(event: MisbehaviorEvent): void
}

/** Stable prefixes of MisbehaviorEvent.reason. */
export const MISBEHAVIOR_CODES = [
  'HANDSHAKE_TIMEOUT',
  'BAD_HANDSHAKE',
  'NOT_A_MEMBER',
  'BAD_ANNOUNCEMENT',
  'TOO_MANY_FEEDS',
  'ENTRY_TOO_LARGE',
  'FEED_TOO_LONG',
  'RATE_LIMITED',
] as const

export type MisbehaviorCode = (typeof MISBEHAVIOR_CODES)[number]
