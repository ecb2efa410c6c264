/**
 * The single entry of every surface (DESIGN section 11): a method name checked
 * against the runtime list, then the implementation. What escapes is always a
 * TrustError; anything else is logged and becomes INTERNAL, because its text may
 * carry paths or internals a caller must not see.
 */
import type { TrustApi } from '../../api.js'
import { isTrustMethod } from '../api-methods.js'
import { TrustError } from '../errors.js'
import type { Logger } from '../telemetry/logger.js'

export function createDispatch(api: TrustApi, logger: Logger): (method: string, params?: unknown) => Promise<unknown> {
  return async (method, params) => {
    if (!isTrustMethod(method)) {
      throw TrustError.invalidInput(`unknown method ${JSON.stringify(String(method).slice(0, 64))}`, { field: 'method' })
    }
    const run = api[method] as (p: unknown) => Promise<unknown>
    try {
      const result = await run.call(api, params ?? {})
      return result === undefined ? null : result
    } catch (err) {
      if (err instanceof TrustError) {
        // Params are never logged: they may hold a passphrase or a backup.
        logger.info({ method, code: err.code }, 'call refused')
        throw err
      }
      logger.error({ method, err }, 'call failed unexpectedly')
      throw new TrustError('INTERNAL', `${method} failed unexpectedly; see the profile log`)
    }
  }
}
