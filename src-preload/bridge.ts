/**
 * window.trust, built over an IPC renderer (DESIGN.md section 11): exactly
 * `{call, on}` for the TrustApi's methods and events, nothing else. No event
 * object reaches the page (it would hand it `sender`), an unknown event type
 * or a non-function listener is refused, and a failed invoke becomes an
 * ApiResult error instead of a rejection. Plain code over an injected IPC, so
 * it is tested without Electron (test/unit/app-shell.test.ts).
 */
import type { ApiResult, TrustBridge, TrustEvent, TrustEventType } from '../src-main/api.js'

// Spelled as in src-main/app/ipc.ts (the preload may not import runtime code from src-main).
export const CALL_CHANNEL = 'trust:call'
export const EVENT_CHANNEL = 'trust:event'
const EVENT_TYPE_LIST = [
  'negotiation',
  'message',
  'peer',
  'identity',
  'job',
  'settings',
  'navigate',
  'update',
  'file-opened',
  'seeder',
  'demo',
] as const satisfies readonly TrustEventType[]
export const EVENT_TYPES: ReadonlySet<string> = new Set<TrustEventType>(EVENT_TYPE_LIST)

// Compile-time proof the list is complete: fails to type-check if api.ts gains an event type.
type MissingEvent = Exclude<TrustEventType, (typeof EVENT_TYPE_LIST)[number]>
const completeEvents: [MissingEvent] extends [never] ? true : MissingEvent = true
void completeEvents

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown
}

function failure(message: string): ApiResult<never> {
  return { ok: false, error: { code: 'INVALID_INPUT', message: `INVALID_INPUT: ${message}` } }
}

function isEvent(value: unknown): value is TrustEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
}

export function createTrustBridge(ipc: IpcRendererLike): TrustBridge {
  return Object.freeze({
    call(method, ...params) {
      if (typeof method !== 'string') return Promise.resolve(failure('the method name must be a string'))
      return ipc.invoke(CALL_CHANNEL, method, params[0] ?? {}).catch(() => ({
        ok: false,
        error: { code: 'INTERNAL', message: 'INTERNAL: the app did not answer' },
      })) as Promise<never>
    },

    on(type, listener) {
      if (typeof type !== 'string' || !EVENT_TYPES.has(type)) throw new TypeError(`unknown event type: ${String(type)}`)
      if (typeof listener !== 'function') throw new TypeError('listener must be a function')
      const handler = (_event: unknown, payload: unknown): void => {
        if (isEvent(payload) && payload.type === type) listener(payload as Parameters<typeof listener>[0])
      }
      ipc.on(EVENT_CHANNEL, handler)
      return () => {
        ipc.removeListener(EVENT_CHANNEL, handler)
      }
    },
  } satisfies TrustBridge)
}
