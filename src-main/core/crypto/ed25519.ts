/**
 * The only module that imports @noble/ed25519. Every input is checked here, at
 * the boundary, so the rest of the code never handles a malformed key or signature.
 *
 * Verification is strict RFC 8032 (section 5.1.7), not ZIP-215:
 *  - S must be canonical, S < L (rejects the `s + L` malleability),
 *  - R and A must be canonical point encodings,
 *  - small-order public keys are refused (they verify any message with some signature).
 */
import * as ed from '@noble/ed25519'
import { createHash, randomBytes } from 'node:crypto'
import { TrustError } from '../errors.js'
import { bytesToHex, hexToBytes, isHex } from './hex.js'

// noble needs a SHA-512 (RFC 8032 section 5.1); node:crypto's is synchronous and fast.
ed.hashes.sha512 = (message: Uint8Array): Uint8Array<ArrayBuffer> =>
  new Uint8Array(createHash('sha512').update(message).digest())

export const PUBLIC_KEY_BYTES = 32
export const SECRET_KEY_BYTES = 32
export const SIGNATURE_BYTES = 64

export interface KeyPair {
  /** 32-byte RFC 8032 seed. Callers own it and must wipe it (`secretKey.fill(0)`). */
  secretKey: Uint8Array
  publicKey: Uint8Array
}

export function generateKeyPair(): KeyPair {
  const secretKey = new Uint8Array(randomBytes(SECRET_KEY_BYTES))
  return { secretKey, publicKey: publicKeyFromSecret(secretKey) }
}

export function publicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  checkLength(secretKey, SECRET_KEY_BYTES, 'secret key')
  return ed.getPublicKey(secretKey)
}

export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  checkLength(secretKey, SECRET_KEY_BYTES, 'secret key')
  return ed.sign(message, secretKey)
}

/** Strict verification; returns false for any malformed input instead of throwing. */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== PUBLIC_KEY_BYTES) return false
  if (!isValidPublicKey(publicKey)) return false
  try {
    return ed.verify(signature, message, publicKey, { zip215: false })
  } catch {
    return false
  }
}

/** A canonical encoding of a point on the curve that is not of small order (RFC 8032 5.1.3). */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_BYTES) return false
  try {
    // zip215:false makes fromBytes refuse non-canonical y (y >= p).
    const point = ed.Point.fromBytes(publicKey, false)
    if (point.isSmallOrder()) return false
    // Round-trip guards the sign bit of x = 0 encodings.
    return bytesToHex(point.toBytes()) === bytesToHex(publicKey)
  } catch {
    return false
  }
}

/** Parses a public key given as 64 lowercase hex characters; refuses invalid points. */
export function parsePublicKey(hex: unknown, what = 'public key'): Uint8Array {
  if (!isHex(hex, PUBLIC_KEY_BYTES)) throw TrustError.badKey(`${what} must be 64 lowercase hex characters`)
  const bytes = hexToBytes(hex, PUBLIC_KEY_BYTES)
  if (!isValidPublicKey(bytes)) throw TrustError.badKey(`${what} is not a valid Ed25519 public key`)
  return bytes
}

export function isPublicKeyHex(value: unknown): value is string {
  return isHex(value, PUBLIC_KEY_BYTES) && isValidPublicKey(hexToBytes(value))
}

export function parseSignature(hex: unknown, what = 'signature'): Uint8Array {
  if (!isHex(hex, SIGNATURE_BYTES)) throw TrustError.badSignature(`${what} must be 128 lowercase hex characters`)
  return hexToBytes(hex, SIGNATURE_BYTES)
}

/** Short fingerprint people compare by voice: first 8 bytes of the key, in 4 groups. */
export function fingerprint(publicKeyHex: string): string {
  return (publicKeyHex.slice(0, 16).match(/.{4}/g) ?? []).join(' ')
}

function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw TrustError.badKey(`${what} must be ${length} bytes`)
  }
}
