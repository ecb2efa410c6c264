/**
 * Feed attestations (DESIGN section 5): how a feed key reaches participants who
 * never connected to its owner. A verified hello plus the handshake hash it was
 * made for is a statement "identity I named feed F in negotiation N", signed by I:
 * any peer can check it without trusting the relay that forwards it (the relay
 * cannot use it as its own handshake: the hash is of another connection).
 *
 * After the handshake each side sends message 0 of the channel: a concatenation
 * of 192-byte records, one per known feed,
 *   identity (32) || feed key (32) || handshake hash (64) || signature (64)
 * with the signature input of handshake.ts.
 */
import { TrustError } from '../errors.js'
import { bytesToHex } from '../crypto/hex.js'
import { decodeHello, encodeHello, HANDSHAKE_HASH_BYTES, verifyHello, type Hello } from './handshake.js'

export const ATTESTATION_BYTES = 192

export interface FeedAttestation extends Hello {
  handshakeHash: Uint8Array
}

export function encodeAttestation(a: FeedAttestation): Uint8Array {
  const hello = encodeHello(a)
  if (a.handshakeHash.length !== HANDSHAKE_HASH_BYTES) throw TrustError.invalidEncoding('a handshake hash must be 64 bytes')
  const out = new Uint8Array(ATTESTATION_BYTES)
  out.set(hello.subarray(0, 64), 0)
  out.set(a.handshakeHash, 64)
  out.set(hello.subarray(64, 128), 128)
  return out
}

export function decodeAttestation(bytes: Uint8Array): FeedAttestation {
  if (!(bytes instanceof Uint8Array) || bytes.length !== ATTESTATION_BYTES) {
    throw TrustError.invalidEncoding(`a feed attestation must be ${ATTESTATION_BYTES} bytes`)
  }
  const hello = new Uint8Array(128)
  hello.set(bytes.subarray(0, 64), 0)
  hello.set(bytes.subarray(128, 192), 64)
  return { ...decodeHello(hello), handshakeHash: Uint8Array.from(bytes.subarray(64, 128)) }
}

export function verifyAttestation(a: FeedAttestation, negotiation: string): boolean {
  return verifyHello(a, a.handshakeHash, negotiation)
}

/** Concatenated records; `max` bounds the count a peer may send in one message. */
export function decodeAttestationList(bytes: Uint8Array, max: number): FeedAttestation[] {
  if (bytes.length === 0 || bytes.length % ATTESTATION_BYTES !== 0) {
    throw TrustError.invalidEncoding(`a feed announcement is a non-empty multiple of ${ATTESTATION_BYTES} bytes`)
  }
  const count = bytes.length / ATTESTATION_BYTES
  if (count > max) throw TrustError.invalidInput(`a feed announcement lists ${count} feeds, the limit is ${max}`)
  const out: FeedAttestation[] = []
  for (let i = 0; i < count; i++) out.push(decodeAttestation(bytes.subarray(i * ATTESTATION_BYTES, (i + 1) * ATTESTATION_BYTES)))
  return out
}

export function encodeAttestationList(list: FeedAttestation[]): Uint8Array {
  const out = new Uint8Array(list.length * ATTESTATION_BYTES)
  list.forEach((a, i) => out.set(encodeAttestation(a), i * ATTESTATION_BYTES))
  return out
}

export function attestationHex(a: FeedAttestation): string {
  return bytesToHex(encodeAttestation(a))
}
