/**
 * The one window. Its page runs with contextIsolation, the sandbox and no Node
 * (DESIGN.md section 11); the page's CSP is in src-renderer/index.html.
 */
import { BrowserWindow } from 'electron'

export interface MainWindowOptions {
  /** Absolute path of the built preload (CommonJS: sandboxed preloads cannot be ESM). */
  preloadPath: string
  /** The app page: a file URL when packaged, the dev server's URL in development. */
  appUrl: string
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Trust Primitive',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(options.appUrl)
  return win
}
