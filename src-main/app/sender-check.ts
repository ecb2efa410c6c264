/**
 * IPC sender check (DESIGN.md section 11, Electron security checklist item 17):
 * a `trust:call` is answered only for the app's own page, loaded from the
 * packaged file or, in development, from electron-vite's dev server origin.
 * A frame that navigated elsewhere, or an iframe, gets nothing.
 */
export function isAppPageUrl(frameUrl: string, appUrl: string): boolean {
  const frame = parse(frameUrl)
  const expected = parse(appUrl)
  if (!frame || !expected) return false
  if (expected.protocol === 'file:') {
    return frame.protocol === 'file:' && frame.host === expected.host && frame.pathname === expected.pathname
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
