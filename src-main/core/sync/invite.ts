/**
 * Invites (DESIGN section 5): `trust:join/<payload>`, where payload is the
 * base64url (RFC 4648 section 5, no padding) of exactly 97 bytes:
 *   0x01 (version) || negotiation id (32) || topic secret (32) || creator feed key (32).
 * Decoding is strict: one spelling per invite, so a link can be compared as text.
 */
import { TrustError } from '../errors.js'
import { bytesToHex, hexToBytes, isHex } from '../crypto/hex.js'

export const INVITE_PREFIX = 'trust:join/'
export const INVITE_VERSION = 0x01
const PAYLOAD_BYTES = 1 + 32 + 32 + 32
/** base64url of 97 bytes without padding: ceil(97 * 4 / 3). */
const PAYLOAD_CHARS = 130
const BASE64URL_RE = /^[A-Za-z0-9_-]*$/

export interface Invite {
  /** Negotiation id: 64 lowercase hex chars (the GENESIS hash). */
  negotiation: string
  /** 64 lowercase hex chars; whoever holds it can find the negotiation's peers. */
  topicSecret: string
  /** The creator's Hypercore feed key: 64 lowercase hex chars. */
  creatorFeedKey: string
}

function badInvite(text: string): TrustError {
  return new TrustError('BAD_INVITE', text)
}

export function encodeInvite(invite: Invite): string {
  const fields = [invite.negotiation, invite.topicSecret, invite.creatorFeedKey]
  if (!fields.every((f) => isHex(f, 32))) {
    throw TrustError.invalidInput('an invite needs a negotiation id, a topic secret and a feed key, each 64 lowercase hex chars')
  }
  const bytes = new Uint8Array(PAYLOAD_BYTES)
  bytes[0] = INVITE_VERSION
  fields.forEach((f, i) => bytes.set(hexToBytes(f, 32), 1 + 32 * i))
  return INVITE_PREFIX + Buffer.from(bytes).toString('base64url')
}

/** Parses an invite link; any deviation from the one canonical form is BAD_INVITE. */
export function decodeInvite(text: unknown): Invite {
  if (typeof text !== 'string') throw badInvite('an invite must be a string')
  if (!text.startsWith(INVITE_PREFIX)) throw badInvite(`an invite starts with "${INVITE_PREFIX}"`)
  const payload = text.slice(INVITE_PREFIX.length)
  if (payload.length !== PAYLOAD_CHARS) {
    throw badInvite(`the invite payload must be ${PAYLOAD_CHARS} base64url characters, got ${payload.length}`)
  }
  if (!BASE64URL_RE.test(payload)) throw badInvite('the invite payload is not base64url (RFC 4648 section 5, no padding)')
  const bytes = Buffer.from(payload, 'base64url')
  // Node's decoder ignores stray low bits of the last character: re-encoding
  // catches the second spelling of the same bytes.
  if (bytes.length !== PAYLOAD_BYTES || bytes.toString('base64url') !== payload) {
    throw badInvite('the invite payload is not canonical base64url')
  }
  if (bytes[0] !== INVITE_VERSION) throw badInvite(`unknown invite version ${bytes[0]}`)
  const field = (i: number): string => bytesToHex(bytes.subarray(1 + 32 * i, 33 + 32 * i))
  return { negotiation: field(0), topicSecret: field(1), creatorFeedKey: field(2) }
}
