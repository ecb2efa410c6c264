/**
 * A Signer is how the rest of the core signs without ever holding a secret key:
 * the unlocked identity hands one out, and wiping it makes every later call fail.
 */
import { TrustError } from '../errors.js'
import { bytesToHex } from './hex.js'
import { createSigningKey, publicKeyFromSecret } from './ed25519.js'
import type { SigningDomain } from '../protocol/domains.js'
import { canonicalizeStrict } from '../protocol/jcs.js'
import { signingInput } from '../protocol/signing.js'

export interface Signer {
  /** 64 lowercase hex chars. */
  readonly publicKey: string
  /** Ed25519 over UTF-8 of `domain + JCS(value)`; returns 128 hex chars. */
  signCanonical(domain: SigningDomain, value: unknown): string
  /** Ed25519 over raw bytes, for formats that fix their own signing input (C2SP signed notes). */
  signBytes(message: Uint8Array): Uint8Array
}

export interface WipeableSigner extends Signer {
  /** Overwrites the secret key; every later call throws LOCKED. */
  wipe(): void
  readonly wiped: boolean
}

/** Takes ownership of `secretKey` (it is zeroed by wipe()). */
export function createSigner(secretKey: Uint8Array): WipeableSigner {
  const key = secretKey
  const publicKey = bytesToHex(publicKeyFromSecret(key))
  const signingKey = createSigningKey(key)
  let wiped = false
  const live = (): typeof signingKey => {
    if (wiped) throw TrustError.locked()
    return signingKey
  }
  return {
    publicKey,
    signCanonical: (domain, value) => bytesToHex(live().sign(signingInput(domain, canonicalizeStrict(value)))),
    signBytes: (message) => live().sign(message),
    wipe() {
      key.fill(0)
      signingKey.dispose()
      wiped = true
    },
    get wiped() {
      return wiped
    },
  }
}
