/**
 * What a third party needs to check one envelope signature with any Ed25519 tool
 * (DESIGN section 3: "Anyone with the envelope and the public key can check a
 * signature with any Ed25519 tool (OpenSSL, libsodium). Keep it so.").
 */
import { TrustError } from '../errors.js'
import { hexToBytes, isHex } from '../crypto/hex.js'
import { DOMAIN_ENVELOPE } from '../protocol/domains.js'
import { canonicalizeStrict } from '../protocol/jcs.js'

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4): SEQUENCE, AlgorithmIdentifier 1.3.101.112, BIT STRING. */
const ED25519_SPKI_PREFIX = '302a300506032b6570032100'

/** The public key as the PEM that `openssl pkeyutl -pubin -inkey` reads. */
export function publicKeyPem(publicKeyHex: string): string {
  if (!isHex(publicKeyHex, 32)) throw TrustError.badKey('public key must be 64 lowercase hex characters')
  const der = Buffer.from(hexToBytes(ED25519_SPKI_PREFIX + publicKeyHex))
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`
}

/** The exact signed text: `"trust-primitive/v1:" + JCS(envelope without sig)` (DESIGN section 3). */
export function envelopeSigningText(envelope: Readonly<Record<string, unknown>>): string {
  const { sig: _sig, ...unsigned } = envelope
  return DOMAIN_ENVELOPE + canonicalizeStrict(unsigned)
}
