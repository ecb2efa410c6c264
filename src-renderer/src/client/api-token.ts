/**
 * Browser mode: the API token arrives in the address's fragment,
 * `http://127.0.0.1:<port>/#token=<token>` (`trust serve` prints it). Fragments
 * never reach a server or a Referer. The page takes the token out of the address
 * bar at once (so it is not left on screen, in history or in a screenshot) and
 * keeps it in sessionStorage, so a reload of this tab still connects while other
 * tabs and later sessions need the link again.
 */

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/
export const TOKEN_STORAGE_KEY = 'trust-primitive.api-token'

/** The part of Web Storage used (sessionStorage in the page). */
export interface TokenStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export interface TokenSource {
  /** location.hash, e.g. `#token=abc` */
  hash: string
  /** Where the token is kept for reloads (sessionStorage), if available. */
  storage: TokenStorage | null
  /** Replaces the current address without the token (history.replaceState). */
  replaceHash(hash: string): void
}

/** The token from the fragment (removed from the address) or from an earlier load of this tab; null if none. */
export function takeApiToken(source: TokenSource): string | null {
  const fromHash = tokenInHash(source.hash)
  if (fromHash !== null) {
    source.replaceHash(`#${startPathInHash(source.hash) ?? '/'}`)
    try {
      source.storage?.setItem(TOKEN_STORAGE_KEY, fromHash)
    } catch {
      // storage full or disabled: this load still works, a reload needs the link
    }
    return fromHash
  }
  let stored: string | null = null
  try {
    stored = source.storage?.getItem(TOKEN_STORAGE_KEY) ?? null
  } catch {
    stored = null
  }
  return stored !== null && TOKEN_SHAPE.test(stored) ? stored : null
}

/** A plain view path: `/demo`, `/settings` (no query: links carry nothing else). */
const START_PATH = /^\/[a-z0-9/-]{0,64}$/

/**
 * The view to open with the token, `#token=<t>&to=/demo` (`trust demo --ui` prints
 * such a link); null when absent or not a plain view path. The router parses it
 * like any address, so an unknown view is "not found", never an error.
 */
export function startPathInHash(hash: string): string | null {
  if (!hash.startsWith('#') || hash.startsWith('#/')) return null
  for (const part of hash.slice(1).split('&')) {
    if (!part.startsWith('to=')) continue
    const value = part.slice(3)
    return START_PATH.test(value) ? value : null
  }
  return null
}

/** `#token=<t>` (optionally among other `&`-separated fields); null when absent or malformed. */
export function tokenInHash(hash: string): string | null {
  if (!hash.startsWith('#') || hash.startsWith('#/')) return null
  for (const part of hash.slice(1).split('&')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq) === 'token') {
      const value = part.slice(eq + 1)
      return TOKEN_SHAPE.test(value) ? value : null
    }
  }
  return null
}

/** The API's address on the server that served this page. */
export function apiUrlFor(host: string, token: string): string {
  return `ws://${host}/api?token=${encodeURIComponent(token)}`
}
