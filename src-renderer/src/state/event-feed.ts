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
    if (isWanted(s.receiptWindow)) void s.loadReceiptWindow()
    if (isWanted(s.metrics)) void s.loadMetrics()
    if (isWanted(s.logs)) void s.loadLogs()
    if (isWanted(s.updates)) void s.loadUpdates()
    if (isWanted(s.seeders)) void s.loadSeeders()
  }

  /** Metrics and seeding move with peers, negotiations and messages; they have no event of their own. */
  function figuresChanged(): void {
    const s = state()
    if (isWanted(s.metrics)) void s.loadMetrics()
    if (isWanted(s.seeders)) void s.loadSeeders()
  }

  /** Trust scores and histories: a BINDING, a dispute, an expiry or misbehaviour adds a ledger event (DESIGN section 8). */
  function ledgerMayHaveChanged(): void {
    const s = state()
    if (isWanted(s.contacts)) void s.loadContacts()
    for (const key of Object.keys(s.trustEvents)) void s.loadTrustEvents(key)
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
    client.on('negotiation', (event) => {
      negotiationChanged(event.negotiation)
      figuresChanged()
      ledgerMayHaveChanged()
      // A state change (e.g. EXPIRED found by the timeout job) appends receipts too.
      if (isWanted(state().receiptWindow)) void state().loadReceiptWindow()
    }),
    client.on('message', (event) => {
      negotiationChanged(event.negotiation)
      // Every message stored or sent appends a receipt (DESIGN section 7).
      if (isWanted(state().receipts)) void state().loadReceipts()
      if (isWanted(state().receiptWindow)) void state().loadReceiptWindow()
      figuresChanged()
      // A rejected message may be misbehaviour charged to its sender (DESIGN section 8).
      if (event.verdict === 'rejected') ledgerMayHaveChanged()
    }),
    client.on('peer', () => {
      if (isWanted(state().network)) void state().loadNetwork()
      figuresChanged()
    }),
    client.on('job', (event) => {
      if (!event.ok) {
        state().notify({
          tone: 'error',
          title: `The ${event.job} job failed`,
          body: `${event.detail ?? 'No detail.'} It runs again on its own; the log in your profile folder has more.`,
        })
      } else if (event.job === 'checkpoint') {
        if (isWanted(state().checkpoint)) void state().loadCheckpoint()
        if (isWanted(state().receiptWindow)) void state().loadReceiptWindow()
      }
    }),
    client.on('settings', (event) => state().settingsChanged(event.settings)),
    client.on('navigate', (event) => state().navigate(routeForTarget(event.to))),
    client.on('update', (event) => state().updateChanged(event.status)),
    client.on('seeder', () => {
      if (isWanted(state().seeders)) void state().loadSeeders()
    }),
    // The desktop app was opened with a bundle: the Verify view shows it (DESIGN section 12).
    client.on('file-opened', () => void state().takeOpenedFile()),
    client.on('demo', (event) => state().demoChanged(event.state)),
  ]

  // IPC is online from the start and never announces it.
  state().setConnection(client.connection())
  if (client.connection().status === 'online') void state().refreshIdentity()

  return () => {
    for (const off of offs) off()
  }
}
