import { hash } from 'node:crypto'

/** SHA-256 (FIPS 180-4). Every id in the protocol is one of these, in lowercase hex. */
// node's one-shot crypto.hash (Node >= 20.12): no Hash object per call, which was a tenth
// of parsing an envelope. Strings are hashed as their UTF-8, as Hash.update does.
export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(hash('sha256', data, 'buffer'))
}

export function sha256Hex(data: Uint8Array | string): string {
  return hash('sha256', data, 'hex')
}
