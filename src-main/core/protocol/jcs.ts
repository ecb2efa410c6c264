/**
 * RFC 8785 JSON Canonicalization Scheme.
 *
 * `canonicalize` accepts any I-JSON value, numbers included (section 3.2.2.3:
 * ECMAScript Number serialization, which `String(number)` implements).
 * `canonicalizeStrict` is the protocol's encoder: DESIGN section 3 allows only
 * strings, safe integers, booleans, null, arrays and objects, so floats, -0,
 * integers beyond 2^53 and lone surrogates are refused instead of silently encoded.
 *
 * Two encoders, one answer. Every value is first encoded by the fast one, which
 * builds no paths and throws only the bare FAILED marker. When it fails, the
 * value is encoded again by the reporting one (the original encoder, kept as
 * it was), which throws the exact TrustError and path. What the fast one
 * accepts, the reporting one accepts and writes identically; everything else
 * (all the reporting one refuses, sparse arrays included) is left to the reporting
 * one. So both functions answer exactly as the reporting encoder alone would
 * (test/unit/jcs-fast.test.ts compares them with a copy of it).
 */
import { TrustError } from '../errors.js'

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export function canonicalize(value: unknown): string {
  return encodeOrReport(value, false, Infinity)
}

export function canonicalizeStrict(value: unknown): string {
  return encodeOrReport(value, true, Infinity)
}

/**
 * `canonicalizeStrict(value)` for a value whose nesting is within `maxDepth`
 * (the top-level value is depth 0, as in json.ts), or null if the value is
 * refused for any reason, depth included (a sparse array too: no JSON text makes one).
 * For a fast path whose fallback reports the error: no message or path is built.
 */
export function canonicalizeStrictOrNull(value: unknown, maxDepth: number): string | null {
  try {
    return encodeFast(value, true, 0, maxDepth)
  } catch (err) {
    if (err === FAILED) return null
    throw err
  }
}

/** UTF-8 bytes of the strict canonical form: what is hashed and signed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8.encode(canonicalizeStrict(value))
}

const utf8 = new TextEncoder()

/** Thrown by the fast encoder: the value is refused, the reporting encoder says why. */
const FAILED: unique symbol = Symbol('jcs: refused')

function encodeOrReport(value: unknown, strict: boolean, maxDepth: number): string {
  try {
    return encodeFast(value, strict, 0, maxDepth)
  } catch (err) {
    if (err !== FAILED) throw err
  }
  return encode(value, strict, '$')
}

/**
 * Strings made only of code units JSON.stringify copies as they are: no
 * controls, `"` or `\` (the only ones RFC 8785 3.2.2.2 escapes; not DEL, not
 * U+2028 or U+2029), and no surrogates (copied when paired, refused alone, so
 * left to the careful path). Such a string encodes as itself between quotes.
 * No `u` flag: the class is of UTF-16 code units, each half of a pair included.
 * Anchored and negated, it is one scan (about twice as fast as searching for
 * the first unit that needs care).
 */
const VERBATIM = /^[^\u0000-\u001f"\\\ud800-\udfff]*$/

function encodeStringFast(value: string): string {
  if (VERBATIM.test(value)) return '"' + value + '"'
  if (hasLoneSurrogate(value)) throw FAILED
  return JSON.stringify(value)
}

/**
 * Encoded member names: a protocol has few and repeats them in every value, so
 * the scan and the quoting are done once per name. Names are immutable strings,
 * so an entry never goes stale; only short names are kept and the map is
 * cleared when full, so untrusted names cannot grow it past a few KiB.
 */
const encodedKeys = new Map<string, string>()
const KEY_CACHE_MAX = 512
const KEY_CACHE_MAX_LENGTH = 32

function encodeKeyFast(key: string): string {
  let encoded = encodedKeys.get(key)
  if (encoded === undefined) {
    encoded = encodeStringFast(key) // throws on a lone surrogate: never cached
    if (key.length <= KEY_CACHE_MAX_LENGTH) {
      if (encodedKeys.size >= KEY_CACHE_MAX) encodedKeys.clear()
      encodedKeys.set(key, encoded)
    }
  }
  return encoded
}

function encodeFast(value: unknown, strict: boolean, depth: number, maxDepth: number): string {
  if (depth > maxDepth) throw FAILED
  switch (typeof value) {
    case 'string':
      return encodeStringFast(value)
    case 'number':
      if (strict) {
        // -0 is a safe integer, so it is refused apart: 1 / -0 is -Infinity.
        if (!Number.isSafeInteger(value) || (value === 0 && 1 / value < 0)) throw FAILED
      } else if (!Number.isFinite(value)) {
        throw FAILED
      }
      // RFC 8785 3.2.2.3: ECMAScript Number.prototype.toString; String(-0) is '0'.
      return String(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object': {
      if (value === null) return 'null'
      if (Array.isArray(value)) {
        const n = value.length
        if (n === 0) return '[]'
        // An empty slot is not a JSON value (and would read through to Array.prototype).
        if (!Object.hasOwn(value, 0)) throw FAILED
        let out = '[' + encodeFast(value[0], strict, depth + 1, maxDepth)
        for (let i = 1; i < n; i++) {
          if (!Object.hasOwn(value, i)) throw FAILED
          out += ',' + encodeFast(value[i], strict, depth + 1, maxDepth)
        }
        return out + ']'
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) throw FAILED
      const obj = value as Record<string, unknown>
      const keys = Object.keys(obj)
      const n = keys.length
      if (n === 0) return '{}'
      // RFC 8785 3.2.3: keys in UTF-16 code unit order, which is how JS compares
      // strings and what sort() does without a comparator. Keys usually come
      // sorted already (parsed canonical text), so check before sorting.
      for (let i = 1; i < n; i++) {
        if (keys[i - 1]! > keys[i]!) {
          keys.sort()
          break
        }
      }
      let out = '{'
      for (let i = 0; i < n; i++) {
        const key = keys[i]!
        const item = obj[key]
        if (item === undefined) throw FAILED
        if (i !== 0) out += ','
        out += encodeKeyFast(key) + ':'
        out += encodeFast(item, strict, depth + 1, maxDepth)
      }
      return out + '}'
    }
    default:
      throw FAILED
  }
}

// The reporting encoder: slow, with a path in every error. Runs only on refused values.

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
        const parts: string[] = []
        for (let i = 0; i < value.length; i++) {
          if (!Object.hasOwn(value, i)) throw TrustError.invalidEncoding(`${path}[${i}]: an empty array slot is not a JSON value`)
          parts.push(encode(value[i], strict, `${path}[${i}]`))
        }
        return '[' + parts.join(',') + ']'
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
