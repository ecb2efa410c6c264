/**
 * parseEnvelope's fast path (JSON.parse + strict re-encoding compared with the
 * text) and the faster field checks, against the pipeline they replaced, kept
 * in protocol-reference.ts: the strict parser, the canonical check and the
 * envelope validation as they were. Same envelope (down to key order), bytes
 * and hash where they accept; same TrustError code and message where they refuse.
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import { isHex } from '../../src-main/core/crypto/hex.js'
import type { SignedEnvelope } from '../../src-main/core/protocol/envelope.js'
import { MAX_ENVELOPE_BYTES, parseEnvelope } from '../../src-main/core/protocol/envelope.js'
import { hash, isLowerHex, isoTime } from '../../src-main/core/protocol/envelope-fields.js'
import { validateEnvelope } from '../../src-main/core/protocol/envelope-schema.js'
import { canonicalize } from '../../src-main/core/protocol/jcs.js'
import { NegotiationBuilder, iso, parties, party } from '../fixtures/negotiation-builder.js'
import { refEncode, refParseJson, refValidateEnvelope } from '../fixtures/protocol-reference.js'

// ---------------------------------------------------------------------------
// The reference: parseEnvelope as it was, on the reference parser, encoder and validation.

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function refParseEnvelope(bytes: Uint8Array): { envelope: unknown; bytes: Uint8Array; hash: string } {
  try {
    if (!(bytes instanceof Uint8Array)) throw TrustError.invalidInput('an envelope must be given as bytes')
    if (bytes.length > MAX_ENVELOPE_BYTES) throw TrustError.tooLarge('the envelope', bytes.length, MAX_ENVELOPE_BYTES)
    const copy = new Uint8Array(bytes)
    let text: string
    try {
      text = fatalUtf8.decode(copy)
    } catch {
      throw TrustError.invalidEncoding('the envelope is not valid UTF-8')
    }
    const value = refParseJson(text, { strict: true, maxDepth: 16 })
    if (refEncode(value, true, '$') !== text) {
      throw TrustError.nonCanonical('the envelope bytes are not the JCS (RFC 8785) form of its value')
    }
    const envelope = refValidateEnvelope(value, true)
    return { envelope, bytes: copy, hash: createHash('sha256').update(copy).digest('hex') }
  } catch (err) {
    throw TrustError.from(err, 'BAD_ENVELOPE')
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string; code: string }

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: run() }
  } catch (err) {
    if (!(err instanceof TrustError)) return { ok: false, error: `not a TrustError: ${String(err)}`, code: '' }
    return { ok: false, error: err.message, code: err.code }
  }
}

/** Equal down to -0, key order and prototypes. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b)
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b))
  }
  const ka = Reflect.ownKeys(a)
  const kb = Reflect.ownKeys(b)
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false
  return ka.every((k) => sameValue((a as Record<PropertyKey, unknown>)[k], (b as Record<PropertyKey, unknown>)[k]))
}

function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen)
}

function expectSameParse(bytes: Uint8Array, what: string): Outcome {
  const expected = outcome(() => refParseEnvelope(bytes))
  const actual = outcome(() => parseEnvelope(bytes))
  if (expected.ok && actual.ok) {
    const e = expected.value as SignedEnvelope
    const a = actual.value as SignedEnvelope
    expect(sameValue(a.envelope, e.envelope), what).toBe(true)
    expect(Buffer.from(a.bytes).equals(Buffer.from(e.bytes)), what).toBe(true)
    expect(a.hash, what).toBe(e.hash)
    expect(Object.isFrozen(a) && deeplyFrozen(a.envelope), what).toBe(true)
    expect(Object.keys(a)).toEqual(['envelope', 'bytes', 'hash'])
  } else {
    expect(actual, what).toEqual(expected)
  }
  return expected
}

// ---------------------------------------------------------------------------
// Real envelopes of every type, and ways to spoil them.

const [alice, bob, carol] = parties('alice', 'bob', 'carol')
const utf8 = new TextEncoder()

const b = NegotiationBuilder.start({ creator: alice, others: [bob], arbiters: { parties: [carol], threshold: 1 }, appealWindowDays: 30 })
const samples: SignedEnvelope[] = [b.genesis, b.join(bob)]
samples.push(
  b.offer(alice, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500 "now",\nor\tlater: é中\ud83d\ude02\u2028.' }], { note: 'opening' }),
  b.offer(bob, [
    { op: 'add', clause: 'venue', title: 'Venue', text: 'Zürich' },
    { op: 'remove', clause: 'due' },
    { op: 'set', clause: 'amount', title: 'The amount' },
  ]),
  b.offer(alice, [{ op: 'set', clause: 'amount', text: 'x'.repeat(4000) }], { note: '' }),
  b.lock(alice, 'amount'),
)
samples.push(b.accept(alice), b.accept(bob), b.finalize(alice), b.finalize(bob))
samples.push(b.dispute(alice, 'Bob did not pay.', { evidence: 'Bank statement \\ 2026' }))
samples.push(b.decide(carol, 'upheld', { remedy: 'Bob pays.' }))
samples.push(b.resolve(bob, 'Paid in full.'))
const b2 = NegotiationBuilder.negotiating({ creator: alice, others: [bob] })
samples.push(b2.withdraw(alice), b2.withdraw(bob, { reason: 'no deal' }))

/** Values a field might be replaced with: near every bound, of every type. */
const h = 'ab'.repeat(32)
const REPLACEMENTS: unknown[] = [
  null, true, false, 0, -1, 1, 2, 64, 65, 2 ** 53 - 1, 2 ** 53, 1.5, -0, '', 'x', 'X', 'a'.repeat(64), 'a'.repeat(65), 'A', 'GENESIS', 'OFFER',
  'ACCEPT', 'HELLO', 'set', 'add', 'remove', 'upheld', h, h.toUpperCase(), h.slice(2), h + 'ab', 'ab'.repeat(64), 'AB'.repeat(64),
  'zz'.repeat(32), alice.publicKey, bob.publicKey, 'ff'.repeat(31) + '7f', '00'.repeat(32), iso(0), '2026-02-29T00:00:00.000Z',
  '2028-02-29T00:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T00:00:00Z', '\ud800', 'é', [], [h], [h, h],
  ['ab'.repeat(32), 'cd'.repeat(32)], ['cd'.repeat(32), 'ab'.repeat(32)], {}, { termsHash: h }, { op: 'set', clause: 'a', text: 't' },
  { op: 'remove', clause: 'a', text: 't' }, { id: 'a', title: 'T', text: 't' }, 't'.repeat(200), 't'.repeat(201), 'n'.repeat(1001),
  [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]],
]
const NEW_KEYS = ['sig', 'extra', '__proto__', 'negotiation', 'note', 'title', 'text', 'reason', 'arbiters', 'appealWindowDays', 'v', '']

/** Every path to a member or item of a value, as lists of keys. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix]
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])))
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]))
  return out
}

function setMember(obj: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

type Edit = { kind: 'replace' | 'delete' | 'add'; path: number; key: number; with: number }

/** A copy of the envelope value with one edit at one of its paths. */
function edited(value: unknown, edit: Edit): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>
  const paths = pathsOf(copy)
  const path = paths[edit.path % paths.length]!
  const replacement = JSON.parse(JSON.stringify(REPLACEMENTS[edit.with % REPLACEMENTS.length] ?? null)) as unknown
  if (path.length === 0) return edit.kind === 'replace' ? replacement : copy
  let parent = copy as Record<string | number, unknown>
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>
  const last = path[path.length - 1]!
  if (edit.kind === 'replace') setMember(parent, last, replacement)
  else if (edit.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1)
    else delete parent[last]
  } else {
    const target = parent[last]
    if (Array.isArray(target)) target.push(replacement)
    else if (typeof target === 'object' && target !== null) setMember(target as Record<string, unknown>, NEW_KEYS[edit.key % NEW_KEYS.length]!, replacement)
    else setMember(parent, last, replacement)
  }
  return copy
}

/** Ways to write a value: canonical (numbers allowed), or not. */
function written(value: unknown, how: number): string {
  switch (how % 4) {
    case 0:
    case 1:
      return canonicalize(value)
    case 2:
      return JSON.stringify(value)
    default:
      return JSON.stringify(value, null, 1)
  }
}

const sample = fc.nat({ max: samples.length - 1 }).map((i) => samples[i]!)
const edit = fc.record({ kind: fc.constantFrom('replace', 'delete', 'add'), path: fc.nat(), key: fc.nat(), with: fc.nat() }) as fc.Arbitrary<Edit>

// ---------------------------------------------------------------------------

describe('parseEnvelope fast path against the reference pipeline', () => {
  it('accepts every sample envelope exactly as before', () => {
    for (const s of samples) {
      const expected = expectSameParse(s.bytes, s.envelope.type)
      expect(expected.ok).toBe(true)
    }
  })

  it('answers alike for values with one field edited, written canonically or not', () => {
    fc.assert(
      fc.property(sample, fc.array(edit, { minLength: 1, maxLength: 2 }), fc.nat(), (s, edits, how) => {
        let value: unknown = JSON.parse(new TextDecoder().decode(s.bytes))
        for (const e of edits) value = edited(value, e)
        let text: string
        try {
          text = written(value, how)
        } catch {
          return // not writable as JSON (a lone surrogate, say)
        }
        expectSameParse(utf8.encode(text), text.slice(0, 200))
      }),
      { numRuns: 3000 },
    )
  })

  it('answers alike for envelope text with characters inserted, removed or replaced', () => {
    const piece = fc.oneof(
      fc.constantFrom('"', '\\', '\\"', '\\u0041', '\\ud800', '\\u00e9', ',', ':', '{', '}', '[', ']', ' ', '\n', '0', '-', '.5', 'e1', 'é', '\ud83d\ude02', '\u2028', '\u0000', '"a":1,', '"__proto__":{},'),
      fc.string({ maxLength: 3 }),
    )
    fc.assert(
      fc.property(sample, fc.nat(), fc.nat({ max: 3 }), piece, (s, at, cut, insert) => {
        const text = new TextDecoder().decode(s.bytes)
        const i = at % (text.length + 1)
        const mutated = text.slice(0, i) + insert + text.slice(i + cut)
        expectSameParse(utf8.encode(mutated), mutated.slice(0, 200))
      }),
      { numRuns: 3000 },
    )
  })

  it('answers alike for bytes that are not UTF-8, or not all there', () => {
    fc.assert(
      fc.property(sample, fc.nat(), fc.nat({ max: 2 }), fc.uint8Array({ maxLength: 3 }), (s, at, cut, insert) => {
        const i = at % (s.bytes.length + 1)
        const bytes = new Uint8Array([...s.bytes.subarray(0, i), ...insert, ...s.bytes.subarray(i + cut)])
        expectSameParse(bytes, `bytes at ${i}`)
      }),
      { numRuns: 2000 },
    )
  })

  it('answers alike for chosen spellings: escapes, duplicates, __proto__, depth, numbers, BOM, size', () => {
    const offer = samples[2]!
    const text = new TextDecoder().decode(offer.bytes)
    const variants = [
      text.replace('"opening"', '"\\u006fpening"'),
      text.replace('"opening"', '"open\\ud800ing"'),
      text.replace('"opening"', '"\\/opening"'),
      text.replace('"note":"opening"', '"note":"opening","note":"opening"'),
      text.replace('{"base"', '{"__proto__":{"base":"x"},"base"'),
      text.replace('{"author"', '{"__proto__":{},"author"'),
      text.replace('"seq":', '"seq":-0,"x":'),
      text.replace(/"seq":(\d+)/, '"seq":$1.0'),
      text.replace(/"seq":(\d+)/, '"seq":$1e0'),
      text.replace(/"seq":(\d+)/, '"seq":9007199254740993'),
      text.replace(/"seq":(\d+)/, '"seq":0$1'),
      text.replace('"note":"opening"', `"note":"opening","x":${'['.repeat(20)}${']'.repeat(20)}`),
      text.replace('"note":"opening"', `"note":"opening","x":${'['.repeat(14)}${']'.repeat(14)}`),
      text.replace('"note":"opening"', `"note":"opening","x":${'['.repeat(15)}${']'.repeat(15)}`),
      text.replace('"note":"opening"', `"note":"opening","x":${'['.repeat(16)}${']'.repeat(16)}`),
      '\ufeff' + text,
      text + ' ',
      text.replace('\\n', '\\u000a'),
      text.replace('\\n', '\n'),
      text.replace('é', '\\u00e9'),
      text.replace('\u2028', '\\u2028'),
      text.replace('\ud83d\ude02', '\\ud83d\\ude02'),
      text.replace('"body":{', '"body":{"note":"opening",').replace(',"note":"opening"}', '}'),
      canonicalize({ ...JSON.parse(text), note: 'x' }),
      '[' + text + ']',
      '"' + 'x'.repeat(100) + '"',
      '{}',
      'null',
      '',
      ' '.repeat(MAX_ENVELOPE_BYTES + 1),
    ]
    for (const variant of variants) {
      expectSameParse(utf8.encode(variant), variant.slice(0, 120))
    }
    expect(outcome(() => parseEnvelope('x' as unknown as Uint8Array))).toEqual(outcome(() => refParseEnvelope('x' as unknown as Uint8Array)))
  })
})

describe('faster field checks against the ones they replaced', () => {
  it('hash and isLowerHex accept exactly the 64 (or 128) lowercase hex characters isHex does', () => {
    const hexish = fc.string({ unit: fc.constantFrom('0', '9', 'a', 'f', 'A', 'F', 'g', ' ', '\n', 'é', '\u0660'), maxLength: 130 })
    fc.assert(
      fc.property(fc.oneof(hexish, fc.constantFrom('a'.repeat(64), 'a'.repeat(63) + '\n', 'a'.repeat(64) + '\n', 'a'.repeat(128), 'F'.repeat(64))), (s) => {
        expect(isLowerHex(s, 64)).toBe(isHex(s, 32))
        expect(isLowerHex(s, 128)).toBe(isHex(s, 64))
        expect(outcome(() => hash(s, 'p')).ok).toBe(isHex(s, 32))
      }),
      { numRuns: 3000 },
    )
    for (const v of [undefined, null, 1, ['a'.repeat(64)], { length: 64 }]) {
      expect(isLowerHex(v, 64)).toBe(false)
      expect(outcome(() => hash(v, 'p'))).toEqual({ ok: false, error: 'BAD_ENVELOPE: p: must be 64 lowercase hex characters', code: 'BAD_ENVELOPE' })
    }
  })

  /** The check isoTime made before: a Date round trip. */
  function roundTrips(value: string): boolean {
    const ms = Date.parse(value)
    return Number.isFinite(ms) && new Date(ms).toISOString() === value
  }
  const pad = (n: number, width: number): string => String(n).padStart(width, '0')

  it('isoTime refuses exactly the times that do not survive a Date round trip, every day of 1900 to 2100', () => {
    for (let year = 1896; year <= 2104; year++) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T12:00:00.000Z`
          expect(outcome(() => isoTime(value, 't')).ok, value).toBe(roundTrips(value))
        }
      }
    }
  })

  it('isoTime refuses exactly the times that do not survive a Date round trip, on random fields', () => {
    const two = fc.oneof(fc.integer({ min: 0, max: 99 }), fc.constantFrom(0, 1, 12, 13, 23, 24, 28, 29, 30, 31, 59, 60))
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 4, 100, 400, 1900, 2000, 2024, 2100, 9999)),
        two, two, two, two, two, fc.integer({ min: 0, max: 999 }),
        (y, mo, d, hh, mi, ss, ms) => {
          const value = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(hh, 2)}:${pad(mi, 2)}:${pad(ss, 2)}.${pad(ms, 3)}Z`
          expect(outcome(() => isoTime(value, 't')).ok, value).toBe(roundTrips(value))
        },
      ),
      { numRuns: 5000 },
    )
    for (const value of ['0000-02-29T00:00:00.000Z', '0100-02-29T00:00:00.000Z', '0400-02-29T23:59:59.999Z', '9999-12-31T23:59:59.999Z', '2026-1-01T00:00:00.000Z', '２０２６-01-01T00:00:00.000Z', 1]) {
      expect(outcome(() => isoTime(value, 't')).ok, String(value)).toBe(typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && roundTrips(value))
    }
  })

  it('validateEnvelope builds and refuses as before, unsigned (createEnvelope) too', () => {
    fc.assert(
      fc.property(sample, fc.array(edit, { maxLength: 2 }), fc.boolean(), (s, edits, signed) => {
        let value: unknown = JSON.parse(new TextDecoder().decode(s.bytes))
        if (!signed) delete (value as Record<string, unknown>).sig
        for (const e of edits) value = edited(value, e)
        const expected = outcome(() => (signed ? refValidateEnvelope(value, true) : refValidateEnvelope(value, false)))
        const actual = outcome(() => (signed ? validateEnvelope(value, true) : validateEnvelope(value, false)))
        if (expected.ok && actual.ok) expect(sameValue(actual.value, expected.value)).toBe(true)
        else expect(actual).toEqual(expected)
      }),
      { numRuns: 3000 },
    )
  })

  it('still refuses a public key that is not a point, found valid or not before', () => {
    const notAPoint = 'ff'.repeat(31) + '7f'
    const value = JSON.parse(new TextDecoder().decode(samples[1]!.bytes)) as Record<string, unknown>
    for (const author of [notAPoint, party('someone').publicKey, notAPoint]) {
      const v = { ...value, author }
      expect(outcome(() => validateEnvelope(v, true))).toEqual(outcome(() => refValidateEnvelope(v, true)))
    }
  })
})
