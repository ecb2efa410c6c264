/** Domain-separated signatures over strict JCS bytes (DESIGN section 3). */
import { sign, verify } from '../crypto/ed25519.js'
import { bytesToHex, hexToBytes, isHex } from '../crypto/hex.js'
import { canonicalizeStrict } from './jcs.js'
import type { SigningDomain } from './domains.js'

const utf8 = new TextEncoder()

/** UTF-8 of `domain + canonical`. */
export function signingInput(domain: SigningDomain, canonical: string): Uint8Array {
  return utf8.encode(domain + canonical)
}

/** Signs the strict canonical form of `value`; returns 128 lowercase hex chars. */
export function signCanonical(domain: SigningDomain, value: unknown, secretKey: Uint8Array): string {
  return bytesToHex(sign(signingInput(domain, canonicalizeStrict(value)), secretKey))
}

/** Strict verification of a hex signature over the canonical form of `value`. Never throws. */
export function verifyCanonical(domain: SigningDomain, value: unknown, sigHex: string, publicKeyHex: string): boolean {
  if (!isHex(sigHex, 64) || !isHex(publicKeyHex, 32)) return false
  let canonical: string
  try {
    canonical = canonicalizeStrict(value)
  } catch {
    return false
  }
  return verify(hexToBytes(sigHex), signingInput(domain, canonical), hexToBytes(publicKeyHex))
}
