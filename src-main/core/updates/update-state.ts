/**
 * The update status the Settings screen shows (UpdateStatus, src-main/api.ts),
 * moved on by what the updater reports. A pure reducer: the Electron side turns
 * electron-updater's events into UpdaterEvent values and stores what comes back.
 */
import type { UpdateStatus } from '../../api.js'
import { describeUpdateError } from './update-policy.js'

export type UpdaterEvent =
  | { kind: 'checking' }
  | { kind: 'available'; version: string }
  | { kind: 'not-available' }
  | { kind: 'progress'; percent: number }
  /** Downloaded, and its SHA-512 (and code signature where the platform has one) verified. */
  | { kind: 'downloaded'; version: string }
  | { kind: 'error'; error: unknown }

/** Longest version string kept: it comes from the release feed. */
const MAX_VERSION = 64

function cleanVersion(version: string): string {
  return version.replace(/[^0-9A-Za-z.+-]/g, '').slice(0, MAX_VERSION)
}

export function initialUpdateStatus(opts: { supported: boolean; reason?: string; autoCheck: boolean; current?: string }): UpdateStatus {
  const status: UpdateStatus = { state: opts.supported ? 'idle' : 'unavailable', autoCheck: opts.autoCheck }
  if (!opts.supported) status.reason = opts.reason ?? 'this build does not update itself'
  if (opts.current !== undefined) status.current = opts.current
  return status
}

export function applyUpdaterEvent(status: UpdateStatus, event: UpdaterEvent, now: Date): UpdateStatus {
  if (status.state === 'unavailable') return status
  const base: UpdateStatus = { state: status.state, autoCheck: status.autoCheck }
  if (status.current !== undefined) base.current = status.current
  if (status.lastCheck !== undefined) base.lastCheck = status.lastCheck
  switch (event.kind) {
    case 'checking':
      // a verified download stays ready: a later check must not hide it
      if (status.state === 'ready') return status
      return { ...base, state: 'checking', lastCheck: now.toISOString() }
    case 'not-available':
      if (status.state === 'ready') return status
      return { ...base, state: 'idle' }
    case 'available':
      return { ...base, state: 'downloading', version: cleanVersion(event.version), percent: 0 }
    case 'progress': {
      if (status.state !== 'downloading') return status
      const percent = Number.isFinite(event.percent) ? Math.min(100, Math.max(0, Math.floor(event.percent))) : 0
      return { ...status, percent }
    }
    case 'downloaded':
      return { ...base, state: 'ready', version: cleanVersion(event.version) }
    case 'error':
      // a failed later check does not discard an update already verified
      if (status.state === 'ready') return { ...status, error: describeUpdateError(event.error) }
      return { ...base, state: 'error', error: describeUpdateError(event.error) }
  }
}
