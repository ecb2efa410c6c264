/**
 * The seeder directory protocol (DESIGN section 5), byte for byte. It runs on a
 * connection to a seeder beside blind-peer's own `blind-peer` channel (which asks
 * the seeder to keep feeds) and Hypercore's replication. One Protomux channel,
 * protocol SEEDER_PROTOCOL, no id, no handshake payload; four messages:
 *
 *   0 put      group (32) || entry (1..MAX_ENTRY_BYTES)          client -> seeder
 *   1 get      group (32)                                          client -> seeder
 *   2 entries  group (32) || n (1) || n x (length (2, big-endian) || entry)
 *                                                                  seeder -> client
 *   3 refused  code (1) || subject (32) || UTF-8 reason (0..200)   seeder -> client
 *
 * A group is a negotiation's directory (topic-keys.ts); an entry is opaque to the
 * seeder (a sealed feed claim, feed-claim.ts). The seeder answers `get` with
 * every entry of the group and sends `entries` again whenever a `put` adds one to
 * a group this connection asked for. `refused` says why a request was not kept;
 * its subject is the group or feed key concerned, or 32 zero bytes.
 */
import { TrustError } from '../errors.js'
import { bytesToHex } from '../crypto/hex.js'

export const SEEDER_PROTOCOL = 'trust-primitive/seeder/v1'
export const MAX_ENTRY_BYTES = 256
/** Entries one group holds at most; an `entries` message carries at most this many. */
export const MAX_GROUP_ENTRIES = 64
const MAX_REASON_BYTES = 200

export const REFUSAL_CODES = {
  /** This requester is over its share (feeds, bytes or entries). */
  PEER_QUOTA: 1,
  /** The seeder is full. */
  TOTAL_QUOTA: 2,
  /** A feed broke the per-feed limits (length or bytes) and is no longer kept. */
  FEED_LIMIT: 3,
  /** Too many requests too fast. */
  RATE_LIMITED: 4,
  /** The request could not be parsed. */
  MALFORMED: 5,
  /** The group already holds MAX_GROUP_ENTRIES entries. */
  GROUP_FULL: 6,
} as const

export type RefusalName = keyof typeof REFUSAL_CODES

export interface Refusal {
  code: RefusalName
  /** 64 lowercase hex chars: the group or feed concerned, or zeros. */
  subject: string
  reason: string
}

const NAMES = new Map<number, RefusalName>(Object.entries(REFUSAL_CODES).map(([name, code]) => [code, name as RefusalName]))
const ZERO = new Uint8Array(32)

function bad(text: string): TrustError {
  return TrustError.invalidEncoding(text)
}

export function encodePut(group: Uint8Array, entry: Uint8Array): Uint8Array {
  if (group.length !== 32) throw TrustError.invalidInput('a group is 32 bytes')
  if (entry.length < 1 || entry.length > MAX_ENTRY_BYTES) throw TrustError.invalidInput(`an entry is 1 to ${MAX_ENTRY_BYTES} bytes`)
  const out = new Uint8Array(32 + entry.length)
  out.set(group, 0)
  out.set(entry, 32)
  return out
}

export function decodePut(bytes: Uint8Array): { group: Uint8Array; entry: Uint8Array } {
  if (bytes.length < 33 || bytes.length > 32 + MAX_ENTRY_BYTES) throw bad(`a put is 33 to ${32 + MAX_ENTRY_BYTES} bytes, got ${bytes.length}`)
  return { group: Uint8Array.from(bytes.subarray(0, 32)), entry: Uint8Array.from(bytes.subarray(32)) }
}

export function encodeGet(group: Uint8Array): Uint8Array {
  if (group.length !== 32) throw TrustError.invalidInput('a group is 32 bytes')
  return Uint8Array.from(group)
}

export function decodeGet(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== 32) throw bad(`a get is 32 bytes, got ${bytes.length}`)
  return Uint8Array.from(bytes)
}

export function encodeEntries(group: Uint8Array, entries: readonly Uint8Array[]): Uint8Array {
  if (group.length !== 32) throw TrustError.invalidInput('a group is 32 bytes')
  if (entries.length > MAX_GROUP_ENTRIES) throw TrustError.invalidInput(`at most ${MAX_GROUP_ENTRIES} entries`)
  let size = 33
  for (const e of entries) {
    if (e.length < 1 || e.length > MAX_ENTRY_BYTES) throw TrustError.invalidInput(`an entry is 1 to ${MAX_ENTRY_BYTES} bytes`)
    size += 2 + e.length
  }
  const out = new Uint8Array(size)
  out.set(group, 0)
  out[32] = entries.length
  let at = 33
  for (const e of entries) {
    out[at] = e.length >> 8
    out[at + 1] = e.length & 0xff
    out.set(e, at + 2)
    at += 2 + e.length
  }
  return out
}

/** Strict: the count must match and nothing may trail. */
export function decodeEntries(bytes: Uint8Array): { group: Uint8Array; entries: Uint8Array[] } {
  if (bytes.length < 33) throw bad('an entries message is at least 33 bytes')
  const n = bytes[32]!
  if (n > MAX_GROUP_ENTRIES) throw bad(`an entries message lists at most ${MAX_GROUP_ENTRIES} entries, got ${n}`)
  const entries: Uint8Array[] = []
  let at = 33
  for (let i = 0; i < n; i++) {
    if (at + 2 > bytes.length) throw bad('an entries message ends inside an entry length')
    const length = (bytes[at]! << 8) | bytes[at + 1]!
    if (length < 1 || length > MAX_ENTRY_BYTES || at + 2 + length > bytes.length) throw bad(`entry ${i} has a bad length ${length}`)
    entries.push(Uint8Array.from(bytes.subarray(at + 2, at + 2 + length)))
    at += 2 + length
  }
  if (at !== bytes.length) throw bad('an entries message has trailing bytes')
  return { group: Uint8Array.from(bytes.subarray(0, 32)), entries }
}

export function encodeRefused(code: RefusalName, subject: Uint8Array | null, reason: string): Uint8Array {
  let text = Buffer.from(reason, 'utf8')
  if (text.length > MAX_REASON_BYTES) text = Buffer.from(reason.slice(0, MAX_REASON_BYTES / 4), 'utf8')
  const out = new Uint8Array(33 + text.length)
  out[0] = REFUSAL_CODES[code]
  out.set(subject ?? ZERO, 1)
  out.set(text, 33)
  return out
}

export function decodeRefused(bytes: Uint8Array): Refusal {
  if (bytes.length < 33 || bytes.length > 33 + MAX_REASON_BYTES) throw bad(`a refusal is 33 to ${33 + MAX_REASON_BYTES} bytes`)
  const code = NAMES.get(bytes[0]!)
  if (code === undefined) throw bad(`unknown refusal code ${bytes[0]}`)
  const reason = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(33))
  return { code, subject: bytesToHex(bytes.subarray(1, 33)), reason }
}
