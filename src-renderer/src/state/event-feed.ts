/**
 * The one module that turns what the core announces into store updates
 * (DESIGN section 11 events, plus the client's connection changes). Screens
 * never poll: they ask for data once (which marks it wanted), and from then on
 * this feed refreshes it when an event says it changed, and refreshes
 * everything wanted after a reconnection (events may have been missed).
 */
import type { NegotiationId } from '../../../src-main/api.js'
import type { TrustClient } from '../client/trust-client.js'
import { routeForTarget } from '../routing/routes.js'
import { isWanted } from './remote.js'
import type { AppStore } from './store.js'

export function connectEventFeed(client: TrustClient, store: AppStore): () => void {
  const state = () => store.getState()

  /** Refreshes everything something asked for (after a reconnection or an unlock). */
  function refreshWanted(): void {
    const s = state()
    if (isWanted(s.contacts)) void s.loadContacts()
    if (isWanted(s.myCard)) void s.loadMyCard()
    for (const key of Object.keys(s.trustEvents)) void s.loadTrustEvents(key)
    if (isWanted(s.negotiationList)) void s.loadNegotiationList()
    for (const id of Object.keys(s.negotiations)) void s.loadNegotiation(id)
    if (isWanted(s.receipts)) void s.loadReceipts()
    if (isWanted(s.checkpoint)) void s.loadCheckpoint()
    if (isWanted(s.network)) void s.loadNetwork()
    if (isWanted(s.settings)) void s.loadSettings()
    if (isWanted(s.demo)) void s.loadDemo()
  }

  function negotiationChanged(id: NegotiationId): void {
    const s = state()
    if (isWanted(s.negotiationList)) void s.loadNegotiationList()
    if (s.negotiations[id] !== undefined) void s.loadNegotiation(id)
  }

  const offs = [
    client.onConnection((connection) => {
      state().setConnection(connection)
      if (connection.status === 'online') {
        void state().refreshIdentity()
        refreshWanted()
      }
    }),
    client.on('identity', (event) => {
      void state().identityChanged(event.unlocked)
      if (event.unlocked) refreshWanted()
    }),
    client.on('negotiation', (event) => negotiationChanged(event.negotiation)),
    client.on('message', (event) => {
      negotiationChanged(event.negotiation)
      // Every message stored or sent appends a receipt (DESIGN section 7).
      if (isWanted(state().receipts)) void state().loadReceipts()
    }),
    client.on('peer', () => {
      if (isWanted(state().network)) void state().loadNetwork()
    }),
    client.on('job', (event) => {
      if (!event.ok) {
        state().notify({
          tone: 'error',
          title: `The ${event.job} job failed`,
          body: `${event.detail ?? 'No detail.'} It runs again on its own; the log in your profile folder has more.`,
        })
      } else if (event.job === 'checkpoint' && isWanted(state().checkpoint)) {
        void state().loadCheckpoint()
      }
    }),
    client.on('settings', (event) => state().settingsChanged(event.settings)),
    client.on('navigate', (event) => state().navigate(routeForTarget(event.to))),
    client.on('demo', (event) => state().demoChanged(event.state)),
  ]

  // IPC is online from the start and never announces it.
  state().setConnection(client.connection())
  if (client.connection().status === 'online') void state().refreshIdentity()

  return () => {
    for (const off of offs) off()
  }
}
