import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { canonicalize, canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import { parseJson, parseJsonBytes } from '../../src-main/core/protocol/json.js'
import { TrustError } from '../../src-main/core/errors.js'

const VECTORS = join(import.meta.dirname, '../fixtures/vectors/jcs')

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return err instanceof TrustError ? err.code : 'NOT_A_TRUST_ERROR'
  }
  return undefined
}

describe('RFC 8785 vectors', () => {
  const files = readdirSync(join(VECTORS, 'input')).filter((f) => f.endsWith('.json'))
  it('has the six upstream vectors', () => expect(files.length).toBe(6))
  for (const file of files) {
    it(`canonicalizes ${file} to exactly the expected bytes`, () => {
      const input = readFileSync(join(VECTORS, 'input', file))
      const expected = readFileSync(join(VECTORS, 'output', file))
      const value = parseJsonBytes(input, { strict: false })
      expect(Buffer.from(canonicalize(value), 'utf8').equals(expected)).toBe(true)
    })
  }
})

describe('strict encoder', () => {
  it('encodes integers, strings, booleans, null, arrays and sorted objects', () => {
    expect(canonicalizeStrict({ b: [1, true, null], a: 'x', é: -5 })).toBe('{"a":"x","b":[1,true,null],"é":-5}')
    expect(canonicalizeStrict(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991')
  })
  it('refuses floats, -0, integers beyond 2^53, lone surrogates, NaN and non-JSON values', () => {
    for (const bad of [1.5, -0, 2 ** 53, -(2 ** 53), '\ud800', 'a\udc00b', { k: NaN }, { k: undefined }, new Date(0), () => 1]) {
      expect(codeOf(() => canonicalizeStrict(bad))).toBe('INVALID_ENCODING')
    }
    expect(codeOf(() => canonicalizeStrict({ '\ud83d': 1 }))).toBe('INVALID_ENCODING')
  })
  it('sorts keys by UTF-16 code units, not code points', () => {
    // U+FB33 (one unit, 0xFB33) sorts after U+1F602 (surrogates 0xD83D...) in UTF-16 order.
    expect(canonicalize({ '\ufb33': 1, '\ud83d\ude02': 2 })).toBe('{"\ud83d\ude02":2,"\ufb33":1}')
  })
})

describe('strict parser', () => {
  it('parses what the strict encoder writes, identically', () => {
    const value = { z: [1, -2, 'é\n', { a: null }], a: false, n: 9007199254740991 }
    expect(parseJson(canonicalizeStrict(value))).toEqual(value)
  })
  it('refuses duplicate keys, lone surrogates, floats, exponents, -0 and big integers', () => {
    for (const text of ['{"a":1,"a":2}', '{"a":{"b":1,"b":1}}', '"\\ud800"', '"\\udc00x"', '1.0', '1e3', '-0', '9007199254740992', '[1,]', '{"a":1}x', "{'a':1}", '"\u0001"', '']) {
      expect(codeOf(() => parseJson(text)), text).toBe('INVALID_ENCODING')
    }
  })
  it('refuses invalid UTF-8 and nesting past the depth limit', () => {
    expect(codeOf(() => parseJsonBytes(Uint8Array.from([0x22, 0xff, 0x22])))).toBe('INVALID_ENCODING')
    expect(codeOf(() => parseJson('['.repeat(100) + ']'.repeat(100)))).toBe('INVALID_ENCODING')
  })
  it('does not let __proto__ keys reach the prototype', () => {
    const value = parseJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(value)).toEqual(['__proto__'])
    expect(canonicalizeStrict(value)).toBe('{"__proto__":{"polluted":true}}')
  })
})
