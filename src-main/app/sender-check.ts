/**
 * IPC sender check (DESIGN.md section 11, Electron security checklist item 17):
 * a `trust:call` is answered only for the app's own page, served from the app's
 * `app://trust/` protocol (or a file, for older builds) or, in development, from
 * electron-vite's dev server origin. A frame that navigated elsewhere, or an
 * iframe, gets nothing.
 */
export function isAppPageUrl(frameUrl: string, appUrl: string): boolean {
  const frame = parse(frameUrl)
  const expected = parse(appUrl)
  if (!frame || !expected) return false
  if (expected.protocol === 'file:' || expected.protocol === 'app:') {
    return frame.protocol === expected.protocol && frame.host === expected.host && frame.pathname === expected.pathname
  }
  if (expected.protocol === 'http:' || expected.protocol === 'https:') {
    return frame.origin === expected.origin
  }
  return false
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** The part of Electron's WebFrameMain the check needs. */
export interface SenderFrame {
  url: string
  /** null for a top frame. */
  parent: unknown
}

/** A call is answered only for the top frame showing the app's own page. */
export function isTrustedSender(frame: SenderFrame | null | undefined, appUrl: string): boolean {
  return !!frame && frame.parent === null && isAppPageUrl(frame.url, appUrl)
}
