/**
 * Field checks for envelopes and bodies (DESIGN section 3). Each check either
 * returns a fresh, typed copy of the value or throws BAD_ENVELOPE naming the
 * exact path, so a peer's malformed message is refused with a precise reason and
 * nothing of the caller's object is kept by reference.
 */
import { TrustError } from '../errors.js'
import { isPublicKeyHex } from '../crypto/ed25519.js'

export function fail(path: string, text: string): never {
  throw new TrustError('BAD_ENVELOPE', `${path}: ${text}`, { path })
}

/** A plain object with exactly the `required` keys and any of the `optional` ones. */
export function exactObject(
  value: unknown,
  path: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object')
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) fail(path, 'must be a plain object')
  const obj = value as Record<string, unknown>
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) fail(path, `unexpected field ${JSON.stringify(key)}`)
  }
  for (const key of required) {
    if (!Object.hasOwn(obj, key) || obj[key] === undefined) fail(path, `missing field ${JSON.stringify(key)}`)
  }
  return obj
}

/** Lengths count UTF-16 code units, the unit JavaScript and JCS (RFC 8785 3.2.3) use. */
export function text(value: unknown, path: string, min: number, max: number): string {
  if (typeof value !== 'string') fail(path, 'must be a string')
  if (value.length < min) fail(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
  if (value.length > max) fail(path, `must be at most ${max} characters`)
  return value
}

export function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(path, 'must be a safe integer')
  if (value < min || value > max) fail(path, `must be between ${min} and ${max}`)
  return value
}

/**
 * `isHex(value, chars / 2)` (crypto/hex.ts) for an even `chars`: a string of
 * exactly `chars` lowercase hex characters. The same strings as its regex of
 * hex pairs and length check, in about half the time (a counted `{64}` is
 * slower too). JS `$` without the m flag is the end of input.
 */
const LOWER_HEX_RE = /^[0-9a-f]*$/

export function isLowerHex(value: unknown, chars: number): value is string {
  return typeof value === 'string' && value.length === chars && LOWER_HEX_RE.test(value)
}

function isHex64(value: unknown): value is string {
  return isLowerHex(value, 64)
}

/** 64 lowercase hex characters: a SHA-256 id or a 32-byte key. */
export function hash(value: unknown, path: string): string {
  if (!isHex64(value)) fail(path, 'must be 64 lowercase hex characters')
  return value
}

/**
 * Keys already found valid. Checking a point costs a decompression (~0.1 ms)
 * and a negotiation has a handful of authors, so most checks are repeats. The
 * answer for a given string never changes; the set is bounded.
 */
const validKeys = new Set<string>()
const VALID_KEYS_MAX = 4096

export function publicKey(value: unknown, path: string): string {
  if (!isHex64(value)) fail(path, 'must be 64 lowercase hex characters')
  if (validKeys.has(value)) return value
  if (!isPublicKeyHex(value)) fail(path, 'is not a valid Ed25519 public key')
  if (validKeys.size >= VALID_KEYS_MAX) validKeys.clear()
  validKeys.add(value)
  return value
}

export function list(value: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array')
  if (value.length < min) fail(path, `must hold at least ${min} item${min === 1 ? '' : 's'}`)
  if (value.length > max) fail(path, `must hold at most ${max} items`)
  return value
}

export function oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    fail(path, `must be one of ${options.join(', ')}`)
  }
  return value as T
}

/** Lowercase only, so `price` and `Price` cannot be two confusable clauses. */
const CLAUSE_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/

export function clauseId(value: unknown, path: string): string {
  if (typeof value !== 'string' || !CLAUSE_ID_RE.test(value)) {
    fail(path, 'must match /^[a-z0-9][a-z0-9_-]{0,63}$/ (lowercase letters, digits, _ and -)')
  }
  return value
}

/** DESIGN section 3: ISO 8601 UTC with milliseconds, exactly one spelling per instant. */
const ISO_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

export function isoTime(value: unknown, path: string): string {
  if (typeof value !== 'string' || !ISO_TIME_RE.test(value)) fail(path, 'must be YYYY-MM-DDTHH:mm:ss.sssZ')
  if (!isRealTime(value)) fail(path, 'is not a real date and time')
  return value
}

/**
 * Whether a string of ISO_TIME_RE's shape names a real instant, spelled as
 * `new Date(Date.parse(value)).toISOString()` would spell it (that round trip
 * refuses dates that do not exist, 2026-02-30, and hours like 24:00:00). Years
 * 0000 to 9999 are all within Date's range and written with four digits, so
 * the round trip holds exactly when each field is within its calendar range
 * (proleptic Gregorian, as Date's). Equal to the round trip on every string of
 * that shape (test/unit/envelope-fast.test.ts compares them), without a Date.
 */
function isRealTime(value: string): boolean {
  const month = digits2(value, 5)
  const day = digits2(value, 8)
  if (month < 1 || month > 12 || day < 1) return false
  if (day > 28) {
    const year = digits2(value, 0) * 100 + digits2(value, 2)
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
    const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
    if (day > days) return false
  }
  return digits2(value, 11) < 24 && digits2(value, 14) < 60 && digits2(value, 17) < 60
}

/** The two ASCII digits at `at`, already checked by ISO_TIME_RE. */
function digits2(value: string, at: number): number {
  return (value.charCodeAt(at) - 48) * 10 + (value.charCodeAt(at + 1) - 48)
}

/** Milliseconds since the epoch of a time already checked by `isoTime`. */
export function timeToMs(iso: string): number {
  return Date.parse(iso)
}
