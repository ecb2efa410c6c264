/**
 * Signed envelopes (DESIGN section 3): making them, reading them from untrusted
 * bytes, and checking their signatures. One message has exactly one byte string
 * (the JCS of the whole envelope, `sig` included) and so exactly one hash.
 */
import { TrustError } from '../errors.js'
import { sha256Hex } from '../crypto/hash.js'
import { verify } from '../crypto/ed25519.js'
import { hexToBytes, isHex } from '../crypto/hex.js'
import type { Signer } from '../crypto/signer.js'
import { DOMAIN_ENVELOPE } from './domains.js'
import { canonicalizeStrict, canonicalizeStrictOrNull } from './jcs.js'
import { parseJson } from './json.js'
import { verifyCanonical } from './signing.js'
import type { Envelope, UnsignedEnvelope } from './envelope-schema.js'
import { validateEnvelope } from './envelope-schema.js'

/** Wire cap on one envelope; larger input is refused before it is decoded. */
export const MAX_ENVELOPE_BYTES = 64 * 1024

export interface SignedEnvelope {
  readonly envelope: Envelope
  /** JCS of the whole envelope, `sig` included: what is stored and replicated. */
  readonly bytes: Uint8Array
  /** SHA-256 lowercase hex of `bytes`: the message id. */
  readonly hash: string
}

/** What the fold consumes: a parsed envelope and whether its signature verified (see envelope-check.ts). */
export type FoldInput = SignedEnvelope & { readonly sigValid: boolean }

const utf8 = new TextEncoder()
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Validates, signs with the author's key and encodes. The signer must be the author. */
export function createEnvelope(signer: Signer, unsigned: UnsignedEnvelope): SignedEnvelope {
  const checked = validateEnvelope(unsigned, false)
  if (checked.author !== signer.publicKey) {
    throw TrustError.invalidInput('the envelope author must be the signing key')
  }
  const sig = signer.signCanonical(DOMAIN_ENVELOPE, checked)
  const envelope = { ...checked, sig } as Envelope
  const bytes = utf8.encode(canonicalizeStrict(envelope))
  // Never produce what every peer would refuse to read.
  if (bytes.length > MAX_ENVELOPE_BYTES) throw TrustError.tooLarge('the envelope', bytes.length, MAX_ENVELOPE_BYTES)
  return Object.freeze({ envelope: deepFreeze(envelope), bytes, hash: sha256Hex(bytes) })
}

/**
 * Reads an envelope from untrusted bytes: size cap, strict UTF-8, strict JSON,
 * canonical form, then the schema. Does not check the signature
 * (`verifyEnvelopeSignature`). Throws only TrustErrors: TOO_LARGE,
 * INVALID_ENCODING, NON_CANONICAL, BAD_ENVELOPE, INVALID_NEGOTIATION, INVALID_INPUT.
 */
export function parseEnvelope(bytes: Uint8Array): SignedEnvelope {
  try {
    if (!(bytes instanceof Uint8Array)) throw TrustError.invalidInput('an envelope must be given as bytes')
    if (bytes.length > MAX_ENVELOPE_BYTES) throw TrustError.tooLarge('the envelope', bytes.length, MAX_ENVELOPE_BYTES)
    const copy = new Uint8Array(bytes) // the caller may reuse its buffer
    let text: string
    try {
      text = fatalUtf8.decode(copy)
    } catch {
      throw TrustError.invalidEncoding('the envelope is not valid UTF-8')
    }
    const envelope = validateEnvelope(canonicalValueOf(text), true)
    return Object.freeze({ envelope: deepFreeze(envelope), bytes: copy, hash: sha256Hex(copy) })
  } catch (err) {
    throw TrustError.from(err, 'BAD_ENVELOPE')
  }
}

const MAX_DEPTH = 16

/**
 * The value of envelope text that is exactly its strict JCS form; throws what
 * the strict parser or the canonical check throws otherwise.
 *
 * Fast path: JSON.parse (native), then re-encode strictly and compare with the
 * text. Comparing these strings is comparing bytes: the text is the strict
 * UTF-8 decoding of the bytes, one string per byte sequence and back (a BOM is
 * kept as U+FEFF, which JSON.parse refuses). When the re-encoding equals the
 * text, the strict parser would have accepted the text and built the same
 * value, so it need not run:
 * - The re-encoding is text the strict parser accepts: it never writes a
 *   duplicate key, a lone surrogate (refused, and paired ones are not
 *   escaped), a float, an exponent, -0 or an integer beyond 2^53 (refused), or
 *   whitespace, and canonicalizeStrictOrNull refuses nesting deeper than
 *   MAX_DEPTH by the parser's own rule (the top-level value is depth 0).
 * - On text both accept, JSON.parse and the strict parser build the same value:
 *   plain objects with their members in text order, each an own data property
 *   (`__proto__` included: JSON.parse defines it as setMember does).
 * Whenever the fast path does not accept, the strict path runs as before and
 * throws its exact error (INVALID_ENCODING or NON_CANONICAL): refused input
 * costs both paths, never more. test/unit/envelope-fast.test.ts compares the
 * two on random and mutated envelopes.
 */
function canonicalValueOf(text: string): unknown {
  let fast: unknown
  try {
    fast = JSON.parse(text)
  } catch {
    fast = undefined
  }
  if (fast !== undefined && canonicalizeStrictOrNull(fast, MAX_DEPTH) === text) return fast
  const value = parseJson(text, { strict: true, maxDepth: MAX_DEPTH })
  // One message, one byte string, one hash (DESIGN section 3).
  if (canonicalizeStrict(value) !== text) {
    throw TrustError.nonCanonical('the envelope bytes are not the JCS (RFC 8785) form of its value')
  }
  return value
}

/** Strict RFC 8032 verification of `sig` by `author` over the envelope without `sig`. Never throws. */
export function verifyEnvelopeSignature(signed: SignedEnvelope): boolean {
  const { sig, author } = signed.envelope
  const input = signingInputFromBytes(signed.bytes, sig)
  if (input === null) {
    const { sig: _sig, ...unsigned } = signed.envelope
    return verifyCanonical(DOMAIN_ENVELOPE, unsigned, sig, author)
  }
  if (!isHex(sig, 64) || !isHex(author, 32)) return false
  return verify(hexToBytes(sig), input, hexToBytes(author))
}

const DOMAIN_BYTES = new TextEncoder().encode(DOMAIN_ENVELOPE)

/**
 * `"trust-primitive/v1:" + JCS(envelope without sig)` cut from the envelope's own
 * bytes, which are its exact JCS: members are sorted and `sig` is never first
 * (`author` is), so removing the one `,"sig":"<hex>"` member gives the JCS of the
 * rest. Raw quotes only occur as JSON syntax (inside strings they are escaped),
 * and no body has a member named sig, so the match is the top-level member.
 * Saves a second canonical encoding per verification; null when not found.
 */
export function signingInputFromBytes(bytes: Uint8Array, sig: string): Uint8Array | null {
  const member = Buffer.from(`,"sig":"${sig}"`, 'utf8')
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const at = view.indexOf(member)
  if (at < 0 || view.indexOf(member, at + 1) >= 0) return null
  const out = new Uint8Array(DOMAIN_BYTES.length + bytes.length - member.length)
  out.set(DOMAIN_BYTES, 0)
  out.set(bytes.subarray(0, at), DOMAIN_BYTES.length)
  out.set(bytes.subarray(at + member.length), DOMAIN_BYTES.length + at)
  return out
}

/** DESIGN section 3: the negotiation id is the hash of its GENESIS envelope. */
export function negotiationIdOf(genesis: SignedEnvelope): string {
  if (genesis.envelope.type !== 'GENESIS') throw TrustError.invalidInput('a negotiation id comes from a GENESIS envelope')
  return genesis.hash
}

/** Freezes every object and array reachable through own enumerable properties. No arrays of values are built. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) deepFreeze(value[i])
    } else {
      const obj = value as Record<string, unknown>
      const keys = Object.keys(obj)
      for (let i = 0; i < keys.length; i++) deepFreeze(obj[keys[i]!])
    }
    Object.freeze(value)
  }
  return value
}
