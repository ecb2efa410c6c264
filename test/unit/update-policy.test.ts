/**
 * The decisions behind self-update (src-main/core/updates): which builds may
 * update, when checks run, when an install may run, how the status moves with
 * the updater's events, how failures are told, and the persisted switch.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { UpdateStatus } from '../../src-main/api.js'
import {
  describeUpdateError,
  installRefusal,
  manualCheckAllowed,
  readUpdateConfig,
  shouldCheckNow,
  updateSupport,
  UPDATE_CHECK_INTERVAL_MS,
  type UpdateEnvironment,
} from '../../src-main/core/updates/update-policy.js'
import { applyUpdaterEvent, initialUpdateStatus, type UpdaterEvent } from '../../src-main/core/updates/update-state.js'
import { readUpdateSettings, UPDATE_SETTINGS_FILE, writeUpdateSettings } from '../../src-main/core/updates/update-settings.js'
import { unavailableUpdates } from '../../src-main/core/updates/update-service.js'

const GITHUB_FEED = 'owner: someone\nrepo: trust-primitive\nprovider: github\nupdaterCacheDirName: trust-primitive-updater\n'
const SIGNED_WINDOWS_FEED = `${GITHUB_FEED}publisherName:\n  - Trust Primitive contributors\n`

function environment(over: Partial<UpdateEnvironment>): UpdateEnvironment {
  return { isPackaged: true, platform: 'darwin', env: {}, updateConfigText: GITHUB_FEED, packageType: null, ...over }
}

describe('updateSupport', () => {
  it('is off in development, whatever else holds', () => {
    expect(updateSupport(environment({ isPackaged: false }))).toEqual({ supported: false, reason: 'development build: updates are off' })
  })

  it('is off when the administrator says TRUST_UPDATES=off', () => {
    expect(updateSupport(environment({ env: { TRUST_UPDATES: 'off' } }))).toMatchObject({ supported: false })
  })

  it('needs a feed naming a provider', () => {
    for (const updateConfigText of [null, '', 'updaterCacheDirName: x\n', 'provider: [', '- a\n- b\n', 'provider: ""\n']) {
      expect(updateSupport(environment({ updateConfigText })), String(updateConfigText)).toEqual({
        supported: false,
        reason: 'this build has no update feed',
      })
    }
  })

  it('on Windows, only a signed build (a publisher to check) updates', () => {
    expect(updateSupport(environment({ platform: 'win32' }))).toMatchObject({ supported: false, reason: expect.stringMatching(/not code-signed/) })
    expect(updateSupport(environment({ platform: 'win32', updateConfigText: `${GITHUB_FEED}publisherName: "  "\n` }))).toMatchObject({ supported: false })
    expect(updateSupport(environment({ platform: 'win32', updateConfigText: SIGNED_WINDOWS_FEED }))).toEqual({ supported: true })
  })

  it('on Linux, an AppImage or a deb updates; other installs belong to their package manager', () => {
    expect(updateSupport(environment({ platform: 'linux' }))).toMatchObject({ supported: false, reason: expect.stringMatching(/package manager/) })
    expect(updateSupport(environment({ platform: 'linux', env: { APPIMAGE: '/home/a/Trust.AppImage' } }))).toEqual({ supported: true })
    expect(updateSupport(environment({ platform: 'linux', packageType: 'deb\n' }))).toEqual({ supported: true })
    expect(updateSupport(environment({ platform: 'linux', packageType: 'rpm' }))).toMatchObject({ supported: false })
  })

  it('macOS relies on Squirrel.Mac checking the signature; other systems never update', () => {
    expect(updateSupport(environment({ platform: 'darwin' }))).toEqual({ supported: true })
    expect(updateSupport(environment({ platform: 'freebsd' }))).toMatchObject({ supported: false })
  })

  it('readUpdateConfig reads the provider and the publisher names', () => {
    expect(readUpdateConfig(SIGNED_WINDOWS_FEED)).toEqual({ provider: 'github', publisherNames: ['Trust Primitive contributors'] })
    expect(readUpdateConfig(`${GITHUB_FEED}publisherName: Someone\n`)).toEqual({ provider: 'github', publisherNames: ['Someone'] })
    expect(readUpdateConfig(`${GITHUB_FEED}publisherName: [1, null, ok]\n`)?.publisherNames).toEqual(['ok'])
  })
})

describe('when to check and when to install', () => {
  const now = Date.parse('2026-12-01T12:00:00Z')

  it('checks when allowed, idle or failed, and due', () => {
    const base = { supported: true, autoCheck: true, state: 'idle' as const, lastCheck: undefined, now }
    expect(shouldCheckNow(base)).toBe(true)
    expect(shouldCheckNow({ ...base, autoCheck: false })).toBe(false)
    expect(shouldCheckNow({ ...base, supported: false })).toBe(false)
    expect(shouldCheckNow({ ...base, lastCheck: now - UPDATE_CHECK_INTERVAL_MS + 1 })).toBe(false)
    expect(shouldCheckNow({ ...base, lastCheck: now - UPDATE_CHECK_INTERVAL_MS })).toBe(true)
    expect(shouldCheckNow({ ...base, state: 'error', lastCheck: now - UPDATE_CHECK_INTERVAL_MS })).toBe(true)
    for (const state of ['checking', 'downloading', 'ready', 'unavailable'] as const) {
      expect(shouldCheckNow({ ...base, state }), state).toBe(false)
      expect(manualCheckAllowed(state), state).toBe(false)
    }
  })

  it('installs only a ready update, and never while an action runs', () => {
    expect(installRefusal('ready', 0)).toBeNull()
    expect(installRefusal('ready', 1)).toMatchObject({ reason: 'ACTION_IN_FLIGHT' })
    expect(installRefusal('unavailable', 0)).toMatchObject({ reason: 'UPDATES_UNAVAILABLE' })
    for (const state of ['idle', 'checking', 'downloading', 'error'] as const) {
      expect(installRefusal(state, 0), state).toMatchObject({ reason: 'NO_UPDATE_READY' })
    }
  })
})

describe('the update status', () => {
  const at = new Date('2026-12-01T12:00:00.000Z')
  const run = (events: UpdaterEvent[], start?: UpdateStatus): UpdateStatus =>
    events.reduce((s, e) => applyUpdaterEvent(s, e, at), start ?? initialUpdateStatus({ supported: true, autoCheck: true, current: '0.1.0' }))

  it('goes checking -> downloading -> ready with the version and progress', () => {
    expect(run([{ kind: 'checking' }])).toEqual({ state: 'checking', autoCheck: true, current: '0.1.0', lastCheck: at.toISOString() })
    expect(run([{ kind: 'checking' }, { kind: 'available', version: '0.2.0' }, { kind: 'progress', percent: 41.7 }])).toMatchObject({
      state: 'downloading',
      version: '0.2.0',
      percent: 41,
    })
    const ready = run([{ kind: 'checking' }, { kind: 'available', version: '0.2.0' }, { kind: 'downloaded', version: '0.2.0' }])
    expect(ready).toEqual({ state: 'ready', autoCheck: true, current: '0.1.0', version: '0.2.0', lastCheck: at.toISOString() })
  })

  it('a later check or failure never hides a verified update', () => {
    const ready = run([{ kind: 'available', version: '0.2.0' }, { kind: 'downloaded', version: '0.2.0' }])
    expect(run([{ kind: 'checking' }, { kind: 'not-available' }], ready).state).toBe('ready')
    expect(run([{ kind: 'error', error: new Error('offline') }], ready)).toMatchObject({ state: 'ready', version: '0.2.0', error: 'the update failed' })
  })

  it('a failure says what happened in words, never the updater message', () => {
    const failed = run([{ kind: 'checking' }, { kind: 'available', version: '0.2.0' }, { kind: 'error', error: Object.assign(new Error('sha512 checksum mismatch, expected abc, got def at /home/alice/.cache/x'), { code: 'ERR_CHECKSUM_MISMATCH' }) }])
    expect(failed).toMatchObject({ state: 'error', error: "the update's SHA-512 did not match the release; it was discarded" })
    expect(failed.version).toBeUndefined()
    expect(JSON.stringify(failed)).not.toMatch(/alice|abc/)
  })

  it('keeps only a plain version string from the feed, and clamps progress', () => {
    expect(run([{ kind: 'available', version: '1.2.3-beta.1+b<script>' }]).version).toBe('1.2.3-beta.1+bscript')
    expect(run([{ kind: 'available', version: 'x'.repeat(500) }]).version).toHaveLength(64)
    expect(run([{ kind: 'available', version: '1.0.0' }, { kind: 'progress', percent: 250 }]).percent).toBe(100)
    expect(run([{ kind: 'available', version: '1.0.0' }, { kind: 'progress', percent: Number.NaN }]).percent).toBe(0)
    // progress outside a download is ignored
    expect(run([{ kind: 'progress', percent: 10 }]).percent).toBeUndefined()
  })

  it('an unavailable status never moves', () => {
    const off = initialUpdateStatus({ supported: false, reason: 'development build: updates are off', autoCheck: true })
    expect(run([{ kind: 'checking' }, { kind: 'downloaded', version: '9.9.9' }], off)).toBe(off)
    expect(unavailableUpdates().status()).toEqual({ state: 'unavailable', autoCheck: false, reason: 'updates run only in the installed desktop app' })
  })

  it('describes each failure the user can act on', () => {
    const coded = (code: string): Error => Object.assign(new Error('x'), { code })
    expect(describeUpdateError(coded('ERR_UPDATER_INVALID_SIGNATURE'))).toMatch(/not signed by the expected publisher/)
    expect(describeUpdateError(coded('ERR_UPDATER_NO_CHECKSUM'))).toMatch(/no SHA-512/)
    expect(describeUpdateError(coded('ERR_UPDATER_LATEST_VERSION_NOT_FOUND'))).toMatch(/no update for this platform/)
    expect(describeUpdateError(coded('ENOTFOUND'))).toBe('the release feed could not be reached')
    expect(describeUpdateError(new Error('net::ERR_INTERNET_DISCONNECTED'))).toBe('the release feed could not be reached')
    expect(describeUpdateError(new Error('Code signature at URL file:///x did not pass validation'))).toMatch(/code signature did not verify/)
    expect(describeUpdateError('weird')).toBe('the update failed')
    expect(describeUpdateError(null)).toBe('the update failed')
  })
})

describe('the persisted switch', () => {
  const dirs: string[] = []
  const tmp = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-update-settings-'))
    dirs.push(dir)
    return dir
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('is on by default and keeps what the user chose', () => {
    const dir = tmp()
    expect(readUpdateSettings(dir)).toEqual({ autoCheck: true })
    writeUpdateSettings(dir, { autoCheck: false })
    expect(readUpdateSettings(dir)).toEqual({ autoCheck: false })
    expect(JSON.parse(fs.readFileSync(path.join(dir, UPDATE_SETTINGS_FILE), 'utf8'))).toEqual({ autoCheck: false })
    writeUpdateSettings(dir, { autoCheck: true })
    expect(readUpdateSettings(dir)).toEqual({ autoCheck: true })
    expect(fs.readdirSync(dir)).toEqual([UPDATE_SETTINGS_FILE]) // no temporary file left
  })

  it('a damaged or foreign file means the default', () => {
    const dir = tmp()
    const file = path.join(dir, UPDATE_SETTINGS_FILE)
    for (const text of ['{', '[]', 'null', '{"autoCheck":"no"}', `{"autoCheck":false,"pad":"${'x'.repeat(5000)}"}`]) {
      fs.writeFileSync(file, text)
      expect(readUpdateSettings(dir), text.slice(0, 20)).toEqual({ autoCheck: true })
    }
  })
})
