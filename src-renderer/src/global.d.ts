import type { TrustBridge } from '../../src-main/api.js'

declare global {
  interface Window {
    /** Exposed by src-preload in the desktop app; absent in a browser (browser mode uses WebSocket). */
    trust?: TrustBridge
  }
}

export {}
