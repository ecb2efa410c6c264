/**
 * The updater of the packaged app (DESIGN.md section 12): electron-updater
 * against the release feed in resources/app-update.yml. Thin on purpose: whether
 * this build may update, when to check, what the status becomes and whether an
 * install may run are decided in src-main/core/updates (tested under Node).
 * electron-updater verifies the download's SHA-512 against the feed and, on
 * Windows, its Authenticode publisher; Squirrel.Mac verifies the code signature
 * on macOS. A verified update is installed only through `updates.install`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { app } from 'electron'
import electronUpdater from 'electron-updater'
import type { TrustEvent } from '../api.js'
import { manualCheckAllowed, shouldCheckNow, updateSupport } from '../core/updates/update-policy.js'
import { readUpdateSettings, writeUpdateSettings } from '../core/updates/update-settings.js'
import { unavailableUpdates, type UpdateService } from '../core/updates/update-service.js'
import { applyUpdaterEvent, initialUpdateStatus, type UpdaterEvent } from '../core/updates/update-state.js'

/** The first automatic check waits for the app to settle. */
const FIRST_CHECK_DELAY_MS = 30_000
const TICK_MS = 15 * 60_000

export interface AutoUpdate extends UpdateService {
  stop(): void
}

function readOptional(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

export function createAutoUpdate(emit: (event: TrustEvent) => void): AutoUpdate {
  const support = updateSupport({
    isPackaged: app.isPackaged,
    platform: process.platform,
    env: process.env,
    updateConfigText: readOptional(path.join(process.resourcesPath, 'app-update.yml')),
    packageType: readOptional(path.join(process.resourcesPath, 'package-type')),
  })
  if (!support.supported) return { ...unavailableUpdates(support.reason, app.getVersion()), stop: () => {} }

  const settingsDir = app.getPath('userData')
  let status = initialUpdateStatus({ supported: true, autoCheck: readUpdateSettings(settingsDir).autoCheck, current: app.getVersion() })
  const publish = (): void => emit({ type: 'update', status: { ...status } })

  const { autoUpdater } = electronUpdater
  autoUpdater.autoDownload = true
  autoUpdater.autoInstallOnAppQuit = false // never behind the user's back: only updates.install
  autoUpdater.allowDowngrade = false
  autoUpdater.allowPrerelease = false
  autoUpdater.logger = null // its messages carry URLs and paths; failures reach the status in words

  const onEvent = (event: UpdaterEvent): void => {
    const next = applyUpdaterEvent(status, event, new Date())
    if (next === status) return
    status = next
    publish()
  }
  autoUpdater.on('checking-for-update', () => onEvent({ kind: 'checking' }))
  autoUpdater.on('update-available', (info) => onEvent({ kind: 'available', version: info.version }))
  autoUpdater.on('update-not-available', () => onEvent({ kind: 'not-available' }))
  autoUpdater.on('download-progress', (progress) => onEvent({ kind: 'progress', percent: progress.percent }))
  autoUpdater.on('update-downloaded', (info) => onEvent({ kind: 'downloaded', version: info.version }))
  autoUpdater.on('error', (error) => onEvent({ kind: 'error', error }))

  const checkNow = (): void => {
    autoUpdater.checkForUpdates().catch((error: unknown) => onEvent({ kind: 'error', error }))
  }
  const tick = (): void => {
    const lastCheck = status.lastCheck === undefined ? undefined : Date.parse(status.lastCheck)
    if (shouldCheckNow({ supported: true, autoCheck: status.autoCheck, state: status.state, lastCheck, now: Date.now() })) checkNow()
  }
  const first = setTimeout(tick, FIRST_CHECK_DELAY_MS)
  const timer = setInterval(tick, TICK_MS)

  return {
    status: () => ({ ...status }),
    async setAutoCheck(enabled) {
      writeUpdateSettings(settingsDir, { autoCheck: enabled })
      status = { ...status, autoCheck: enabled }
      publish()
      if (enabled) tick()
      return { ...status }
    },
    async check() {
      if (manualCheckAllowed(status.state)) checkNow()
      return { ...status }
    },
    install() {
      // after the IPC answer is sent; quitting runs the will-quit close (key wiped, profile released)
      setImmediate(() => autoUpdater.quitAndInstall(false, true))
    },
    stop() {
      clearTimeout(first)
      clearInterval(timer)
    },
  }
}
