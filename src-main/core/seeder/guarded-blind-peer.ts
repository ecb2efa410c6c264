/**
 * Holepunch's blind-peer with our quotas in front (DESIGN section 5). blind-peer
 * stores, downloads and serves the feeds; this subclass decides, request by
 * request, which feeds it may keep (the guard), refuses the legacy add-core RPC,
 * and can drop or freeze a feed. It overrides blind-peer 3.8.1's two request
 * handlers, which is why that version is pinned exactly.
 */
import BlindPeer, { type AddCoresRequest, type BlindPeerOptions } from 'blind-peer'
import type { SwarmConnection } from 'hyperswarm'

export interface KeepGuard {
  /** The part of a request this seeder will keep (null: none); refusals are reported by the guard. */
  admit(stream: SwarmConnection, request: AddCoresRequest): AddCoresRequest | null
}

export class GuardedBlindPeer extends BlindPeer {
  private readonly guard: KeepGuard

  constructor(storage: string, opts: BlindPeerOptions, guard: KeepGuard) {
    super(storage, opts)
    this.guard = guard
  }

  override async _onaddcores(stream: SwarmConnection, request: AddCoresRequest): Promise<null> {
    const admitted = this.guard.admit(stream, request)
    if (admitted === null || admitted.cores.length === 0) return null
    return super._onaddcores(stream, admitted)
  }

  /** The older one-core RPC bypasses the guard: not served. */
  override async _onaddcore(): Promise<never> {
    throw new Error('add-core is not served here; use the blind-peer channel')
  }

  /** Stops keeping a feed: its download ends, its blocks are cleared, its record goes (blind-peer's delete-core, for us). */
  async drop(key: Buffer, discoveryKey: string): Promise<void> {
    const tracker = this.activeReplication.get(discoveryKey)
    if (tracker) await tracker.core.close().catch(() => {})
    const core = this.store.get({ key })
    try {
      await core.ready()
      await core.clear(0, core.length)
    } finally {
      await core.close().catch(() => {})
    }
    this.db.deleteCore(key)
    await this.flush()
  }

  /** Stops downloading a feed past what is stored; what is stored is still served. */
  async freeze(discoveryKey: string): Promise<void> {
    const tracker = this.activeReplication.get(discoveryKey)
    if (tracker) await tracker.core.close().catch(() => {})
  }
}
