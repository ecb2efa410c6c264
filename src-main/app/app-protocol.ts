/**
 * The app's page is served from its own `app://trust/` scheme instead of
 * `file://` (Electron security checklist, "use a custom protocol"): a standard,
 * secure origin of its own, so the page cannot read other files through
 * file:// and its CSP 'self' means exactly the app. Only files under the built
 * renderer are served, through the same path checks as browser mode
 * (web/static-files.ts), with the page's CSP as a header too.
 */
import fs from 'node:fs'
import { contentTypeFor, resolveStaticFile } from '../web/static-files.js'

export const APP_SCHEME = 'app'
export const APP_HOST = 'trust'
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** For protocol.registerSchemesAsPrivileged, before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false },
} as const

/** The same policy as src-renderer/index.html's meta tag (DESIGN section 11). */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** The file under `realRoot` an app:// request names, or null when it must not be served. */
export function appFileFor(realRoot: string, requestUrl: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return null
  return resolveStaticFile(realRoot, url.pathname)
}

export interface AppResponse {
  status: number
  headers: Record<string, string>
  body: Buffer | null
}

/** What the protocol handler answers for one request (GET only). */
export function answerAppRequest(realRoot: string, method: string, requestUrl: string): AppResponse {
  const common = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' }
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: { ...common, Allow: 'GET, HEAD' }, body: null }
  const file = appFileFor(realRoot, requestUrl)
  if (!file) return { status: 404, headers: { ...common, 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from('not found\n') }
  const type = contentTypeFor(file)
  const headers: Record<string, string> = { ...common, 'Content-Type': type }
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = APP_CSP
  return { status: 200, headers, body: method === 'HEAD' ? null : fs.readFileSync(file) }
}
