/**
 * A TrustApi whose every method fails with INTERNAL "not wired yet": what the
 * window talks to until the core's createNode() is composed in here (README,
 * Status). Honest failure rather than fake data.
 */
import type { TrustApi, TrustMethod } from '../api.js'
import { TRUST_API_METHODS } from '../core/api-methods.js'
import { TrustError } from '../core/errors.js'

export function createUnwiredApi(): TrustApi {
  const api: Partial<Record<TrustMethod, () => Promise<never>>> = {}
  for (const method of TRUST_API_METHODS) {
    api[method] = () => Promise.reject(new TrustError('INTERNAL', `not wired yet: ${method} has no core behind it`))
  }
  return api as TrustApi
}
