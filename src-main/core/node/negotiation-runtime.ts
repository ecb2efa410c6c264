/**
 * The part of a node that exists once the profile has an identity: the receipt
 * chain (DESIGN section 7), the negotiation service and its network peer
 * (sections 4, 5). The peer runs only while the identity is unlocked: its
 * handshakes and actions need the key, and a lock must wipe it (section 2), so
 * lock stops the network and unlock starts it again from disk.
 */
import type { TrustEvent } from '../../api.js'
import { TrustError } from '../errors.js'
import type { Signer } from '../crypto/signer.js'
import type { IdentityService } from '../identity/index.js'
import type { Clock } from '../jobs/clock.js'
import type { TrustLedger } from '../negotiation/trust-ledger.js'
import { ReceiptChain } from '../receipts/index.js'
import type { Db } from '../store/database.js'
import type { Network } from '../sync/index.js'
import type { Logger } from '../telemetry/logger.js'
import type { Metrics } from '../telemetry/metrics.js'
import type { ConnectedPeer } from './network-api.js'
import type { JobBodies } from './node-jobs.js'
import type { ProfilePaths } from './profile-paths.js'

export interface RuntimeOptions {
  db: Db
  identity: IdentityService
  ledger(): TrustLedger
  network: Network
  paths: ProfilePaths
  clock: Clock
  logger: Logger
  metrics: Metrics
  emit(event: TrustEvent): void
}

export class NegotiationRuntime {
  private chain: ReceiptChain | null = null
  private closed = false

  constructor(private readonly opts: RuntimeOptions) {}

  /** The receipt chain of this profile's identity; NO_IDENTITY before there is one. */
  receipts(): ReceiptChain {
    this.live()
    const status = this.opts.identity.status()
    if (!status.exists || status.publicKey === undefined) {
      throw new TrustError('NO_IDENTITY', 'there is no identity yet; create one or import a backup')
    }
    if (this.chain === null || this.chain.publicKey !== status.publicKey) this.chain = new ReceiptChain(this.opts.db, status.publicKey)
    return this.chain
  }

  signerOrNull(): Signer | null {
    try {
      return this.opts.identity.signer()
    } catch {
      return null
    }
  }

  onIdentityChange(_unlocked: boolean): void {}

  peers(): ConnectedPeer[] {
    return []
  }

  jobBodies(): JobBodies {
    return {
      timeout: () => 'not wired',
      appeal: () => 'not wired',
      checkpoint: () => {
        const signer = this.signerOrNull()
        if (signer === null) return 'locked'
        const status = this.opts.identity.status()
        if (!status.exists) return 'no identity'
        const chain = this.receipts()
        if (chain.size() === 0) return 'no receipts'
        chain.checkpoint(signer)
        return `checkpoint at ${chain.size()}`
      },
    }
  }

  async close(): Promise<void> {
    this.closed = true
  }

  private live(): void {
    if (this.closed) throw new TrustError('CLOSED', 'the node is closed')
  }
}
