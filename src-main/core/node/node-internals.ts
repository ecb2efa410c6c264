/**
 * What a node's creator may ask for beyond the TrustApi, in process only
 * (NodeOptions.exposeInternals): the live demo plays a third party and a modified
 * client against its own peers with these. No surface (IPC, JSON-RPC) reaches
 * them, and the app's own node never hands them out.
 */
import type { Signer } from '../crypto/signer.js'
import type { IdentityService } from '../identity/index.js'
import type { IngestResult } from '../negotiation/index.js'
import type { Db } from '../store/database.js'
import { MessageStore } from '../store/messages.js'
import type { NegotiationRuntime } from './negotiation-runtime.js'

export interface StoredEnvelope {
  hash: string
  /** The exact stored bytes (JCS of the whole envelope). */
  bytes: Uint8Array
  sigValid: boolean
}

export interface NodeInternals {
  /**
   * Hands envelope bytes to the running peer's one ingest path, as the sync layer
   * does with a feed entry (`feedOwner`: the identity whose feed carried it) or as
   * a message from a side channel would arrive (no `feedOwner`). Needs the identity
   * unlocked: every stored message gets a signed receipt.
   */
  ingest(bytes: Uint8Array, options?: { feedOwner?: string; negotiation?: string }): Promise<IngestResult>
  /** Every stored envelope of a negotiation, in fold order, badly signed ones included (the export leaves those out). */
  storedEnvelopes(negotiation: string): StoredEnvelope[]
  /** The unlocked identity's signer (LOCKED while locked). */
  signer(): Signer
}

export function nodeInternals(o: { db: Db; identity: IdentityService; runtime: NegotiationRuntime }): NodeInternals {
  const messages = new MessageStore(o.db)
  return {
    async ingest(bytes, options = {}) {
      await o.runtime.peer() // the running peer's service, whose events reach the node's listeners
      return o.runtime.service().ingest(bytes, {
        source: 'remote',
        ...(options.feedOwner === undefined ? {} : { feedOwner: options.feedOwner }),
        ...(options.negotiation === undefined ? {} : { negotiation: options.negotiation }),
      })
    },
    storedEnvelopes: (negotiation) => messages.forNegotiation(negotiation).map((m) => ({ hash: m.hash, bytes: m.bytes, sigValid: m.sigValid })),
    signer: () => o.identity.signer(),
  }
}
