import { createHash } from 'node:crypto'

/** SHA-256 (FIPS 180-4). Every id in the protocol is one of these, in lowercase hex. */
export function sha256(data: Uint8Array | string): Uint8Array {
  const h = createHash('sha256')
  h.update(data)
  return new Uint8Array(h.digest())
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}
