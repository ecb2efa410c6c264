/**
 * Electron main entry: the composition root, nothing else (DESIGN.md section 1).
 * One instance per profile, one hardened window, one IPC handler. The TrustApi
 * behind it is the unwired stub until the core's createNode() is composed here.
 */
import { fileURLToPath, pathToFileURL } from 'node:url'
import { app, BrowserWindow, session } from 'electron'
import { denyAllPermissions, hardenWebContents } from './harden.js'
import { registerTrustIpc } from './ipc.js'
import { createUnwiredApi } from './unwired-api.js'
import { createMainWindow } from './window.js'

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

  void app.whenReady().then(() => {
    denyAllPermissions(session.defaultSession)
    registerTrustIpc(createUnwiredApi(), {
      appUrl,
      onUnexpected: (method, err) => console.error(`trust:call ${method} failed unexpectedly`, err),
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
}
