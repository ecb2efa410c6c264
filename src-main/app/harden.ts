/**
 * Electron hardening that is not a BrowserWindow option (Electron security
 * checklist; DESIGN.md section 11): no navigation away from the app's page, no
 * new windows, no <webview>, and every permission request denied.
 */
import type { Session, WebContents } from 'electron'

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
}
