/**
 * Corestore in the profile's sync directory (DESIGN section 5): one Hypercore per
 * (negotiation, participant). Our own feed is a writable core named from the
 * negotiation id, so the same store always yields the same key; remote feeds are
 * opened by key.
 *
 * Forks: hypercore 11.37.1 follows a writer's truncation by default (`allowFork`,
 * lib/replicator.js _updateFork): on a higher remote fork it fetches a fork proof,
 * truncates the local copy (session event `truncate(to, fork)`) and then
 * downloads the rewritten blocks. We keep that default on purpose: the earlier
 * entries already reached the host (which keeps them), and following the fork is
 * what lets the rewritten entries at the same indexes reach the host too, so the
 * fold sees both envelopes of one (author, seq): equivocation (DESIGN section 4).
 * With allowFork false the rewrite would never be downloaded. Two different
 * signed trees at one fork (a writer running two copies of its key) emit
 * `conflict`: hypercore then freezes the core and closes its sessions.
 */
import Corestore from 'corestore'
import type Hypercore from 'hypercore'
import { TrustError } from '../errors.js'
import { hexToBytes } from '../crypto/hex.js'

export const OWN_FEED_PREFIX = 'negotiation/'

export class FeedStore {
  private readonly store: Corestore

  constructor(dir: string) {
    this.store = new Corestore(dir)
  }

  async open(): Promise<void> {
    await this.store.ready()
  }

  /**
   * Our writable feed for a negotiation; the same name always gives the same key.
   * `encryptionKey` (topic-keys.ts) encrypts its blocks; null only for a
   * negotiation made before feeds were encrypted.
   */
  async openOwn(negotiation: string, encryptionKey: Uint8Array | null = null): Promise<Hypercore> {
    hexToBytes(negotiation, 32, 'negotiation id')
    const core = this.store.get({ name: OWN_FEED_PREFIX + negotiation, ...encryption(encryptionKey) })
    await core.ready()
    if (!core.writable) throw new TrustError('INTERNAL', 'our own feed opened read-only')
    return core
  }

  /** A session on a remote feed; hypercore's default allowFork is kept (see above). */
  async openRemote(feedKey: string, encryptionKey: Uint8Array | null = null): Promise<Hypercore> {
    const core = this.store.get({ key: Buffer.from(hexToBytes(feedKey, 32, 'feed key')), ...encryption(encryptionKey) })
    await core.ready()
    return core
  }

  async close(): Promise<void> {
    await this.store.close()
  }
}

/** Hypercore's block encryption (lib/default-encryption.js): one block key per feed, derived from this key. */
function encryption(key: Uint8Array | null): { encryption?: { key: Buffer } } {
  if (key === null) return {}
  if (!(key instanceof Uint8Array) || key.length !== 32) throw TrustError.invalidInput('a feed encryption key is 32 bytes')
  return { encryption: { key: Buffer.from(key) } }
}
