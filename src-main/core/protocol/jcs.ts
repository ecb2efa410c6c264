/**
 * RFC 8785 JSON Canonicalization Scheme.
 *
 * `canonicalize` accepts any I-JSON value, numbers included (section 3.2.2.3:
 * ECMAScript Number serialization, which `String(number)` implements).
 * `canonicalizeStrict` is the protocol's encoder: DESIGN section 3 allows only
 * strings, safe integers, booleans, null, arrays and objects, so floats, -0,
 * integers beyond 2^53 and lone surrogates are refused instead of silently encoded.
 */
import { TrustError } from '../errors.js'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export function canonicalize(value: unknown): string {
  return encode(value, false, '$')
}

export function canonicalizeStrict(value: unknown): string {
  return encode(value, true, '$')
}

/** UTF-8 bytes of the strict canonical form: what is hashed and signed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalizeStrict(value))
}

function encode(value: unknown, strict: boolean, path: string): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'string':
      return encodeString(value, path)
    case 'number':
      return encodeNumber(value, strict, path)
    case 'object':
      if (Array.isArray(value)) {
        return '[' + value.map((item, i) => encode(item, strict, `${path}[${i}]`)).join(',') + ']'
      }
      return encodeObject(value as Record<string, unknown>, strict, path)
    default:
      throw TrustError.invalidEncoding(`${path}: ${typeof value} is not a JSON value`)
  }
}

function encodeNumber(value: number, strict: boolean, path: string): string {
  if (!Number.isFinite(value)) throw TrustError.invalidEncoding(`${path}: NaN and Infinity are not JSON`)
  if (strict) {
    if (Object.is(value, -0)) throw TrustError.invalidEncoding(`${path}: -0 is not allowed`)
    if (!Number.isInteger(value)) throw TrustError.invalidEncoding(`${path}: floats are not allowed`)
    if (!Number.isSafeInteger(value)) throw TrustError.invalidEncoding(`${path}: integers beyond 2^53 are not allowed`)
  }
  // RFC 8785 3.2.2.3: ECMAScript Number.prototype.toString; -0 serializes as 0.
  return Object.is(value, -0) ? '0' : String(value)
}

function encodeObject(obj: Record<string, unknown>, strict: boolean, path: string): string {
  const proto = Object.getPrototypeOf(obj)
  if (proto !== Object.prototype && proto !== null) {
    throw TrustError.invalidEncoding(`${path}: only plain objects are JSON`)
  }
  // RFC 8785 3.2.3: sort keys by their UTF-16 code units. JS string comparison is exactly that.
  const keys = Object.keys(obj).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const parts: string[] = []
  for (const key of keys) {
    const item = obj[key]
    if (item === undefined) throw TrustError.invalidEncoding(`${path}.${key}: undefined is not JSON`)
    parts.push(encodeString(key, path) + ':' + encode(item, strict, `${path}.${key}`))
  }
  return '{' + parts.join(',') + '}'
}

/** RFC 8785 3.2.2.2: JSON.stringify's escaping, after refusing lone surrogates (I-JSON, RFC 7493 2.1). */
function encodeString(value: string, path: string): string {
  if (hasLoneSurrogate(value)) throw TrustError.invalidEncoding(`${path}: string holds a lone surrogate`)
  return JSON.stringify(value)
}

export function hasLoneSurrogate(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++
        continue
      }
      return true
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true
  }
  return false
}
