import type { TrustBridge } from '../../src-main/api.js'

declare global {
  interface Window {
    /** Exposed by src-preload in the app; absent in a plain browser. */
    trust?: TrustBridge
  }
}

export {}
