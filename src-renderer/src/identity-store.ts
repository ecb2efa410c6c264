/** Identity status as the UI knows it, refreshed from window.trust. */
import { create } from 'zustand'
import type { ApiError, IdentityStatus } from '../../src-main/api.js'
import { callTrust, hasTrustBridge } from './trust-client.js'

export type IdentityView =
  | { kind: 'loading' }
  | { kind: 'no-bridge' }
  | { kind: 'ready'; identity: IdentityStatus }
  | { kind: 'error'; error: ApiError }

interface IdentityStore {
  view: IdentityView
  refresh(): Promise<void>
}

export const useIdentityStore = create<IdentityStore>((set) => ({
  view: { kind: 'loading' },
  async refresh() {
    if (!hasTrustBridge()) {
      set({ view: { kind: 'no-bridge' } })
      return
    }
    const result = await callTrust('identity.status')
    set({ view: result.ok ? { kind: 'ready', identity: result.value } : { kind: 'error', error: result.error } })
  },
}))
