/**
 * Invites (DESIGN section 5): `trust:join/<payload>`, where payload is the
 * base64url (RFC 4648 section 5, no padding) of
 *
 *   v2: 0x02 || negotiation id (32) || topic secret (32) || creator feed key (32)
 *       || n (1 byte, 0..8) || n seeder keys (32 each, strictly ascending)
 *   v1: 0x01 || negotiation id (32) || topic secret (32) || creator feed key (32)
 *
 * v2 is what this version writes: its feeds are encrypted under a key derived
 * from the topic secret, and it names the seeders that keep them. v1 is still
 * read: it is a negotiation made before feeds were encrypted, whose feeds stay
 * plaintext and are never handed to a seeder. Decoding is strict: one spelling
 * per invite, so a link can be compared as text.
 */
import { TrustError } from '../errors.js'
import { isPublicKeyHex } from '../crypto/ed25519.js'
import { bytesToHex, hexToBytes, isHex } from '../crypto/hex.js'

export const INVITE_PREFIX = 'trust:join/'
/** The version this code writes. */
export const INVITE_VERSION = 0x02
export const PLAINTEXT_INVITE_VERSION = 0x01
/** Seeder keys an invite carries at most. */
export const MAX_INVITE_SEEDERS = 8
const BASE_BYTES = 1 + 32 + 32 + 32
const BASE64URL_RE = /^[A-Za-z0-9_-]*$/
/** The longest payload: v2 with every seeder slot used. */
const MAX_PAYLOAD_CHARS = Math.ceil(((BASE_BYTES + 1 + 32 * MAX_INVITE_SEEDERS) * 4) / 3)

export interface Invite {
  /** Negotiation id: 64 lowercase hex chars (the GENESIS hash). */
  negotiation: string
  /** 64 lowercase hex chars; whoever holds it can find the negotiation's peers. */
  topicSecret: string
  /** The creator's Hypercore feed key: 64 lowercase hex chars. */
  creatorFeedKey: string
  /** Feeds encrypted with a key from the topic secret (v2). False only for a v1 invite. Default true. */
  encrypted?: boolean
  /** Public keys of seeders that keep the negotiation's feeds (v2 only), sorted. Default none. */
  seeders?: string[]
}

export type DecodedInvite = Required<Invite>

function badInvite(text: string): TrustError {
  return new TrustError('BAD_INVITE', text)
}

export function encodeInvite(invite: Invite): string {
  const fields = [invite.negotiation, invite.topicSecret, invite.creatorFeedKey]
  if (!fields.every((f) => isHex(f, 32))) {
    throw TrustError.invalidInput('an invite needs a negotiation id, a topic secret and a feed key, each 64 lowercase hex chars')
  }
  const encrypted = invite.encrypted ?? true
  const seeders = [...new Set(invite.seeders ?? [])].sort()
  if (!encrypted && seeders.length > 0) throw TrustError.invalidInput('a negotiation with plaintext feeds cannot name seeders')
  if (seeders.length > MAX_INVITE_SEEDERS) throw TrustError.invalidInput(`an invite names at most ${MAX_INVITE_SEEDERS} seeders`)
  if (!seeders.every(isPublicKeyHex)) throw TrustError.invalidInput('a seeder key must be a valid Ed25519 public key, 64 lowercase hex chars')
  const bytes = new Uint8Array(BASE_BYTES + (encrypted ? 1 + 32 * seeders.length : 0))
  bytes[0] = encrypted ? INVITE_VERSION : PLAINTEXT_INVITE_VERSION
  fields.forEach((f, i) => bytes.set(hexToBytes(f, 32), 1 + 32 * i))
  if (encrypted) {
    bytes[BASE_BYTES] = seeders.length
    seeders.forEach((s, i) => bytes.set(hexToBytes(s, 32), BASE_BYTES + 1 + 32 * i))
  }
  return INVITE_PREFIX + Buffer.from(bytes).toString('base64url')
}

/** Parses an invite link; any deviation from the one canonical form is BAD_INVITE. */
export function decodeInvite(text: unknown): DecodedInvite {
  if (typeof text !== 'string') throw badInvite('an invite must be a string')
  if (!text.startsWith(INVITE_PREFIX)) throw badInvite(`an invite starts with "${INVITE_PREFIX}"`)
  const payload = text.slice(INVITE_PREFIX.length)
  if (payload.length > MAX_PAYLOAD_CHARS) throw badInvite(`the invite payload is longer than ${MAX_PAYLOAD_CHARS} characters`)
  if (!BASE64URL_RE.test(payload)) throw badInvite('the invite payload is not base64url (RFC 4648 section 5, no padding)')
  const bytes = Buffer.from(payload, 'base64url')
  // Node's decoder ignores stray low bits of the last character: re-encoding
  // catches the second spelling of the same bytes.
  if (bytes.toString('base64url') !== payload) throw badInvite('the invite payload is not canonical base64url')
  const version = bytes[0]
  if (version !== INVITE_VERSION && version !== PLAINTEXT_INVITE_VERSION) throw badInvite(`unknown invite version ${String(version)}`)
  const count = version === INVITE_VERSION ? bytes[BASE_BYTES] : 0
  const expected = version === INVITE_VERSION ? BASE_BYTES + 1 + 32 * (count ?? 0) : BASE_BYTES
  if (count === undefined || count > MAX_INVITE_SEEDERS) throw badInvite(`an invite names 0 to ${MAX_INVITE_SEEDERS} seeders`)
  if (bytes.length !== expected) throw badInvite(`a version ${version} invite with ${count} seeder(s) is ${expected} bytes, got ${bytes.length}`)
  const field = (i: number): string => bytesToHex(bytes.subarray(1 + 32 * i, 33 + 32 * i))
  const seeders: string[] = []
  for (let i = 0; i < count; i++) {
    const key = bytesToHex(bytes.subarray(BASE_BYTES + 1 + 32 * i, BASE_BYTES + 33 + 32 * i))
    if (i > 0 && key <= seeders[i - 1]!) throw badInvite('the seeder keys of an invite must be distinct and in ascending order')
    if (!isPublicKeyHex(key)) throw badInvite(`seeder ${i + 1} of the invite is not a valid Ed25519 public key`)
    seeders.push(key)
  }
  return { negotiation: field(0), topicSecret: field(1), creatorFeedKey: field(2), encrypted: version === INVITE_VERSION, seeders }
}
