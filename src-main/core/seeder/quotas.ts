/**
 * What one seeder keeps at most (DESIGN section 5), so that a hostile peer cannot
 * fill its disk: per requesting peer (its connection key) and in total, for feeds
 * and directory entries, plus a request rate per connection. A request over a
 * quota is refused and the requester told why; a feed that grows past the
 * per-feed or per-requester limits is dropped and refused from then on; one that
 * grows while the seeder is full is frozen (kept as it is, still served, no
 * longer downloaded).
 */
import { TrustError } from '../errors.js'

export interface SeederQuotas {
  /** Feeds kept in total. */
  maxFeeds: number
  /** Bytes of feeds kept in total (each feed counted at its full byte length). */
  maxBytes: number
  /** Feeds one requester may have kept. */
  maxFeedsPerPeer: number
  /** Bytes of the feeds one requester was the first to ask for. */
  maxBytesPerPeer: number
  /** Longest feed kept (the peers' own limit: sync/limits.ts maxFeedLength). */
  maxFeedLength: number
  /** Largest feed kept, in bytes. */
  maxFeedBytes: number
  /** Directory entries in total, and per requester. */
  maxEntries: number
  maxEntriesPerPeer: number
  /** Requests (keep, put, get) per connection: token bucket. */
  requestsPerSecond: number
  requestBurst: number
}

export const DEFAULT_QUOTAS: Readonly<SeederQuotas> = Object.freeze({
  maxFeeds: 100_000,
  maxBytes: 10 * 1024 ** 3,
  maxFeedsPerPeer: 1_000,
  maxBytesPerPeer: 256 * 1024 ** 2,
  maxFeedLength: 100_000,
  maxFeedBytes: 64 * 1024 ** 2,
  maxEntries: 100_000,
  maxEntriesPerPeer: 1_000,
  requestsPerSecond: 50,
  requestBurst: 500,
})

/** Fills in defaults and refuses anything that is not a positive safe integer. */
export function resolveQuotas(partial: Partial<SeederQuotas> = {}): SeederQuotas {
  const quotas: SeederQuotas = { ...DEFAULT_QUOTAS }
  for (const [name, value] of Object.entries(partial)) {
    if (!(name in DEFAULT_QUOTAS)) throw TrustError.invalidInput(`unknown seeder quota "${name}"`)
    if (value === undefined) continue
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw TrustError.invalidInput(`seeder quota ${name} must be a positive integer`, { name })
    quotas[name as keyof SeederQuotas] = value as number
  }
  return quotas
}
