/** The network (DESIGN section 5): its mode and the counterparties connected now. */
import type { NetworkStatus } from '../../../src-main/api.js'
import { coalesce } from './coalesce.js'
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

export interface NetworkSlice {
  network: Remote<NetworkStatus>
  loadNetwork(): Promise<void>
}

export const createNetworkSlice: SliceCreator<NetworkSlice> = (set, get, client) => ({
  network: IDLE,
  loadNetwork: coalesce(async () => {
    set({ network: loadingFrom(get().network) })
    const result = await client.call('network.status')
    set({ network: settled(get().network, result) })
  }),
})
