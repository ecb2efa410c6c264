/**
 * One TrustApi call from an untrusted caller: check the method name and the
 * params, run it, and turn whatever happens into an ApiResult. Shared by every
 * surface that forwards calls (IPC now); no electron import, so it is tested
 * under plain Node. A call never throws and never leaks a non-TrustError's
 * text, which could carry paths or internals (DESIGN.md section 11).
 */
import type { ApiError, ApiResult, JsonValue, TrustApi } from '../api.js'
import { isTrustMethod } from '../core/api-methods.js'
import { TrustError } from '../core/errors.js'

/** Deeper than any real params; stops a hostile caller's stack-busting nesting. */
const MAX_DEPTH = 64

export type UnexpectedErrorSink = (method: string, err: unknown) => void

export async function dispatchTrustCall(
  api: TrustApi,
  method: unknown,
  params: unknown,
  onUnexpected: UnexpectedErrorSink = () => {},
): Promise<ApiResult<JsonValue>> {
  try {
    if (!isTrustMethod(method)) {
      throw TrustError.invalidInput(`unknown method ${describe(method)}`)
    }
    const args = params === undefined || params === null ? {} : params
    if (!isPlainObject(args)) throw TrustError.invalidInput(`params of ${method} must be a JSON object`)
    if (!isJson(args, 0)) throw TrustError.invalidInput(`params of ${method} must be plain JSON`)
    const run = api[method] as (p: unknown) => Promise<unknown>
    const value = await run.call(api, args)
    return { ok: true, value: value === undefined ? null : (value as JsonValue) }
  } catch (err) {
    return { ok: false, error: toApiError(typeof method === 'string' ? method : '?', err, onUnexpected) }
  }
}

export function toApiError(method: string, err: unknown, onUnexpected: UnexpectedErrorSink): ApiError {
  if (err instanceof TrustError) return { code: err.code, message: err.message }
  onUnexpected(method, err)
  return { code: 'INTERNAL', message: 'INTERNAL: unexpected error; see the app log' }
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return `of type ${value === null ? 'null' : typeof value}`
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Structured clone (IPC) carries Dates, Maps, typed arrays, NaN...: JSON-RPC cannot, so neither may IPC. */
function isJson(value: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH) return false
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1))
  if (isPlainObject(value)) return Object.values(value).every((v) => isJson(v, depth + 1))
  return false
}
