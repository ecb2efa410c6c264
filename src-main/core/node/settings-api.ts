/**
 * `settings.*` of the TrustApi (DESIGN section 11): the preferences the core acts
 * on, stored in the profile (store/preferences.ts). Today that is the idle lock
 * timeout, applied to the identity at once and on every later start.
 */
import type { Settings, TrustApi, TrustEvent } from '../../api.js'
import type { IdentityService } from '../identity/index.js'
import type { Db } from '../store/database.js'
import { readPreference, writePreference } from '../store/preferences.js'
import { optInt, paramsOf } from './params.js'

/** What settings.set accepts: 5 seconds to 24 hours (DESIGN section 2 wants the key wiped on idle). */
export const IDLE_LOCK_RANGE = { min: 5_000, max: 24 * 60 * 60_000 } as const

export interface SettingsApiContext {
  db: Db
  identity: IdentityService
  now(): number
  emit(event: TrustEvent): void
}

/**
 * The idle timeout a node starts with: the stored preference when it is a valid
 * one, else `fallback` (the node's option). An edited, out-of-range value is ignored.
 */
export function storedIdleLockMs(db: Db, fallback: number): number {
  const stored = readPreference(db, 'idleLockMs')
  const valid = typeof stored === 'number' && Number.isSafeInteger(stored) && stored >= IDLE_LOCK_RANGE.min && stored <= IDLE_LOCK_RANGE.max
  return valid ? stored : fallback
}

export function settingsApi(ctx: SettingsApiContext): Pick<TrustApi, 'settings.get' | 'settings.set'> {
  const current = (): Settings => ({ idleLockMs: ctx.identity.idleLockTimeout })
  return {
    'settings.get': async (params) => {
      paramsOf('settings.get', params, [])
      return current()
    },
    'settings.set': async (params) => {
      const p = paramsOf('settings.set', params, ['idleLockMs'])
      const idleLockMs = optInt('settings.set', p, 'idleLockMs', IDLE_LOCK_RANGE.min, IDLE_LOCK_RANGE.max)
      if (idleLockMs !== undefined && idleLockMs !== ctx.identity.idleLockTimeout) {
        writePreference(ctx.db, 'idleLockMs', idleLockMs, new Date(ctx.now()))
        ctx.identity.setIdleLockTimeout(idleLockMs)
        const settings = current()
        ctx.emit({ type: 'settings', settings })
        return settings
      }
      return current()
    },
  }
}
