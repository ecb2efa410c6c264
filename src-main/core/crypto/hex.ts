import { TrustError } from '../errors.js'

/** Lowercase hex digits; evenness is checked on the length (twice as fast as a pair pattern). */
const HEX_RE = /^[0-9a-f]*$/

/** Lowercase hex only: one spelling per byte string, so hex fields are canonical. */
export function isHex(value: unknown, bytes?: number): value is string {
  if (typeof value !== 'string' || value.length % 2 !== 0 || !(bytes === undefined || value.length === bytes * 2)) return false
  return HEX_RE.test(value)
}

export function hexToBytes(hex: string, bytes?: number, what = 'hex value'): Uint8Array {
  if (!isHex(hex, bytes)) {
    const want = bytes === undefined ? 'lowercase hex' : `${bytes * 2} lowercase hex characters`
    throw TrustError.invalidEncoding(`${what} must be ${want}`)
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}
