/**
 * The preload: exposes exactly `window.trust = {call, on}` (DESIGN.md section 11)
 * through contextBridge, and nothing else: no ipcRenderer, no event objects,
 * no Node. Runs sandboxed, so it is built as CommonJS and imports only electron.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { ApiResult, TrustBridge, TrustEvent, TrustEventType } from '../src-main/api.js'

// Spelled as in src-main/app/ipc.ts (the preload may not import runtime code from src-main).
const CALL_CHANNEL = 'trust:call'
const EVENT_CHANNEL = 'trust:event'
const EVENT_TYPES: ReadonlySet<string> = new Set<TrustEventType>(['negotiation', 'message', 'peer', 'identity', 'job', 'update', 'file-opened'])

function failure(message: string): ApiResult<never> {
  return { ok: false, error: { code: 'INVALID_INPUT', message: `INVALID_INPUT: ${message}` } }
}

function isEvent(value: unknown): value is TrustEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
}

const trust: TrustBridge = {
  call(method, ...params) {
    if (typeof method !== 'string') return Promise.resolve(failure('the method name must be a string'))
    return ipcRenderer.invoke(CALL_CHANNEL, method, params[0] ?? {}).catch(() => ({
      ok: false,
      error: { code: 'INTERNAL', message: 'INTERNAL: the app did not answer' },
    }))
  },

  on(type, listener) {
    if (typeof type !== 'string' || !EVENT_TYPES.has(type)) throw new TypeError(`unknown event type: ${String(type)}`)
    if (typeof listener !== 'function') throw new TypeError('listener must be a function')
    // The IpcRendererEvent is never passed on: it would hand the page `sender`.
    const handler = (_event: IpcRendererEvent, payload: unknown): void => {
      if (isEvent(payload) && payload.type === type) listener(payload as Parameters<typeof listener>[0])
    }
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler)
    }
  },
}

contextBridge.exposeInMainWorld('trust', trust)
