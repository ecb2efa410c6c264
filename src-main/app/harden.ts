/**
 * Electron hardening that is not a BrowserWindow option (Electron security
 * checklist; DESIGN.md section 11): no navigation away from the app's page, no
 * new windows, no <webview>, and every permission request denied. The decisions
 * are plain functions (tested without Electron in test/unit/app-shell.test.ts);
 * the wiring below only attaches them.
 */
import type { Session, WebContents } from 'electron'
import { asTrustLink } from './trust-links.js'

/** What a handler is given: something it may cancel, and where it was going. */
export interface CancellableNavigation {
  preventDefault(): void
  url: string
}

/**
 * will-navigate / will-redirect: the page never leaves the app. A click on a
 * `trust:` link is not handed to the OS (which would start a second instance)
 * but opened in place, through `onLink`. Same-document changes (the route in
 * the fragment) do not come here.
 */
export function navigationGuard(onLink: (link: string) => void): (event: CancellableNavigation) => void {
  return (event) => {
    event.preventDefault()
    const link = asTrustLink(event.url)
    if (link) onLink(link)
  }
}

/** window.open and target=_blank: never a new window; a `trust:` link opens in place. */
export function windowOpenGuard(onLink: (link: string) => void): (details: { url: string }) => { action: 'deny' } {
  return (details) => {
    const link = asTrustLink(details.url)
    if (link) onLink(link)
    return { action: 'deny' }
  }
}

/** <webview> is never attached. */
export function webviewGuard(event: { preventDefault(): void }): void {
  event.preventDefault()
}

/** Camera, microphone, notifications, clipboard, USB, HID...: the app needs none, so every request is refused. */
export function permissionRequestGuard(_contents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false)
}

export function permissionCheckGuard(): boolean {
  return false
}

export function hardenWebContents(contents: WebContents, onLink: (link: string) => void = () => {}): void {
  const guard = navigationGuard(onLink)
  contents.on('will-navigate', (event) => guard({ preventDefault: () => event.preventDefault(), url: event.url }))
  contents.on('will-redirect', (event) => guard({ preventDefault: () => event.preventDefault(), url: event.url }))
  contents.on('will-attach-webview', (event) => webviewGuard(event))
  contents.setWindowOpenHandler(windowOpenGuard(onLink))
}

export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler(permissionRequestGuard)
  session.setPermissionCheckHandler(permissionCheckGuard)
  session.setDevicePermissionHandler(permissionCheckGuard)
}
