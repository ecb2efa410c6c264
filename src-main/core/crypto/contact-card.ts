/**
 * Contact card (DESIGN section 2): `trust:contact/<payload>`, payload = base64url
 * (RFC 4648 section 5, no padding) of the strict JCS bytes (RFC 8785) of
 * {v:1, key, name, sig}, sig = Ed25519 by `key` over DOMAIN_CONTACT + JCS({v, key, name}).
 * A card proves only that the key holder chose that name; whether it is the right
 * person is for the users to confirm by comparing fingerprints.
 *
 * Decoding takes one spelling only: canonical base64url, canonical JCS, the exact
 * fields, a trimmed NFC name. Every failure is BAD_CONTACT.
 */
import { TrustError } from '../errors.js'
import { DOMAIN_CONTACT } from '../protocol/domains.js'
import { canonicalBytes } from '../protocol/jcs.js'
import { hasLoneSurrogate } from '../protocol/jcs.js'
import { parseJsonBytes } from '../protocol/json.js'
import { verifyCanonical } from '../protocol/signing.js'
import { isPublicKeyHex } from './ed25519.js'
import { isHex } from './hex.js'
import type { Signer } from './signer.js'

export const CONTACT_PREFIX = 'trust:contact/'
export const MAX_CARD_CHARS = 2048
export const MAX_NAME_CHARS = 64

export interface ContactCard {
  publicKey: string
  name: string
}

const BASE64URL_RE = /^[A-Za-z0-9_-]+$/
// C0/C1 controls, line and paragraph separators, and bidi controls (which let a
// name display as something else, Unicode TR 9 / UTS 39).
const FORBIDDEN_RE = /[\p{Cc}\p{Zl}\p{Zp}\p{Bidi_Control}]/u

/** Signs a card for the signer's own key. `name` is trimmed and NFC-normalised first. */
export function encodeContactCard(signer: Signer, name: string): string {
  const clean = normalizeDisplayName(name)
  const unsigned = { v: 1, key: signer.publicKey, name: clean }
  const sig = signer.signCanonical(DOMAIN_CONTACT, unsigned)
  return CONTACT_PREFIX + Buffer.from(canonicalBytes({ ...unsigned, sig })).toString('base64url')
}

export function decodeContactCard(text: unknown): ContactCard {
  if (typeof text !== 'string') throw bad('a contact card must be text')
  if (text.length > MAX_CARD_CHARS) throw bad(`the contact card is longer than ${MAX_CARD_CHARS} characters`)
  if (!text.startsWith(CONTACT_PREFIX)) throw bad(`a contact card starts with ${CONTACT_PREFIX}`)
  const payload = text.slice(CONTACT_PREFIX.length)
  if (!BASE64URL_RE.test(payload)) throw bad('the contact card payload is not base64url')
  const bytes = Buffer.from(payload, 'base64url')
  // Node's decoder ignores stray trailing bits; re-encoding makes the spelling unique.
  if (bytes.toString('base64url') !== payload) throw bad('the contact card payload is not canonical base64url')
  let value: unknown
  try {
    value = parseJsonBytes(bytes)
  } catch (err) {
    throw bad(`the contact card payload is not valid JSON (${(err as Error).message})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('the contact card payload is not an object')
  const o = value as Record<string, unknown>
  const keys = Object.keys(o).sort().join(',')
  if (keys !== 'key,name,sig,v') throw bad('the contact card must have exactly the fields v, key, name, sig')
  if (o.v !== 1) throw bad('the contact card version is not 1')
  if (!isPublicKeyHex(o.key)) throw bad('the contact card key is not a valid Ed25519 public key')
  if (typeof o.name !== 'string') throw bad('the contact card name is not text')
  const nameProblem = displayNameProblem(o.name)
  if (nameProblem !== undefined) throw bad(`the contact card name ${nameProblem}`)
  if (o.name !== o.name.trim().normalize('NFC')) throw bad('the contact card name is not trimmed NFC text')
  if (!isHex(o.sig, 64)) throw bad('the contact card signature is not 128 lowercase hex characters')
  if (Buffer.compare(bytes, Buffer.from(canonicalBytes(o))) !== 0) throw bad('the contact card payload is not canonical JSON')
  if (!verifyCanonical(DOMAIN_CONTACT, { v: 1, key: o.key, name: o.name }, o.sig, o.key)) {
    throw bad('the contact card signature does not verify')
  }
  return { publicKey: o.key, name: o.name }
}

/** Trims and NFC-normalises a display name typed by a user; INVALID_INPUT if it breaks the rules. */
export function normalizeDisplayName(name: unknown): string {
  if (typeof name !== 'string') throw TrustError.invalidInput('a name must be text')
  if (name.length > MAX_NAME_CHARS * 8) throw TrustError.invalidInput(`a name has at most ${MAX_NAME_CHARS} characters`)
  if (hasLoneSurrogate(name)) throw TrustError.invalidInput('a name must not contain an unpaired surrogate')
  const clean = name.trim().normalize('NFC')
  const problem = displayNameProblem(clean)
  if (problem !== undefined) throw TrustError.invalidInput(`the name ${problem}`)
  return clean
}

/** 1 to 64 code points, no control, separator or bidi characters. */
function displayNameProblem(name: string): string | undefined {
  if (hasLoneSurrogate(name)) return 'contains an unpaired surrogate'
  const chars = [...name].length
  if (chars === 0 || name.trim().length === 0) return 'is empty'
  if (chars > MAX_NAME_CHARS) return `has more than ${MAX_NAME_CHARS} characters`
  if (FORBIDDEN_RE.test(name)) return 'contains a control character'
  return undefined
}

function bad(text: string): TrustError {
  return new TrustError('BAD_CONTACT', text)
}
