/**
 * The identity (DESIGN section 2): its status, and the actions of the onboarding,
 * unlock and settings screens. Passphrases pass straight through to the core and
 * are never kept in the store.
 */
import type { ApiResult, IdentityKey, IdentityStatus } from '../../../src-main/api.js'
import { coalesce } from './coalesce.js'
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

/** Why the identity is locked, for the unlock screen to say. */
export type LockReason =
  /** This page locked it. */
  | 'manual'
  /** It locked itself after the idle timeout, or another window locked it. */
  | 'elsewhere'

export interface IdentitySlice {
  identity: Remote<IdentityStatus>
  lockReason: LockReason | null
  refreshIdentity(): Promise<void>
  /** Called by the event feed on an `identity` event. */
  identityChanged(unlocked: boolean): Promise<void>
  createIdentity(input: { name: string; passphrase: string }): Promise<ApiResult<IdentityKey>>
  unlockIdentity(passphrase: string): Promise<ApiResult<IdentityStatus>>
  lockIdentity(): Promise<ApiResult<null>>
  restoreIdentity(input: { blob: string; passphrase: string }): Promise<ApiResult<IdentityKey>>
  changePassphrase(input: { old: string; new: string }): Promise<ApiResult<null>>
  exportBackup(): Promise<ApiResult<{ blob: string }>>
}

export const createIdentitySlice: SliceCreator<IdentitySlice> = (set, get, client) => {
  let lockingHere = false
  const refresh = coalesce(async () => {
    set({ identity: loadingFrom(get().identity) })
    const result = await client.call('identity.status')
    set({ identity: settled(get().identity, result) })
  })

  return {
    identity: IDLE,
    lockReason: null,
    refreshIdentity: refresh,

    async identityChanged(unlocked) {
      if (unlocked) set({ lockReason: null })
      else set({ lockReason: lockingHere ? 'manual' : 'elsewhere' })
      await refresh()
    },

    async createIdentity(input) {
      const result = await client.call('identity.create', input)
      if (result.ok) await refresh()
      return result
    },

    async unlockIdentity(passphrase) {
      const result = await client.call('identity.unlock', { passphrase })
      if (result.ok) set({ identity: { state: 'ready', value: result.value }, lockReason: null })
      return result
    },

    async lockIdentity() {
      lockingHere = true
      try {
        const result = await client.call('identity.lock')
        if (result.ok) {
          set({ lockReason: 'manual' })
          await refresh()
        }
        return result
      } finally {
        lockingHere = false
      }
    },

    async restoreIdentity(input) {
      const result = await client.call('identity.importBackup', input)
      if (result.ok) await refresh()
      return result
    },

    changePassphrase: (input) => client.call('identity.changePassphrase', input),
    exportBackup: () => client.call('identity.exportBackup'),
  }
}
