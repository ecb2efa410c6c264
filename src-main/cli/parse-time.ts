/**
 * `--at TIME` for commands that evaluate a negotiation at a moment: an ISO 8601
 * date or date-time (a time needs an explicit `Z` or offset, so a verdict never
 * depends on the verifier's time zone), or milliseconds since the epoch.
 */
import { UsageError } from './command.js'

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/

export function parseTimeFlag(flag: string, value: string): number {
  if (/^\d{1,16}$/.test(value)) {
    const ms = Number(value)
    if (Number.isSafeInteger(ms)) return ms
  }
  const ms = ISO.test(value) ? Date.parse(value) : NaN
  if (!Number.isSafeInteger(ms)) {
    throw new UsageError(`${flag} must be an ISO 8601 time such as 2026-11-24T10:00:00Z, or ms since the epoch; got ${JSON.stringify(value)}`)
  }
  return ms
}
