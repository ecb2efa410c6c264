/**
 * TrustClient over the preload's bridge (window.trust, DESIGN section 11) in the
 * desktop app. IPC cannot drop, so the connection is always online.
 */
import type { TrustBridge } from '../../../src-main/api.js'
import type { ConnectionState, TrustClient } from './trust-client.js'

const ONLINE: ConnectionState = { status: 'online' }

export function createIpcClient(bridge: TrustBridge): TrustClient {
  return {
    call: (method, ...params) => bridge.call(method, ...params),
    on: (type, listener) => bridge.on(type, listener),
    connection: () => ONLINE,
    onConnection: () => () => {},
    retryNow: () => {},
    close: () => {},
  }
}
