/**
 * The renderer's only way to the core: window.trust (DESIGN.md section 1).
 * Outside the app (a plain browser) there is no bridge; callers then get an
 * ApiResult error instead of a crash.
 */
import type { ApiResult, TrustEventOf, TrustEventType, TrustMethod, TrustParamsArg, TrustResult } from '../../src-main/api.js'

export function hasTrustBridge(): boolean {
  return typeof window !== 'undefined' && window.trust !== undefined
}

export function callTrust<M extends TrustMethod>(
  method: M,
  ...params: TrustParamsArg<M>
): Promise<ApiResult<TrustResult<M>>> {
  const bridge = window.trust
  if (!bridge) {
    return Promise.resolve({
      ok: false,
      error: { code: 'INTERNAL', message: 'INTERNAL: window.trust is missing; open this page in the Trust Primitive app' },
    })
  }
  return bridge.call(method, ...params)
}

/** Subscribes when the bridge exists; the returned function always unsubscribes safely. */
export function onTrust<T extends TrustEventType>(type: T, listener: (event: TrustEventOf<T>) => void): () => void {
  return window.trust ? window.trust.on(type, listener) : () => {}
}
