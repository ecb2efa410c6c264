/**
 * The renderer's one way to the core (DESIGN section 1): a TrustClient. Two
 * implementations, IPC through the preload (ipc-client.ts) and JSON-RPC over
 * WebSocket in browser mode (ws-client.ts); screens and the store cannot tell
 * which they have. Like the preload's bridge, `call` never rejects: an API
 * error, a lost connection or a timeout all come back as `{ok: false}` with a
 * TrustError code and a message a person can act on.
 *
 * DOM-free on purpose: the store and the tests (Node) use it too.
 */
import type {
  ApiError,
  ApiResult,
  TrustEventOf,
  TrustEventType,
  TrustMethod,
  TrustParamsArg,
  TrustResult,
} from '../../../src-main/api.js'

/** Where the link to the core stands. IPC is always `online`. */
export type ConnectionState =
  /** The first attempt, before the core ever answered. */
  | { status: 'connecting' }
  | { status: 'online' }
  /** Lost (or never reached); the next attempt is due at `retryAt` (epoch ms). */
  | { status: 'offline'; attempt: number; retryAt: number; since: number }

export interface TrustClient {
  call<M extends TrustMethod>(method: M, ...params: TrustParamsArg<M>): Promise<ApiResult<TrustResult<M>>>
  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends TrustEventType>(type: T, listener: (event: TrustEventOf<T>) => void): () => void
  connection(): ConnectionState
  /** Subscribes to connection changes; returns the unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void
  /** Skips the wait before the next reconnection attempt (a "Retry now" button). */
  retryNow(): void
  close(): void
}

/** Every event type the core sends (src-main/api.ts TrustEvent). */
export const TRUST_EVENT_TYPES = [
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

// Compile-time proof the list is complete: fails to type-check if api.ts gains an event type.
type MissingEvent = Exclude<TrustEventType, (typeof TRUST_EVENT_TYPES)[number]>
const completeEvents: [MissingEvent] extends [never] ? true : MissingEvent = true
void completeEvents

export function isTrustEventType(value: unknown): value is TrustEventType {
  return typeof value === 'string' && (TRUST_EVENT_TYPES as readonly string[]).includes(value)
}

/** The error of a call made while the core cannot be reached. */
export function notConnectedError(): ApiError {
  return {
    code: 'NETWORK',
    message: 'NETWORK: not connected to your Trust peer; nothing was sent. Wait for the connection to come back, then try again.',
  }
}

export function connectionLostError(): ApiError {
  return {
    code: 'NETWORK',
    message:
      'NETWORK: the connection to your Trust peer dropped before it answered. The action may or may not have been done: check once the connection is back.',
  }
}

/** The error of a call too large for the connection to carry: refused before sending, so the link stays up. */
export function tooLargeError(method: string, bytes: number, maxBytes: number): ApiError {
  const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`
  return {
    code: 'TOO_LARGE',
    message: `TOO_LARGE: ${method} would send ${mib(bytes)}; the browser's connection to your Trust peer carries at most ${mib(maxBytes)} per call. Nothing was sent. For something this large use the desktop app or the trust command.`,
  }
}

export function timeoutError(method: string, ms: number): ApiError {
  return {
    code: 'NETWORK',
    message: `NETWORK: your Trust peer did not answer ${method} within ${Math.round(ms / 1000)} s. Check that it is still running, then try again.`,
  }
}
