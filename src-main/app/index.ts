/**
 * Electron main entry: the composition root, nothing else (DESIGN.md section 1).
 * One instance per profile, one hardened window, one IPC handler over the
 * core's createNode() (app/core-bridge.ts); its events go to the window.
 */
import { fileURLToPath, pathToFileURL } from 'node:url'
import { app, BrowserWindow, session } from 'electron'
import { denyAllPermissions, hardenWebContents } from './harden.js'
import { startCore, type CoreBridge } from './core-bridge.js'
import { registerTrustIpc, sendTrustEvent } from './ipc.js'
import { createMainWindow } from './window.js'
import { startDesktopServices } from './desktop-services.js'

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))

/** The dev server URL is honoured only in an unpackaged build (electron-vite dev sets it). */
function appPageUrl(): string {
  const devUrl = process.env['ELECTRON_RENDERER_URL']
  if (!app.isPackaged && devUrl) return devUrl
  return pathToFileURL(fileURLToPath(new URL('../renderer/index.html', import.meta.url))).href
}

function focus(win: BrowserWindow | undefined): void {
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.focus()
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the profile (DESIGN.md section 9): it gets focused instead.
  app.quit()
} else {
  let mainWindow: BrowserWindow | undefined
  // Updates and opened *.trust.json files (DESIGN.md section 12); before `ready` for macOS's open-file.
  const desktop = startDesktopServices((event) => {
    if (mainWindow && !mainWindow.isDestroyed()) sendTrustEvent(mainWindow.webContents, event)
  })
  const appUrl = appPageUrl()

  app.on('second-instance', () => focus(mainWindow))
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))

  const openWindow = (): void => {
    const win = createMainWindow({ preloadPath, appUrl })
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = undefined
    })
    mainWindow = win
  }

  let core: CoreBridge | undefined
  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession)
    try {
      core = await startCore()
    } catch (err) {
      // PROFILE_LOCKED (a `trust serve` on the same profile) or an unreadable store.
      console.error('Trust Primitive could not open its profile:', err instanceof Error ? err.message : err)
      app.exit(1)
      return
    }
    registerTrustIpc({ ...core.api, ...desktop.api(core.node) }, {
      appUrl,
      onUnexpected: (method, err) => console.error(`trust:call ${method} failed unexpectedly`, err),
    })
    core.on((event) => {
      if (mainWindow && !mainWindow.isDestroyed()) sendTrustEvent(mainWindow.webContents, event)
    })
    openWindow()
    // macOS: clicking the dock icon with no window open reopens one
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // Quit wipes the key, stops the network and releases the profile (DESIGN section 2).
  let closing = false
  app.on('will-quit', (event) => {
    if (!core || closing) return
    closing = true
    desktop.stop()
    event.preventDefault()
    void core.close().finally(() => app.quit())
  })
}
