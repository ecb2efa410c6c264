/**
 * Limits that keep a hostile counterparty from exhausting us (DESIGN section 5).
 * A peer over any of them is disconnected, its excess entries are not ingested,
 * and the host records MISBEHAVIOR.
 */
import { TrustError } from '../errors.js'

export interface SyncLimits {
  /** Largest entry (one envelope, bytes) ingested or appended. */
  maxEntryBytes: number
  /** Entries of one feed that are ever ingested; index >= this is refused. */
  maxFeedLength: number
  /** Token bucket per identity on new entries of its feeds, whoever relays them. */
  entriesPerSecond: number
  entryBurst: number
  /** A connection with no valid handshake after this long is dropped. */
  handshakeTimeoutMs: number
  /** Feed bindings (owner, feed key) accepted per negotiation, and per owner. */
  maxFeedsPerNegotiation: number
  maxFeedsPerOwner: number
}

export const DEFAULT_LIMITS: Readonly<SyncLimits> = Object.freeze({
  maxEntryBytes: 64 * 1024,
  maxFeedLength: 100_000,
  entriesPerSecond: 200,
  entryBurst: 1_000,
  handshakeTimeoutMs: 10_000,
  maxFeedsPerNegotiation: 256,
  maxFeedsPerOwner: 4,
})

/** Fills in defaults and refuses anything that is not a positive safe integer. */
export function resolveLimits(partial: Partial<SyncLimits> = {}): SyncLimits {
  const limits: SyncLimits = { ...DEFAULT_LIMITS }
  for (const [name, value] of Object.entries(partial)) {
    if (!(name in DEFAULT_LIMITS)) throw TrustError.invalidInput(`unknown sync limit "${name}"`)
    if (value === undefined) continue
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw TrustError.invalidInput(`sync limit ${name} must be a positive integer`, { name })
    }
    limits[name as keyof SyncLimits] = value as number
  }
  return limits
}
