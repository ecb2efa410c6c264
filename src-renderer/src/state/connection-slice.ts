/** The link to the core (connection banner, the gate's "Connecting…"). Fed by event-feed.ts. */
import type { ConnectionState } from '../client/trust-client.js'
import type { SliceCreator } from './store.js'

export interface ConnectionSlice {
  connection: ConnectionState
  setConnection(state: ConnectionState): void
  /** Try to reconnect now instead of waiting for the next attempt. */
  retryConnection(): void
}

export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set, _get, client) => ({
  connection: client.connection(),
  setConnection: (connection) => set({ connection }),
  retryConnection: () => client.retryNow(),
})
