/**
 * `network.status` (DESIGN section 11): the mode, the private DHT's bootstrap
 * nodes, and the counterparties connected right now with the negotiations each
 * is replicating (one entry per identity, however many connections it has).
 */
import type { NetworkStatus, TrustApi } from '../../api.js'
import type { Network } from '../sync/index.js'
import { paramsOf } from './params.js'

export interface ConnectedPeer {
  identity: string
  negotiations: string[]
}

export interface NetworkApiContext {
  network: Network
  /** Verified peers right now (empty while the peer is not running). */
  peers(): ConnectedPeer[]
}

export function networkApi(ctx: NetworkApiContext): Pick<TrustApi, 'network.status'> {
  return {
    'network.status': async (params) => {
      paramsOf('network.status', params, [])
      const mode = ctx.network.mode
      const byIdentity = new Map<string, Set<string>>()
      for (const peer of ctx.peers()) {
        const set = byIdentity.get(peer.identity) ?? new Set<string>()
        for (const n of peer.negotiations) set.add(n)
        byIdentity.set(peer.identity, set)
      }
      const status: NetworkStatus = {
        mode: mode.kind,
        peers: [...byIdentity.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([publicKey, set]) => ({ publicKey, negotiations: [...set].sort() })),
      }
      if (mode.kind === 'bootstrap') status.bootstrap = mode.nodes.map((n) => `${n.host}:${n.port}`)
      return status
    },
  }
}
