/**
 * Checks the params of a TrustApi call (DESIGN section 11: params are plain JSON
 * from an untrusted caller). Every failure is INVALID_INPUT naming the field, and
 * unknown fields are refused so a typo (`termshash`) is an error, not a silent
 * default. Deep checks (key validity, clause rules) stay with the modules that own
 * them; this layer makes sure each field has the type those modules expect.
 */
import { TrustError } from '../errors.js'
import { isHex } from '../crypto/hex.js'

export type Params = Record<string, unknown>

/** Longest free text a caller may pass (a clause, a note, a reason). The protocol has its own, smaller limits. */
const MAX_TEXT = 64 * 1024

function bad(method: string, field: string, text: string): TrustError {
  return TrustError.invalidInput(`${method}: ${field} ${text}`, { field })
}

/** The params object, with only `allowed` keys. */
export function paramsOf(method: string, value: unknown, allowed: readonly string[]): Params {
  const params = value === undefined || value === null ? {} : value
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw TrustError.invalidInput(`${method}: params must be an object`)
  }
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      throw bad(method, key, `is not a parameter of ${method} (expected ${allowed.length ? allowed.join(', ') : 'none'})`)
    }
  }
  return params as Params
}

export function str(method: string, p: Params, field: string, max = MAX_TEXT): string {
  const v = p[field]
  if (typeof v !== 'string') throw bad(method, field, v === undefined ? 'is required' : 'must be a string')
  if (v.length > max) throw bad(method, field, `is longer than ${max} characters`)
  return v
}

export function optStr(method: string, p: Params, field: string, max = MAX_TEXT): string | undefined {
  return p[field] === undefined ? undefined : str(method, p, field, max)
}

export function int(method: string, p: Params, field: string, min: number, max: number): number {
  const v = p[field]
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw bad(method, field, v === undefined ? 'is required' : 'must be an integer')
  }
  if (v < min || v > max) throw bad(method, field, `must be from ${min} to ${max}`)
  return v
}

export function optInt(method: string, p: Params, field: string, min: number, max: number): number | undefined {
  return p[field] === undefined ? undefined : int(method, p, field, min, max)
}

/** 64 lowercase hex: a hash, a negotiation id or a public key. */
export function hex64(method: string, p: Params, field: string): string {
  const v = p[field]
  if (!isHex(v, 32)) throw bad(method, field, v === undefined ? 'is required' : 'must be 64 lowercase hex characters')
  return v
}

export function hexList(method: string, p: Params, field: string, max: number): string[] {
  const v = p[field]
  if (!Array.isArray(v)) throw bad(method, field, v === undefined ? 'is required' : 'must be an array')
  if (v.length > max) throw bad(method, field, `has more than ${max} entries`)
  v.forEach((item, i) => {
    if (!isHex(item, 32)) throw bad(method, `${field}[${i}]`, 'must be 64 lowercase hex characters')
  })
  return [...(v as string[])]
}

export function oneOf<T extends string>(method: string, p: Params, field: string, values: readonly T[]): T {
  const v = p[field]
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw bad(method, field, `must be one of ${values.join(', ')}`)
  }
  return v as T
}

/** An array of objects, each with only `keys` and string values (clauses, clause changes). */
export function objectList(
  method: string,
  p: Params,
  field: string,
  keys: { required: readonly string[]; optional: readonly string[] },
  max: number,
): Record<string, string>[] {
  const v = p[field]
  if (!Array.isArray(v)) throw bad(method, field, v === undefined ? 'is required' : 'must be an array')
  if (v.length > max) throw bad(method, field, `has more than ${max} entries`)
  return v.map((item: unknown, i) => {
    const at = `${field}[${i}]`
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw bad(method, at, 'must be an object')
    const o = item as Record<string, unknown>
    for (const key of Object.keys(o)) {
      if (!keys.required.includes(key) && !keys.optional.includes(key)) throw bad(method, `${at}.${key}`, 'is not an allowed field')
    }
    const out: Record<string, string> = {}
    for (const key of [...keys.required, ...keys.optional]) {
      const value = o[key]
      if (value === undefined) {
        if (keys.required.includes(key)) throw bad(method, `${at}.${key}`, 'is required')
        continue
      }
      if (typeof value !== 'string') throw bad(method, `${at}.${key}`, 'must be a string')
      if (value.length > MAX_TEXT) throw bad(method, `${at}.${key}`, `is longer than ${MAX_TEXT} characters`)
      out[key] = value
    }
    return out
  })
}

/** ISO 8601 UTC with milliseconds, as the protocol writes times (DESIGN section 3). */
export function isoTime(method: string, p: Params, field: string): string {
  const v = str(method, p, field, 64)
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) || Number.isNaN(Date.parse(v)) || new Date(v).toISOString() !== v) {
    throw bad(method, field, 'must be an ISO 8601 UTC time with milliseconds, e.g. 2026-11-24T10:00:00.000Z')
  }
  return v
}
