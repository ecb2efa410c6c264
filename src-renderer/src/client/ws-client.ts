/**
 * TrustClient over JSON-RPC 2.0 on a WebSocket (browser mode, DESIGN section 11):
 * requests `{jsonrpc, id, method, params}`, core errors as `-32000` with the
 * TrustError code in `data.code`, events as notifications `{"method":"event",
 * "params":{type,...}}`.
 *
 * A dropped socket is reopened with exponential backoff (backoff.ts). While it is
 * away, calls fail at once with NETWORK instead of queueing (an offer must not be
 * sent minutes later behind the user's back), calls in flight when it dropped fail
 * with NETWORK, and every call gives up after `callTimeoutMs`: nothing hangs.
 *
 * The socket is injected (`createSocket`), so the page passes the browser's
 * WebSocket and the tests the `ws` package's, against the real server.
 */
import type { ApiError, ApiResult, TrustErrorCode, TrustEvent, TrustEventType } from '../../../src-main/api.js'
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js'
import {
  connectionLostError,
  isTrustEventType,
  notConnectedError,
  timeoutError,
  tooLargeError,
  type ConnectionState,
  type TrustClient,
} from './trust-client.js'

/**
 * The part of the WebSocket API used here; the browser's and `ws`'s both have it.
 * Handler parameters are `never` so either library's event types fit; the
 * handlers below read only `data` of a message event.
 */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: never) => void) | null
  onmessage: ((event: never) => void) | null
  onclose: ((event: never) => void) | null
  onerror: ((event: never) => void) | null
}

export interface WebSocketClientOptions {
  /** ws://127.0.0.1:<port>/api?token=<token> */
  url: string
  createSocket(url: string): SocketLike
  /** A call with no answer after this long fails with NETWORK. Default 120 s (scrypt and joins take seconds). */
  callTimeoutMs?: number
  backoff?: BackoffOptions
  now?: () => number
  /**
   * The server's message limit (`trust serve`: 1 MiB). A larger request is refused
   * here with TOO_LARGE instead of being sent, since the server would close the
   * connection on it (1009) and every call in flight would be lost with it.
   */
  maxMessageBytes?: number
}

const OPEN = 1

interface Pending {
  method: string
  resolve(result: ApiResult<never>): void
  timer: ReturnType<typeof setTimeout>
}

export function createWebSocketClient(options: WebSocketClientOptions): TrustClient {
  const callTimeoutMs = options.callTimeoutMs ?? 120_000
  const backoff = options.backoff ?? DEFAULT_BACKOFF
  const now = options.now ?? (() => Date.now())
  const maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024
  const pending = new Map<number, Pending>()
  const eventListeners = new Map<TrustEventType, Set<(event: TrustEvent) => void>>()
  const connectionListeners = new Set<(state: ConnectionState) => void>()
  let state: ConnectionState = { status: 'connecting' }
  let socket: SocketLike | null = null
  let nextId = 1
  let attempt = 0
  let droppedAt = 0
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let closed = false

  function setState(next: ConnectionState): void {
    state = next
    for (const listener of [...connectionListeners]) {
      try {
        listener(next)
      } catch {
        // one broken listener must not stop the others
      }
    }
  }

  function failAll(error: ApiError): void {
    for (const [id, p] of pending) {
      clearTimeout(p.timer)
      pending.delete(id)
      p.resolve({ ok: false, error })
    }
  }

  function open(): void {
    retryTimer = null
    if (closed) return
    let s: SocketLike
    try {
      s = options.createSocket(options.url)
    } catch {
      scheduleRetry()
      return
    }
    socket = s
    s.onopen = () => {
      if (socket !== s) return
      attempt = 0
      setState({ status: 'online' })
    }
    s.onmessage = (event: { data: unknown }) => {
      if (socket === s && typeof event.data === 'string') receive(event.data)
    }
    s.onerror = () => {
      // a close event always follows; reconnection is handled there
    }
    s.onclose = () => {
      if (socket !== s) return
      socket = null
      failAll(connectionLostError())
      if (!closed) scheduleRetry()
    }
  }

  function scheduleRetry(): void {
    if (state.status !== 'offline') droppedAt = now()
    attempt++
    const delay = backoffDelay(attempt, backoff)
    setState({ status: 'offline', attempt, retryAt: now() + delay, since: droppedAt })
    retryTimer = setTimeout(open, delay)
  }

  function receive(text: string): void {
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return // not JSON: nothing we asked for
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return
    const m = message as Record<string, unknown>
    if (m.method === 'event') {
      const params = m.params as Record<string, unknown> | undefined
      if (typeof params === 'object' && params !== null && isTrustEventType(params.type)) {
        for (const listener of [...(eventListeners.get(params.type) ?? [])]) {
          try {
            listener(params as unknown as TrustEvent)
          } catch {
            // a failing subscriber must not stop the others
          }
        }
      }
      return
    }
    if (typeof m.id !== 'number') return
    const p = pending.get(m.id)
    if (!p) return
    pending.delete(m.id)
    clearTimeout(p.timer)
    if (Object.hasOwn(m, 'result')) {
      p.resolve({ ok: true, value: m.result as never })
    } else {
      p.resolve({ ok: false, error: errorOf(m.error) })
    }
  }

  open()

  return {
    call(method, ...params) {
      const s = socket
      if (closed || state.status !== 'online' || s === null || s.readyState !== OPEN) {
        return Promise.resolve({ ok: false, error: notConnectedError() })
      }
      const id = nextId++
      const request = params[0] === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params: params[0] }
      const text = JSON.stringify(request)
      // UTF-8 takes at most 3 bytes per UTF-16 unit: only long texts need counting.
      const bytes = text.length * 3 <= maxMessageBytes ? text.length : new TextEncoder().encode(text).length
      if (bytes > maxMessageBytes) return Promise.resolve({ ok: false, error: tooLargeError(method, bytes, maxMessageBytes) })
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          resolve({ ok: false, error: timeoutError(method, callTimeoutMs) })
        }, callTimeoutMs)
        pending.set(id, { method, resolve: resolve as Pending['resolve'], timer })
        try {
          s.send(text)
        } catch {
          clearTimeout(timer)
          pending.delete(id)
          resolve({ ok: false, error: notConnectedError() })
        }
      })
    },

    on(type, listener) {
      if (!isTrustEventType(type)) throw new TypeError(`unknown event type: ${String(type)}`)
      let set = eventListeners.get(type)
      if (!set) eventListeners.set(type, (set = new Set()))
      const wrapped = listener as (event: TrustEvent) => void
      set.add(wrapped)
      return () => {
        set.delete(wrapped)
      }
    },

    connection: () => state,

    onConnection(listener) {
      connectionListeners.add(listener)
      return () => {
        connectionListeners.delete(listener)
      }
    },

    retryNow() {
      if (closed || retryTimer === null) return
      clearTimeout(retryTimer)
      open()
    },

    close() {
      closed = true
      if (retryTimer !== null) clearTimeout(retryTimer)
      retryTimer = null
      const s = socket
      socket = null
      failAll(connectionLostError())
      s?.close(1000, 'page closed')
    },
  }
}

/** A JSON-RPC error object as an ApiError; a server answer that is not one becomes INTERNAL. */
function errorOf(raw: unknown): ApiError {
  if (typeof raw !== 'object' || raw === null) return { code: 'INTERNAL', message: 'INTERNAL: the peer sent an unreadable answer' }
  const e = raw as { code?: unknown; message?: unknown; data?: { code?: unknown } }
  const message = typeof e.message === 'string' ? e.message : 'no message'
  const code = e.data?.code
  if (typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code)) return { code: code as TrustErrorCode, message }
  // Standard JSON-RPC codes: the request itself was wrong, which is this page's bug.
  if (e.code === -32600 || e.code === -32601 || e.code === -32602) return { code: 'INVALID_INPUT', message: `INVALID_INPUT: ${message}` }
  return { code: 'INTERNAL', message: `INTERNAL: ${message}` }
}
