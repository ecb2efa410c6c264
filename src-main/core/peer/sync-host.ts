/**
 * The real SyncHost (DESIGN section 5) over the negotiation service: membership
 * from the stored GENESIS, feeds from stored JOINs, every replicated entry
 * through the service's one ingest path, and the replication layer's evidence
 * (forks, rejected peers) into the store and the trust ledger (section 8).
 * Nothing here throws at the replicator: a failure is a rejected verdict.
 */
import { TrustError } from '../errors.js'
import { isPublicKeyHex } from '../crypto/ed25519.js'
import type { Db } from '../store/database.js'
import { NegotiationStore } from '../store/negotiations.js'
import { TrustLedger } from '../negotiation/trust-ledger.js'
import type { EquivocationEvidence, IngestEntry, IngestVerdict, MisbehaviorEvent, SyncHost } from '../sync/sync-host.js'
import type { PeerRecords } from './peer-records.js'
import type { RemoteIngest } from './service-port.js'

export interface ServiceSyncHostOptions {
  db: Db
  records: PeerRecords
  /** The service's ingest path (NegotiationService.ingest). */
  ingest: RemoteIngest
  /** Runs a burst of ingests in one transaction (NegotiationService.ingestTogether). */
  together: <T>(run: () => T) => T
  now: () => number
  /** Told of every fork and every rejected peer after it is stored. */
  onEvidence?: (e: { kind: 'fork'; evidence: EquivocationEvidence } | { kind: 'misbehavior'; event: MisbehaviorEvent }) => void
}

/** The stable code at the head of a `CODE: text` reason, fit for the ledger's reason column. */
function codeOf(reason: string): string {
  const code = /^[A-Z0-9_]{1,48}/.exec(reason)?.[0]
  return code ?? 'MISBEHAVIOR'
}

export class ServiceSyncHost implements SyncHost {
  private readonly db: Db
  private readonly records: PeerRecords
  private readonly negotiations: NegotiationStore
  private readonly ledger: TrustLedger
  private readonly ingestEnvelope: RemoteIngest
  private readonly together: <T>(run: () => T) => T
  private readonly now: () => number
  private readonly onEvidence: ServiceSyncHostOptions['onEvidence']
  /** Membership is fixed by GENESIS: cached once the negotiation is known. */
  private readonly members = new Map<string, ReadonlySet<string>>()
  private readonly creators = new Map<string, string>()

  constructor(opts: ServiceSyncHostOptions) {
    this.db = opts.db
    this.records = opts.records
    this.negotiations = new NegotiationStore(opts.db)
    this.ledger = new TrustLedger({ db: opts.db, now: opts.now })
    this.ingestEnvelope = opts.ingest
    this.together = opts.together
    this.now = opts.now
    this.onEvidence = opts.onEvidence
  }

  /** Participants and arbiters named in the stored GENESIS; empty before it arrives. */
  membersOf(negotiation: string): ReadonlySet<string> {
    const cached = this.members.get(negotiation)
    if (cached !== undefined) return cached
    const keys = new Set(this.negotiations.participants(negotiation).map((p) => p.publicKey))
    if (keys.size > 0) this.members.set(negotiation, keys)
    return keys
  }

  isMember(negotiation: string, identity: string): boolean {
    return this.membersOf(negotiation).has(identity)
  }

  /** Feeds named by stored JOINs, plus the creator's from the invite (GENESIS is its JOIN). */
  feedsOf(negotiation: string): Map<string, string> {
    const out = new Map<string, string>()
    const rows = this.negotiations.participants(negotiation)
    for (const p of rows) if (p.feedKey !== null) out.set(p.publicKey, p.feedKey)
    const creator = this.creators.get(negotiation) ?? this.creatorOf(negotiation)
    const invite = this.records.get(negotiation)
    if (creator !== null && invite !== undefined && !out.has(creator)) out.set(creator, invite.creatorFeedKey)
    return out
  }

  /** One transaction, one fsync, for a burst of entries; stops at the first that must be retried. */
  ingestBatch(entries: IngestEntry[]): IngestVerdict[] {
    try {
      return this.together(() => {
        const verdicts: IngestVerdict[] = []
        for (const entry of entries) {
          const verdict = this.ingest(entry)
          verdicts.push(verdict)
          if (verdict.retry === true) break
        }
        return verdicts
      })
    } catch (err) {
      // The commit failed: nothing of the batch is stored, all of it is offered again.
      return entries.map(() => ({ accepted: false, reason: TrustError.from(err).code, retry: true }))
    }
  }

  ingest(entry: IngestEntry): IngestVerdict {
    try {
      // The service checks that the envelope belongs to the negotiation whose feed
      // carried it (WRONG_NEGOTIATION) and that its author owns the feed (FEED_AUTHOR_MISMATCH).
      const result = this.ingestEnvelope(entry.bytes, { source: 'remote', feedOwner: entry.owner, negotiation: entry.negotiation })
      // 'pending' (a ref not here yet) is kept and re-folded later: accepted for the replicator.
      const accepted = result.verdict !== 'rejected'
      const learned = result.learnedFeeds.map((f) => ({ owner: f.publicKey, feedKey: f.feed }))
      return {
        accepted,
        ...(result.reason === undefined ? {} : { reason: result.reason }),
        ...(learned.length > 0 ? { learnedFeeds: learned } : {}),
      }
    } catch (err) {
      // LOCKED (receipts are signed) or a store failure: the entry is not stored,
      // so the replicator must offer it again rather than move past it.
      return { accepted: false, reason: TrustError.from(err).code, retry: true }
    }
  }

  /** DESIGN section 5: a forked or truncated feed is evidence, recorded and never merged silently. */
  onEquivocation(evidence: EquivocationEvidence): void {
    try {
      const fresh = this.db.transaction(() => {
        const added = this.records.addFork({ ...evidence, note: evidence.note.slice(0, 500), recordedAt: this.iso() })
        // One MISBEHAVIOR per forked feed and fork: a restart re-reading it must not punish twice.
        if (added && isPublicKeyHex(evidence.owner) && !this.ledger.hasEvent(evidence.negotiation, 'MISBEHAVIOR', evidence.owner, { reason: `FEED_FORK:${evidence.fork}` })) {
          this.ledger.recordMisbehavior(evidence.owner, evidence.negotiation, `FEED_FORK:${evidence.fork}`)
        }
        return added
      })()
      if (fresh) this.onEvidence?.({ kind: 'fork', evidence })
    } catch {
      // Never throw at the replicator; the envelopes themselves are already stored.
    }
  }

  /** A rejected peer: counted in peer_incidents; a proven identity also gets one MISBEHAVIOR per negotiation and code. */
  onMisbehavior(event: MisbehaviorEvent): void {
    try {
      const code = codeOf(event.reason)
      const negotiation = event.negotiation ?? null
      const peer = event.peer !== null && isPublicKeyHex(event.peer) ? event.peer : null
      const first = this.db.transaction(() => {
        const isNew = this.records.addIncident({ negotiation, peer, code, reason: event.reason.slice(0, 500), at: this.iso() })
        if (isNew && peer !== null && !this.ledger.hasEvent(negotiation, 'MISBEHAVIOR', peer, { reason: code })) {
          this.ledger.recordMisbehavior(peer, negotiation, code)
        }
        return isNew
      })()
      if (first) this.onEvidence?.({ kind: 'misbehavior', event })
    } catch {
      // As above.
    }
  }

  private creatorOf(negotiation: string): string | null {
    const row = this.negotiations.get(negotiation)
    if (row === undefined) return null
    try {
      const state = JSON.parse(row.stateJson) as { participants?: unknown }
      const first = Array.isArray(state.participants) ? state.participants[0] : undefined
      if (typeof first !== 'string') return null
      this.creators.set(negotiation, first)
      return first
    } catch {
      return null
    }
  }

  private iso(): string {
    return new Date(this.now()).toISOString()
  }
}
