/**
 * Which seeders keep a negotiation's feeds, and its invite (DESIGN section 5): the
 * profile's own seeders plus those the invite named when we joined. A negotiation
 * with plaintext feeds (made before encryption) has none and a v1 invite.
 */
import type { Db } from '../store/database.js'
import { SeederStore } from '../store/seeders.js'
import { encodeInvite, MAX_INVITE_SEEDERS } from '../sync/invite.js'
import type { PeerNegotiationRow } from './peer-records.js'

export class NegotiationSeeders {
  readonly store: SeederStore

  constructor(db: Db) {
    this.store = new SeederStore(db)
  }

  /** The profile's seeders and the invite's, sorted; none for plaintext feeds. */
  of(row: Pick<PeerNegotiationRow, 'negotiation' | 'encrypted'>): string[] {
    if (!row.encrypted) return []
    return [...new Set([...this.store.forNegotiation(row.negotiation), ...this.store.list().map((s) => s.publicKey)])].sort()
  }

  /**
   * The invite to hand out: the seeders the invite we joined by named come first
   * (they already hold the creator's feed), then ours, at most MAX_INVITE_SEEDERS.
   */
  invite(row: PeerNegotiationRow): string {
    const named = row.encrypted ? this.store.forNegotiation(row.negotiation) : []
    const ours = row.encrypted ? this.store.list().map((s) => s.publicKey) : []
    const seeders = [...new Set([...named, ...ours])].slice(0, MAX_INVITE_SEEDERS)
    return encodeInvite({ negotiation: row.negotiation, topicSecret: row.topicSecret, creatorFeedKey: row.creatorFeedKey, encrypted: row.encrypted, seeders })
  }
}
