/**
 * Picks the TrustClient for this page: the preload's bridge in the desktop app,
 * else JSON-RPC over WebSocket back to the `trust serve` that served the page,
 * with the token from the address. Null when neither is possible (a page opened
 * without its link): the app then says how to open it.
 */
import { createIpcClient } from './ipc-client.js'
import { apiUrlFor, takeApiToken } from './api-token.js'
import type { TrustClient } from './trust-client.js'
import { createWebSocketClient } from './ws-client.js'

export function connectClient(win: Window): TrustClient | null {
  if (win.trust) return createIpcClient(win.trust)
  let storage: Storage | null = null
  try {
    storage = win.sessionStorage
  } catch {
    storage = null
  }
  const token = takeApiToken({
    hash: win.location.hash,
    storage,
    replaceHash: (hash) => win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}${hash}`),
  })
  if (token === null || (win.location.protocol !== 'http:' && win.location.protocol !== 'https:')) return null
  return createWebSocketClient({
    url: apiUrlFor(win.location.host, token),
    createSocket: (url) => new WebSocket(url),
  })
}
