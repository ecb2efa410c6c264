/**
 * The app's one zustand store, made of one slice per domain. Slices hold what the
 * core said and the actions that ask it; they never poll. event-feed.ts is the one
 * place where the core's events turn into store updates.
 *
 * DOM-free (zustand/vanilla): the tests drive it in Node against a real core.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { TrustClient } from '../client/trust-client.js'
import { createConnectionSlice, type ConnectionSlice } from './connection-slice.js'
import { createContactsSlice, type ContactsSlice } from './contacts-slice.js'
import { createIdentitySlice, type IdentitySlice } from './identity-slice.js'
import { createNegotiationsSlice, type NegotiationsSlice } from './negotiations-slice.js'
import { createNetworkSlice, type NetworkSlice } from './network-slice.js'
import { createReceiptsSlice, type ReceiptsSlice } from './receipts-slice.js'
import { createRouteSlice, type RouteSlice } from './route-slice.js'
import { createSettingsSlice, type SettingsSlice } from './settings-slice.js'
import { createToastsSlice, type ToastsSlice } from './toasts-slice.js'
import { createVerifySlice, type VerifySlice } from './verify-slice.js'
import { createBundleReportSlice, type BundleReportSlice } from './bundle-report-slice.js'
import { createDiagnosticsSlice, type DiagnosticsSlice } from './diagnostics-slice.js'
import { createUpdatesSlice, type UpdatesSlice } from './updates-slice.js'
import { createSeedersSlice, type SeedersSlice } from './seeders-slice.js'
import { createDemoSlice, type DemoSlice } from './demo-slice.js'

export interface AppState
  extends ConnectionSlice,
    IdentitySlice,
    ContactsSlice,
    NegotiationsSlice,
    ReceiptsSlice,
    NetworkSlice,
    SettingsSlice,
    ToastsSlice,
    RouteSlice,
    VerifySlice,
    BundleReportSlice,
    DiagnosticsSlice,
    UpdatesSlice,
    SeedersSlice,
    DemoSlice {}

export type AppStore = StoreApi<AppState>
export type SetState = AppStore['setState']
export type GetState = AppStore['getState']
/** How a slice is made: it may read and write the whole state and call the core. */
export type SliceCreator<S> = (set: SetState, get: GetState, client: TrustClient) => S

export function createAppStore(client: TrustClient): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createConnectionSlice(set, get, client),
    ...createIdentitySlice(set, get, client),
    ...createContactsSlice(set, get, client),
    ...createNegotiationsSlice(set, get, client),
    ...createReceiptsSlice(set, get, client),
    ...createNetworkSlice(set, get, client),
    ...createSettingsSlice(set, get, client),
    ...createToastsSlice(set, get, client),
    ...createRouteSlice(set, get, client),
    ...createVerifySlice(set, get, client),
    ...createBundleReportSlice(set, get, client),
    ...createDiagnosticsSlice(set, get, client),
    ...createUpdatesSlice(set, get, client),
    ...createSeedersSlice(set, get, client),
    ...createDemoSlice(set, get, client),
  }))
}
