/**
 * Electron main entry: the composition root, nothing else (DESIGN.md section 1).
 * One instance per profile, one hardened window showing the page from the app's
 * own `app://trust/` protocol, one IPC handler over the core's createNode()
 * (app/core-bridge.ts) whose events go to the window, the native menu, and
 * `trust:` links (launch argument, second instance, macOS open-url) handed to
 * the page as `navigate` events.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, Menu, protocol, session } from 'electron'
import { answerAppRequest, APP_PAGE_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES } from './app-protocol.js'
import { denyAllPermissions, hardenWebContents } from './harden.js'
import { startCore, type CoreBridge } from './core-bridge.js'
import { registerTrustIpc, sendTrustEvent } from './ipc.js'
import { menuTemplate } from './menu.js'
import { PendingLinks, TRUST_SCHEME, asTrustLink, trustLinkFromArgv } from './trust-links.js'
import { resolveStaticRoot } from '../web/static-files.js'
import { createMainWindow } from './window.js'
import { startDesktopServices } from './desktop-services.js'

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url))

/** The dev server URL is honoured only in an unpackaged build (electron-vite dev sets it). */
function appPageUrl(): string {
  const devUrl = process.env['ELECTRON_RENDERER_URL']
  if (!app.isPackaged && devUrl) return devUrl
  return APP_PAGE_URL
}

function focus(win: BrowserWindow | undefined): void {
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.focus()
}

// Before `ready`: the scheme is standard and secure, so the page gets a real origin.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

// `trust:` links open this app. In development the OS must be told how to start it.
if (process.defaultApp && process.argv.length >= 2) {
  app.setAsDefaultProtocolClient(TRUST_SCHEME, process.execPath, [path.resolve(process.argv[1]!)])
} else {
  app.setAsDefaultProtocolClient(TRUST_SCHEME)
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the profile (DESIGN.md section 9): it got our argv (and link) and focuses itself.
  app.quit()
} else {
  let mainWindow: BrowserWindow | undefined
  // Updates and opened *.trust.json files (DESIGN.md section 12); before `ready` for macOS's open-file.
  const desktop = startDesktopServices((event) => {
    if (mainWindow && !mainWindow.isDestroyed()) sendTrustEvent(mainWindow.webContents, event)
  })
  const appUrl = appPageUrl()
  const links = new PendingLinks()
  const openLink = (link: string): void => links.push(link)

  const launchLink = trustLinkFromArgv(process.argv)
  if (launchLink) openLink(launchLink)

  app.on('second-instance', (_event, argv) => {
    const link = trustLinkFromArgv(argv)
    if (link) openLink(link)
    focus(mainWindow)
  })
  // macOS hands links over this way, also before `ready`.
  app.on('open-url', (event, url) => {
    event.preventDefault()
    const link = asTrustLink(url)
    if (link) openLink(link)
    focus(mainWindow)
  })
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openLink))

  const navigate = (to: string): void => {
    if (mainWindow && !mainWindow.isDestroyed()) sendTrustEvent(mainWindow.webContents, { type: 'navigate', to })
  }

  const openWindow = (): void => {
    const win = createMainWindow({ preloadPath, appUrl })
    links.pause()
    // Links wait until the page has loaded and subscribed to events.
    win.webContents.on('did-finish-load', () => links.flush(navigate))
    win.webContents.on('did-start-loading', () => links.pause())
    win.on('closed', () => {
      links.pause()
      if (mainWindow === win) mainWindow = undefined
    })
    mainWindow = win
  }

  let core: CoreBridge | undefined
  void app.whenReady().then(async () => {
    denyAllPermissions(session.defaultSession)
    const root = resolveStaticRoot(rendererDir)
    protocol.handle(APP_SCHEME, (request) => {
      const answer = answerAppRequest(root, request.method, request.url)
      return new Response(answer.body, { status: answer.status, headers: answer.headers })
    })
    try {
      core = await startCore()
    } catch (err) {
      // PROFILE_LOCKED (a `trust serve` on the same profile) or an unreadable store.
      console.error('Trust Primitive could not open its profile:', err instanceof Error ? err.message : err)
      app.exit(1)
      return
    }
    const api = { ...core.api, ...desktop.api(core.node) }
    registerTrustIpc(api, {
      appUrl,
      onUnexpected: (method, err) => console.error(`trust:call ${method} failed unexpectedly`, err),
    })
    core.on((event) => {
      if (mainWindow && !mainWindow.isDestroyed()) sendTrustEvent(mainWindow.webContents, event)
    })
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(
          { platform: process.platform, isDev: !app.isPackaged, appName: app.getName() },
          {
            navigate,
            lock: () => void api['identity.lock']({}).catch((err: unknown) => console.error('lock failed', err)),
          },
        ),
      ),
    )
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
