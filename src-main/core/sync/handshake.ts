/**
 * The handshake (DESIGN section 5), byte for byte. On every connection and for
 * every negotiation both peers share, each side opens a Protomux channel
 * (protocol HANDSHAKE_PROTOCOL, id = the 32 negotiation id bytes) whose open
 * message carries a 128-byte hello:
 *
 *   identity key (32) || feed key (32) || Ed25519 signature (64)
 *
 * signed by the identity key over
 *
 *   UTF-8("trust-primitive/v1/handshake:") || handshake hash (64) || negotiation id (32) || feed key (32)
 *
 * where the handshake hash is the Noise handshake hash of this very connection
 * (secret-stream `handshakeHash`): a hello copied to another connection fails.
 * The same 192-byte record with the hash spelled out (a feed attestation, see
 * feed-attestation.ts) lets a third party check that the identity named this feed.
 */
import { TrustError } from '../errors.js'
import { isValidPublicKey, verify } from '../crypto/ed25519.js'
import { bytesToHex, hexToBytes } from '../crypto/hex.js'
import { DOMAIN_HANDSHAKE } from '../protocol/domains.js'
import type { Signer } from '../crypto/signer.js'

export const HANDSHAKE_PROTOCOL = 'trust-primitive/v1'
export const HELLO_BYTES = 128
export const HANDSHAKE_HASH_BYTES = 64

const DOMAIN_BYTES = new TextEncoder().encode(DOMAIN_HANDSHAKE)

export interface Hello {
  /** Identity public key, 64 lowercase hex chars. */
  identity: string
  /** Hypercore key of the identity's feed in this negotiation, 64 lowercase hex chars. */
  feedKey: string
  signature: Uint8Array
}

function need(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw TrustError.invalidEncoding(`${what} must be ${length} bytes`)
  }
}

/** domain || handshakeHash || negotiation || feedKey */
export function handshakeSigningInput(handshakeHash: Uint8Array, negotiation: string, feedKey: string): Uint8Array {
  need(handshakeHash, HANDSHAKE_HASH_BYTES, 'a handshake hash')
  const out = new Uint8Array(DOMAIN_BYTES.length + HANDSHAKE_HASH_BYTES + 64)
  let at = 0
  out.set(DOMAIN_BYTES, at)
  out.set(handshakeHash, (at += DOMAIN_BYTES.length))
  out.set(hexToBytes(negotiation, 32, 'negotiation id'), (at += HANDSHAKE_HASH_BYTES))
  out.set(hexToBytes(feedKey, 32, 'feed key'), at + 32)
  return out
}

/** Signs and encodes our hello for one connection. */
export function createHello(signer: Signer, handshakeHash: Uint8Array, negotiation: string, feedKey: string): Uint8Array {
  const signature = signer.signBytes(handshakeSigningInput(handshakeHash, negotiation, feedKey))
  return encodeHello({ identity: signer.publicKey, feedKey, signature })
}

export function encodeHello(hello: Hello): Uint8Array {
  need(hello.signature, 64, 'a signature')
  const out = new Uint8Array(HELLO_BYTES)
  out.set(hexToBytes(hello.identity, 32, 'identity key'), 0)
  out.set(hexToBytes(hello.feedKey, 32, 'feed key'), 32)
  out.set(hello.signature, 64)
  return out
}

/** Exactly 128 bytes, else INVALID_ENCODING (no trailing bytes are tolerated). */
export function decodeHello(bytes: Uint8Array): Hello {
  need(bytes, HELLO_BYTES, 'a hello')
  return {
    identity: bytesToHex(bytes.subarray(0, 32)),
    feedKey: bytesToHex(bytes.subarray(32, 64)),
    signature: Uint8Array.from(bytes.subarray(64, 128)),
  }
}

/** Strict RFC 8032 check of the hello against this connection's handshake hash. Never throws. */
export function verifyHello(hello: Hello, handshakeHash: Uint8Array, negotiation: string): boolean {
  try {
    const identity = hexToBytes(hello.identity, 32)
    if (!isValidPublicKey(identity)) return false
    return verify(hello.signature, handshakeSigningInput(handshakeHash, negotiation, hello.feedKey), identity)
  } catch {
    return false
  }
}
