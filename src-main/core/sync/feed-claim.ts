/**
 * Feed claims (DESIGN section 5): how a participant tells the others, through a
 * seeder and with nobody online at the same time, which feed is theirs. A claim
 * is 128 bytes,
 *
 *   identity (32) || feed key (32) || Ed25519 signature (64)
 *
 * signed by the identity over UTF-8("trust-primitive/v1/feed-claim:") ||
 * negotiation id (32) || feed key (32). Unlike a hello it is not tied to a
 * connection, so it is the same bytes every time it is made.
 *
 * On a seeder it is stored sealed, so the seeder learns neither the identities
 * nor the feeds of a negotiation: entry = nonce (12) || AES-256-GCM ciphertext
 * of the claim (128) || tag (16), 156 bytes, under the directory key
 * (topic-keys.ts) with the seeder group (32 bytes) as additional data. The nonce
 * is the first 12 bytes of HMAC-SHA-256(directory key, claim): one claim always
 * seals to the same entry (the seeder keeps it once) and two claims never share
 * a nonce.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto'
import { TrustError } from '../errors.js'
import { isValidPublicKey, verify } from '../crypto/ed25519.js'
import { bytesToHex, hexToBytes } from '../crypto/hex.js'
import type { Signer } from '../crypto/signer.js'

export const FEED_CLAIM_DOMAIN = 'trust-primitive/v1/feed-claim:'
export const CLAIM_BYTES = 128
export const SEALED_CLAIM_BYTES = 12 + CLAIM_BYTES + 16

const DOMAIN_BYTES = new TextEncoder().encode(FEED_CLAIM_DOMAIN)

export interface FeedClaim {
  /** The identity that owns the feed, 64 lowercase hex chars. */
  identity: string
  /** Its Hypercore key, 64 lowercase hex chars. */
  feedKey: string
  signature: Uint8Array
}

export function claimSigningInput(negotiation: string, feedKey: string): Uint8Array {
  const out = new Uint8Array(DOMAIN_BYTES.length + 64)
  out.set(DOMAIN_BYTES, 0)
  out.set(hexToBytes(negotiation, 32, 'negotiation id'), DOMAIN_BYTES.length)
  out.set(hexToBytes(feedKey, 32, 'feed key'), DOMAIN_BYTES.length + 32)
  return out
}

export function createClaim(signer: Signer, negotiation: string, feedKey: string): FeedClaim {
  return { identity: signer.publicKey, feedKey, signature: signer.signBytes(claimSigningInput(negotiation, feedKey)) }
}

export function encodeClaim(claim: FeedClaim): Uint8Array {
  if (!(claim.signature instanceof Uint8Array) || claim.signature.length !== 64) throw TrustError.invalidEncoding('a signature must be 64 bytes')
  const out = new Uint8Array(CLAIM_BYTES)
  out.set(hexToBytes(claim.identity, 32, 'identity key'), 0)
  out.set(hexToBytes(claim.feedKey, 32, 'feed key'), 32)
  out.set(claim.signature, 64)
  return out
}

export function decodeClaim(bytes: Uint8Array): FeedClaim {
  if (!(bytes instanceof Uint8Array) || bytes.length !== CLAIM_BYTES) throw TrustError.invalidEncoding(`a feed claim must be ${CLAIM_BYTES} bytes`)
  return {
    identity: bytesToHex(bytes.subarray(0, 32)),
    feedKey: bytesToHex(bytes.subarray(32, 64)),
    signature: Uint8Array.from(bytes.subarray(64, 128)),
  }
}

/** Strict RFC 8032 check of the claim for this negotiation. Never throws. */
export function verifyClaim(claim: FeedClaim, negotiation: string): boolean {
  try {
    const identity = hexToBytes(claim.identity, 32)
    if (!isValidPublicKey(identity)) return false
    return verify(claim.signature, claimSigningInput(negotiation, claim.feedKey), identity)
  } catch {
    return false
  }
}

function need32(bytes: Uint8Array, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw TrustError.invalidInput(`${what} must be 32 bytes`)
}

/** The directory entry of a claim: deterministic, so the seeder stores each claim once. */
export function sealClaim(claim: FeedClaim, key: Uint8Array, group: Uint8Array): Uint8Array {
  need32(key, 'a directory key')
  need32(group, 'a seeder group')
  const plain = encodeClaim(claim)
  const nonce = createHmac('sha256', key).update(plain).digest().subarray(0, 12)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(group)
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  const out = new Uint8Array(SEALED_CLAIM_BYTES)
  out.set(nonce, 0)
  out.set(body, 12)
  out.set(cipher.getAuthTag(), 12 + CLAIM_BYTES)
  return out
}

/** The claim in a directory entry, or null when it is not one sealed for this group (garbage from a seeder or a stranger). */
export function openClaim(entry: Uint8Array, key: Uint8Array, group: Uint8Array): FeedClaim | null {
  if (!(entry instanceof Uint8Array) || entry.length !== SEALED_CLAIM_BYTES) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, entry.subarray(0, 12))
    decipher.setAAD(group)
    decipher.setAuthTag(entry.subarray(12 + CLAIM_BYTES))
    const plain = Buffer.concat([decipher.update(entry.subarray(12, 12 + CLAIM_BYTES)), decipher.final()])
    return decodeClaim(new Uint8Array(plain))
  } catch {
    return null
  }
}
