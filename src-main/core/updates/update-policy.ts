/**
 * The decisions behind self-update (DESIGN.md section 12), as plain functions so
 * they are tested under Node: whether this build may update itself at all, when
 * to check, whether a downloaded update may be installed now, and how a failure
 * is told to the user. The Electron side (src-main/app/auto-update.ts) only
 * feeds them facts and carries out what they decide.
 */
import { parse as parseYaml } from 'yaml'
import type { UpdateState } from '../../api.js'

export interface UpdateEnvironment {
  /** Electron's app.isPackaged: false in development (`npm start`, `npm run dev`). */
  isPackaged: boolean
  platform: string
  env: Readonly<Record<string, string | undefined>>
  /** Text of resources/app-update.yml, written by electron-builder when the build has a feed; null when absent. */
  updateConfigText: string | null
  /** Text of resources/package-type (`deb`, ...), written by electron-builder for Linux packages; null when absent. */
  packageType: string | null
}

export type UpdateSupport = { supported: true } | { supported: false; reason: string }

/** Whether this build may update itself, and why not. Anything unexpected says no. */
export function updateSupport(e: UpdateEnvironment): UpdateSupport {
  if (!e.isPackaged) return { supported: false, reason: 'development build: updates are off' }
  if (e.env['TRUST_UPDATES'] === 'off') return { supported: false, reason: 'turned off by TRUST_UPDATES=off' }
  const feed = readUpdateConfig(e.updateConfigText)
  if (!feed) return { supported: false, reason: 'this build has no update feed' }
  if (e.platform === 'win32' && feed.publisherNames.length === 0) {
    // electron-updater 6 skips the Authenticode check when no publisher is named:
    // an unsigned build must not accept updates it cannot verify.
    return { supported: false, reason: 'this build is not code-signed, so an update could not be verified' }
  }
  if (e.platform === 'linux' && !e.env['APPIMAGE'] && e.packageType?.trim() !== 'deb') {
    return { supported: false, reason: 'this install is updated by its package manager' }
  }
  if (!['win32', 'darwin', 'linux'].includes(e.platform)) return { supported: false, reason: `no updates on ${e.platform}` }
  return { supported: true }
}

export interface UpdateFeedConfig {
  provider: string
  publisherNames: string[]
}

/** The parts of app-update.yml the policy needs; null when it is missing or names no provider. */
export function readUpdateConfig(text: string | null): UpdateFeedConfig | null {
  if (text === null) return null
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch {
    return null
  }
  if (typeof doc !== 'object' || doc === null) return null
  const record = doc as Record<string, unknown>
  if (typeof record['provider'] !== 'string' || record['provider'] === '') return null
  const names = record['publisherName']
  const publisherNames = (Array.isArray(names) ? names : [names]).filter((n): n is string => typeof n === 'string' && n.trim() !== '')
  return { provider: record['provider'], publisherNames }
}

/** How often the feed is checked while the switch is on. */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60_000

export interface CheckFacts {
  supported: boolean
  autoCheck: boolean
  state: UpdateState
  /** ms since the epoch of the last check, if any. */
  lastCheck: number | undefined
  now: number
  intervalMs?: number
}

/** An automatic check runs when allowed, not already under way or done, and due. */
export function shouldCheckNow(f: CheckFacts): boolean {
  if (!f.supported || !f.autoCheck) return false
  if (!manualCheckAllowed(f.state)) return false
  return f.lastCheck === undefined || f.now - f.lastCheck >= (f.intervalMs ?? UPDATE_CHECK_INTERVAL_MS)
}

/** A check asked for by the user starts unless one is under way or an update already waits. */
export function manualCheckAllowed(state: UpdateState): boolean {
  return state === 'idle' || state === 'error'
}

export type InstallRefusal = { reason: 'UPDATES_UNAVAILABLE' | 'NO_UPDATE_READY' | 'ACTION_IN_FLIGHT'; text: string }

/**
 * An update is installed only when one is downloaded and verified (`ready`) and
 * no other call is running: quitting mid-action could cut a signature off from
 * its receipt. The user's consent is the `updates.install` call itself.
 */
export function installRefusal(state: UpdateState, actionsInFlight: number): InstallRefusal | null {
  if (state === 'unavailable') return { reason: 'UPDATES_UNAVAILABLE', text: 'this build does not update itself' }
  if (state !== 'ready') return { reason: 'NO_UPDATE_READY', text: 'no verified update is ready to install' }
  if (actionsInFlight > 0) {
    return { reason: 'ACTION_IN_FLIGHT', text: 'an action is still running; install the update when it has finished' }
  }
  return null
}

/**
 * A failure from the updater in words for the Settings screen. Its own message
 * may carry URLs, paths or response bodies, so only its code is looked at.
 */
export function describeUpdateError(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined
  const message = err instanceof Error ? err.message : ''
  switch (code) {
    case 'ERR_UPDATER_INVALID_SIGNATURE':
      return 'the update is not signed by the expected publisher; it was discarded'
    case 'ERR_CHECKSUM_MISMATCH':
      return "the update's SHA-512 did not match the release; it was discarded"
    case 'ERR_UPDATER_NO_CHECKSUM':
      return 'the release publishes no SHA-512 for the update; it was not downloaded'
    case 'ERR_UPDATER_LATEST_VERSION_NOT_FOUND':
    case 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND':
    case 'ERR_UPDATER_NO_PUBLISHED_VERSIONS':
    case 'ERR_UPDATER_RELEASE_NOT_FOUND':
    case 'ERR_UPDATER_ASSET_NOT_FOUND':
      return 'the release feed has no update for this platform'
    case 'ERR_UPDATER_INVALID_UPDATE_INFO':
    case 'ERR_UPDATER_INVALID_RELEASE_FEED':
    case 'ERR_UPDATER_INVALID_VERSION':
      return 'the release feed is malformed; nothing was downloaded'
  }
  // Squirrel.Mac reports a bad code signature in its own words, without a code.
  if (/code ?sign|signature/i.test(message)) return "the update's code signature did not verify; it was discarded"
  if (typeof code === 'string' && /^(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH)$/.test(code)) {
    return 'the release feed could not be reached'
  }
  if (/net::ERR_/.test(message)) return 'the release feed could not be reached'
  return 'the update failed'
}
