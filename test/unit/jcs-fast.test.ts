/**
 * The fast JCS encoder and the faster strict parser against the implementations
 * they replaced, kept below as references: same output where they accept, same
 * TrustError (code and message) where they refuse, on chosen edge cases and on
 * random and mutated inputs.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import {
  canonicalBytes,
  canonicalize,
  canonicalizeStrict,
  canonicalizeStrictOrNull,
  hasLoneSurrogate,
} from '../../src-main/core/protocol/jcs.js'
import { parseJson } from '../../src-main/core/protocol/json.js'
import { refEncode, refParseJson } from '../fixtures/protocol-reference.js'

// ---------------------------------------------------------------------------
// Comparing outcomes.

type Outcome = { ok: true; value: unknown } | { ok: false; error: string }

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: run() }
  } catch (err) {
    if (!(err instanceof TrustError)) return { ok: false, error: `not a TrustError: ${String(err)}` }
    return { ok: false, error: err.message }
  }
}

/** Equal down to -0, key order, prototypes and own `__proto__` members. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b)
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  const ka = Reflect.ownKeys(a)
  const kb = Reflect.ownKeys(b)
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false
  return ka.every((k) => sameValue((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]))
}

function expectSameOutcome(actual: Outcome, expected: Outcome, what: string): void {
  if (expected.ok && actual.ok) {
    expect(sameValue(actual.value, expected.value), what).toBe(true)
  } else {
    expect(actual, what).toEqual(expected)
  }
}

// ---------------------------------------------------------------------------
// Arbitraries.

/** Code units and code points that take each branch of the string encoders. */
const SPECIAL_UNITS = [
  '"', '\\', '/', '\u0000', '\u0001', '\b', '\t', '\n', '\f', '\r', '\u001f', ' ', '\u007f', '\u0080',
  '\u2028', '\u2029', '\ud7ff', '\ue000', '\ufeff', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff',
  '\ud83d\ude02', '\udbff\udfff', 'é', 'a', 'Z', '0', '\u00e9', '\u4e2d',
]

const unit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_UNITS) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
)
const anyString = fc.string({ unit, maxLength: 12 })
const key = fc.oneof(
  anyString,
  fc.constantFrom('__proto__', 'constructor', 'toString', '', '0', '1', '9', '10', '01', '-1', '4294967295', 'a', 'b', 'B', 'é'),
)
const number = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1.5, -2.5, 0.1, 1e21, 1e-7, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 64, NaN, Infinity, -Infinity, 5e-324),
  fc.integer(),
  fc.double(),
)
/** Values that are not JSON, or not plain: each must be refused as before. */
const oddity = fc.constantFrom<unknown>(undefined, 10n, Symbol('s'), () => 1, new Date(0), new Map(), /re/, new (class Thing {})(), [1, , 2], Object.create({ inherited: 1 }) as unknown, Object.create(null) as unknown)

/** Objects built from entries with defineProperty, so `__proto__` is an own member as parsers make it. */
function objectOf(entries: [string, unknown][], nullProto: boolean): Record<string, unknown> {
  const out = (nullProto ? Object.create(null) : {}) as Record<string, unknown>
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
  return out
}

const { value: anyValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: anyString },
    { weight: 2, arbitrary: number },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 1, arbitrary: oddity },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 5 }) },
    { weight: 2, arbitrary: fc.tuple(fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }), fc.boolean()).map(([e, n]) => objectOf(e, n && e.length % 2 === 0)) },
  ),
}))

/** Mostly valid values: the strict encoder's accepting side. */
const { value: jsonish } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom(...SPECIAL_UNITS.filter((u) => !hasLoneSurrogate(u))), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 20 }) },
    { weight: 2, arbitrary: fc.maxSafeInteger() },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 5 }) },
    { weight: 3, arbitrary: fc.array(fc.tuple(key.filter((k) => !hasLoneSurrogate(k)), tie('value')), { maxLength: 6 }).map((e) => objectOf(e, false)) },
  ),
}))

function hasHoles(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value) && Object.keys(value).length !== value.length) return true
  return Object.values(value).some(hasHoles)
}

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0
  const items = Array.isArray(value) ? (value as unknown[]) : Object.values(value)
  return items.reduce<number>((d, item) => Math.max(d, 1 + depthOf(item)), 0)
}

// ---------------------------------------------------------------------------

describe('fast string encoding (strings copied between quotes when nothing needs escaping)', () => {
  const cases: [name: string, value: string, expected: string][] = [
    ['empty', '', '""'],
    ['plain ASCII', 'Bob pays Alice $500.', '"Bob pays Alice $500."'],
    ['a quote in the middle', 'a"b', '"a\\"b"'],
    ['a quote at the start', '"ab', '"\\"ab"'],
    ['a quote at the end', 'ab"', '"ab\\""'],
    ['only a quote', '"', '"\\""'],
    ['a backslash in the middle', 'a\\b', '"a\\\\b"'],
    ['a backslash at the end', 'ab\\', '"ab\\\\"'],
    ['a newline in the middle', 'a\nb', '"a\\nb"'],
    ['a tab at the start', '\tab', '"\\tab"'],
    ['NUL at the end', 'ab\u0000', '"ab\\u0000"'],
    ['U+001F', 'x\u001fy', '"x\\u001fy"'],
    ['backspace and form feed', '\b\f', '"\\b\\f"'],
    ['DEL, copied', 'a\u007fb', '"a\u007fb"'],
    ['U+2028 and U+2029, copied (RFC 8785 escapes only controls, quote, backslash)', '\u2028x\u2029', '"\u2028x\u2029"'],
    ['a slash, copied', 'a/b', '"a/b"'],
    ['non-ASCII, copied', 'é中\ufeff\uffff', '"é中\ufeff\uffff"'],
    ['a surrogate pair in the middle', 'a\ud83d\ude02b', '"a\ud83d\ude02b"'],
    ['a surrogate pair at the start', '\ud83d\ude02b', '"\ud83d\ude02b"'],
    ['a surrogate pair at the end', 'a\udbff\udfff', '"a\udbff\udfff"'],
    ['a surrogate pair and an escape', '\ud83d\ude02"\n', '"\ud83d\ude02\\"\\n"'],
  ]
  for (const [name, value, expected] of cases) {
    it(`encodes ${name} as JSON.stringify does`, () => {
      expect(expected).toBe(JSON.stringify(value))
      expect(canonicalizeStrict(value)).toBe(expected)
      expect(canonicalize([value])).toBe(`[${expected}]`)
      // as a member name (through the name cache, twice) and as a member value
      expect(canonicalizeStrict({ [value]: value })).toBe(`{${expected}:${expected}}`)
      expect(canonicalizeStrict({ [value]: 1 })).toBe(`{${expected}:1}`)
    })
  }

  const lone: [name: string, value: string][] = [
    ['a high surrogate alone', '\ud800'],
    ['a low surrogate alone', '\udc00'],
    ['a high surrogate at the end', 'ab\ud83d'],
    ['a low surrogate at the start', '\ude02ab'],
    ['a pair in the wrong order', '\ude02\ud83d'],
    ['a lone surrogate after a pair', '\ud83d\ude02\ud83d'],
    ['a lone surrogate next to an escape', '"\udfff'],
  ]
  for (const [name, value] of lone) {
    it(`refuses ${name} as a value and as a member name, every time`, () => {
      for (let i = 0; i < 2; i++) {
        expect(outcome(() => canonicalizeStrict(value))).toEqual({ ok: false, error: 'INVALID_ENCODING: $: string holds a lone surrogate' })
        expect(outcome(() => canonicalizeStrict({ a: [value] }))).toEqual({ ok: false, error: 'INVALID_ENCODING: $.a[0]: string holds a lone surrogate' })
        expect(outcome(() => canonicalizeStrict({ a: { [value]: 1 } }))).toEqual({ ok: false, error: 'INVALID_ENCODING: $.a: string holds a lone surrogate' })
        expect(canonicalizeStrictOrNull({ [value]: 1 }, 16)).toBeNull()
      }
    })
  }

  it('encodes every single code unit exactly as the reference does', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const s = String.fromCharCode(c)
      expectSameOutcome(outcome(() => canonicalizeStrict({ [s]: s })), outcome(() => refEncode({ [s]: s }, true, '$')), `U+${c.toString(16)}`)
    }
  })

  it('keeps long member names out of the name cache but encodes them alike', () => {
    const long = 'k'.repeat(100) + '"'
    expect(canonicalizeStrict({ [long]: 1 })).toBe(`{${JSON.stringify(long)}:1}`)
    // Many distinct names (more than the cache holds) still encode correctly.
    const many = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`n${i}\n`, i]))
    expect(canonicalizeStrict(many)).toBe(refEncode(many, true, '$'))
  })
})

describe('fast encoder against the reference encoder', () => {
  it('sorts member names by UTF-16 code units, integer-like names included', () => {
    const value = { b: 1, a: 2, '10': 3, '9': 4, '': 5, '\ufb33': 6, '\ud83d\ude02': 7, B: 8, é: 9 }
    expect(canonicalizeStrict(value)).toBe(refEncode(value, true, '$'))
    expect(canonicalizeStrict(value)).toBe('{"":5,"10":3,"9":4,"B":8,"a":2,"b":1,"é":9,"\ud83d\ude02":7,"\ufb33":6}')
  })

  it('refuses what the reference refuses, with the same error and path', () => {
    const bad: unknown[] = [
      1.5, -0, 2 ** 53, NaN, Infinity, undefined, 10n, () => 1, Symbol('x'), new Date(0), [1, undefined], { a: { b: [0, -0] } },
      { a: undefined }, { a: [1.5] }, { x: new (class C {})() }, Object.create({ x: 1 }) as unknown, { deep: { er: [{ k: NaN }] } },
    ]
    for (const value of bad) {
      const expected = outcome(() => refEncode(value, true, '$'))
      expect(expected.ok).toBe(false)
      expect(outcome(() => canonicalizeStrict(value))).toEqual(expected)
      expect(canonicalizeStrictOrNull(value, 64)).toBeNull()
    }
    // Non-strict: numbers are encoded as ECMAScript writes them, -0 as 0.
    for (const value of [1.5, -0, 1e21, 1e-7, 2 ** 53, 5e-324, NaN, Infinity, { a: [0.1, -0] }]) {
      expectSameOutcome(outcome(() => canonicalize(value)), outcome(() => refEncode(value, false, '$')), String(value))
    }
  })

  it('refuses a sparse array, whose empty slot no JSON text can make, naming the slot', () => {
    const sparse = [1, , 2]
    for (const encode of [canonicalize, canonicalizeStrict]) {
      expect(() => encode({ list: sparse })).toThrow('INVALID_ENCODING: $.list[1]: an empty array slot is not a JSON value')
    }
    // Even when Array.prototype has something at that index, the slot is not read through.
    Object.defineProperty(Array.prototype, '1', { value: 7, configurable: true })
    try {
      expect(() => canonicalizeStrict([1, , 2])).toThrow('INVALID_ENCODING')
    } finally {
      delete (Array.prototype as unknown as Record<string, unknown>)['1']
    }
  })

  it('matches the reference on random values, strict and not', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expectSameOutcome(outcome(() => canonicalizeStrict(value)), outcome(() => refEncode(value, true, '$')), 'strict')
        expectSameOutcome(outcome(() => canonicalize(value)), outcome(() => refEncode(value, false, '$')), 'not strict')
      }),
      { numRuns: 3000 },
    )
  })

  it('matches the reference on mostly valid values, and canonicalBytes is their UTF-8', () => {
    fc.assert(
      fc.property(jsonish, (value) => {
        const expected = outcome(() => refEncode(value, true, '$'))
        expectSameOutcome(outcome(() => canonicalizeStrict(value)), expected, 'strict')
        if (expected.ok) {
          expect(Buffer.from(canonicalBytes(value)).toString('utf8')).toBe(expected.value)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('canonicalizeStrictOrNull is canonicalizeStrict within a depth, else null', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, jsonish), fc.integer({ min: 0, max: 5 }), (value, maxDepth) => {
        const expected = outcome(() => refEncode(value, true, '$'))
        // Sparse arrays, which no JSON text makes, are left to the reporting encoder.
        const within = depthOf(value) <= maxDepth && !hasHoles(value)
        expect(canonicalizeStrictOrNull(value, maxDepth)).toBe(expected.ok && within ? expected.value : null)
      }),
      { numRuns: 2000 },
    )
  })

  it('counts depth as the strict parser does (the top-level value is depth 0)', () => {
    const nest = (n: number, inner: unknown): unknown => (n === 0 ? inner : [nest(n - 1, inner)])
    expect(canonicalizeStrictOrNull(nest(16, 1), 16)).toBe('['.repeat(16) + '1' + ']'.repeat(16))
    expect(canonicalizeStrictOrNull(nest(16, []), 16)).toBe('['.repeat(17) + ']'.repeat(17))
    expect(canonicalizeStrictOrNull(nest(17, []), 16)).toBeNull()
    expect(canonicalizeStrictOrNull(nest(15, {}), 16)).toBe('['.repeat(15) + '{}' + ']'.repeat(15))
    expect(canonicalizeStrictOrNull(nest(17, 1), 16)).toBeNull()
    for (const depth of [15, 16, 17]) {
      const text = canonicalizeStrict(nest(depth, { a: 1 }))
      const parsed = outcome(() => refParseJson(text, { strict: true, maxDepth: 16 }))
      expect(canonicalizeStrictOrNull(JSON.parse(text), 16) !== null).toBe(parsed.ok)
    }
  })
})

describe('faster strict parser against the reference parser', () => {
  const options = [
    { strict: true, maxDepth: 16 },
    { strict: true, maxDepth: 64 },
    { strict: false, maxDepth: 64 },
    { strict: false, maxDepth: 2 },
  ]
  function compare(text: string): void {
    for (const o of options) {
      expectSameOutcome(outcome(() => parseJson(text, o)), outcome(() => refParseJson(text, o)), `${JSON.stringify(text)} ${JSON.stringify(o)}`)
    }
  }

  it('reads chosen edge cases alike', () => {
    const long = '1'.repeat(399)
    const texts = [
      '', ' ', '{', '}', '[', ']', '"', '"\\', '"\\u', '"\\u12', '"\\u12G4"', '"\\x"', '"\\u00e9"', '"\\uD83D\\uDE02"', '"\\ud83d"',
      '"\ud83d"', '"\ude02x"', '"\ud83d\ude02"', '"a\u0000"', '"a\u001f"', '"a\u007f"', '"\u2028"', '"\\/"',
      '0', '-0', '-', '-a', '01', '1.', '1.5', '.5', '1e', '1e+', '1e5', '1E-5', '-1.0e+2', '1.e5', '9007199254740991', '9007199254740992',
      '-9007199254740991', '-9007199254740992', long, long + '1', long + '11', '0.' + '0'.repeat(398) + '1', '1' + '0'.repeat(400),
      '1'.repeat(398) + '.5', '1'.repeat(398) + 'e5', '1'.repeat(397) + 'e55', '1e' + '9'.repeat(400), '-' + '1'.repeat(399),
      'true', 'tru', 'truex', 'false', 'null', 'nul', 'nulll', 'True',
      '{"a":1,"a":2}', '{"a":1,"b":{"a":1}}', '{"__proto__":1}', '{"__proto__":1,"__proto__":2}', '{"1":1,"01":2,"1":3}',
      '{"constructor":{},"toString":1,"hasOwnProperty":2}', '{"a" : 1 , "b" :[ 1 , 2 ] }', '{"a":1,}', '{,}', '{"a"}', '{"a":}',
      '{1:1}', '[1,]', '[,1]', '[1 2]', '[]', '{}', '[[]]', ' \t\n\r[ ] ', '[1]x', '\ufeff[]', '[\u00a0]', '"a"\u0000',
      '{"\\u0061":1,"a":2}', '{"\\ud800":1}', '["\\ud800\\udc00"]', '[' + '['.repeat(20) + ']'.repeat(21),
    ]
    for (const text of texts) compare(text)
  })

  it('reads random JSON texts alike (whitespace, escapes, duplicate keys, numbers of every kind)', () => {
    const text = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify(v, null, 1)),
      jsonish.map((v) => refEncode(v, true, '$')),
      anyValue.map((v) => {
        try {
          return refEncode(v, false, '$')
        } catch {
          return '[]'
        }
      }),
    )
    fc.assert(fc.property(text, (t) => compare(t)), { numRuns: 2000 })
  })

  it('reads mutated texts alike', () => {
    const piece = fc.oneof(
      fc.constantFrom(...SPECIAL_UNITS, '{', '}', '[', ']', ',', ':', '"', '\\u', '\\ud800', '\\udc00', '\\n', '-', '.', 'e', 'E', '+', '0', '9', 'true', 'null', '"a":1', '"a":', ' ', '\t'),
      fc.string({ unit, maxLength: 3 }),
    )
    const edit = fc.tuple(fc.nat(), fc.nat({ max: 3 }), piece)
    const mutated = fc
      .tuple(fc.oneof(jsonish.map((v) => refEncode(v, true, '$')), fc.jsonValue().map((v) => JSON.stringify(v))), fc.array(edit, { minLength: 1, maxLength: 3 }))
      .map(([base, edits]) => {
        let t = base
        for (const [at, cut, insert] of edits) {
          const i = at % (t.length + 1)
          t = t.slice(0, i) + insert + t.slice(i + cut)
        }
        return t
      })
    fc.assert(fc.property(mutated, (t) => compare(t)), { numRuns: 5000 })
  })

  it('reads numbers alike, near every boundary of the literal grammar and of the 400-character cut', () => {
    const digits = (n: number) => fc.string({ unit: fc.constantFrom('0', '1', '9'), minLength: n, maxLength: n })
    const numberText = fc
      .tuple(
        fc.constantFrom('', '-', '--'),
        fc.oneof(digits(1), digits(3), fc.integer({ min: 395, max: 402 }).chain(digits)),
        fc.constantFrom('', '.', '.0', '.5', '.' + '5'.repeat(5)),
        fc.constantFrom('', 'e', 'E', 'e+', 'e-', 'e1', 'E+12', 'e-0', 'x'),
        fc.constantFrom('', ',', ']', ' ', '0', '.'),
      )
      .map((parts) => parts.join(''))
    fc.assert(
      fc.property(numberText, fc.boolean(), (t, wrap) => compare(wrap ? `[${t}]` : t)),
      { numRuns: 3000 },
    )
  })
})
