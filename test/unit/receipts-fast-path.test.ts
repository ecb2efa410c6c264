import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import { createSigner } from '../../src-main/core/crypto/signer.js'
import { DOMAIN_RECEIPT } from '../../src-main/core/protocol/domains.js'
import { canonicalizeStrict, type JsonValue } from '../../src-main/core/protocol/jcs.js'
import { openDatabase, type Db } from '../../src-main/core/store/database.js'
import { GENESIS_PREV, ReceiptChain, parseReceiptBytes, receiptBytes, verifyReceiptSignature, type AppendInput } from '../../src-main/core/receipts/index.js'
import { checkTime, signReceipt, signReceiptBytes, type ReceiptData, type UnsignedReceipt } from '../../src-main/core/receipts/receipt.js'

const dir = mkdtempSync(join(tmpdir(), 'trust-receipts-fast-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let dbCount = 0
const open = (): Db => openDatabase(join(dir, `db-${dbCount++}.sqlite`))

const sha = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex')
// A fixed key: Ed25519 is deterministic, so the same inputs give the same bytes on every run.
const signer = createSigner(new Uint8Array(createHash('sha256').update('trust-primitive receipts pin').digest()))
const T0 = Date.parse('2026-11-24T10:00:00.000Z')

/** Inputs with every kind of JSON the data may hold: escapes, unicode, nesting, key order. */
const pinInput = (i: number): AppendInput => ({
  action: ['negotiation.received', 'negotiation.offer', 'identity.unlock', 'trust.event.recorded'][i % 4]!,
  negotiation: i % 3 === 0 ? null : sha(`negotiation ${i % 5}`),
  ref: i % 4 === 1 ? null : sha(`message ${i}`),
  data: [
    {},
    { type: 'OFFER', author: sha('author'), verdict: 'applied', status: 'NEGOTIATING' },
    { z: 1, a: -2, 'é': 'ü', '\u0000': '\u001f"\\/', '\ud83d\ude00': ['\u2028', '\u2029', '\u007f'], '': null },
    { nested: { b: [1, [2, [3, { deep: true }]]], a: { '10': 'ten', '2': 'two', '1e2': false } }, n: Number.MAX_SAFE_INTEGER, m: -Number.MAX_SAFE_INTEGER },
    { text: `receipt ${i} \u00e9\u{1f600}\ufffd`, tags: ['a', i % 2 === 0], empty: [], obj: {} },
  ][i % 5]!,
  time: new Date(T0 + i * 1_234_567).toISOString(),
})

// Computed by the code before the single-pass append (signReceipt, then receiptBytes).
const PIN_TEXT =
  '{"action":"identity.unlock","data":{"":null,"\\u0000":"\\u001f\\"\\\\/","a":-2,"z":1,"\u00e9":"\u00fc","\ud83d\ude00":["\u2028","\u2029","\u007f"]},' +
  '"negotiation":"80eb26d3b75d8904c275dfb6403672afb8dca9f726b9504f19fc82fa8c3f833f","prev":"9fa48a5b49d2206d102aeea0057a3aacccd68c942f3a9689f0b9b711f65a1f33",' +
  '"ref":"84768ddee659efeafdeb972b55143141bc23b6e333c70e8b68d29774ab09a548","seq":2,' +
  '"sig":"a1035efdd1bf1cd349db0ff14a472e050b6c4195d15043d44c086e70325329d7803f2c8198b254643ca0670bab21503cbd56abce0a25258ee57a6615d903430a",' +
  '"time":"2026-11-24T10:41:09.134Z"}'

describe('receipt bytes pinned to what the reference path stored before the single-pass append', () => {
  it('stores, hashes, signs and checkpoints 25 receipts exactly as before', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 10 })
    db.transaction(() => {
      for (let i = 0; i < 25; i++) chain.append(pinInput(i), signer)
    })()
    const rows = db.prepare('SELECT seq, hash, bytes FROM receipts ORDER BY seq').raw().all() as [number, string, Buffer][]
    const all = createHash('sha256')
    for (const [seq, hash, bytes] of rows) all.update(`${seq} ${hash} ${bytes.length}:`).update(bytes)
    const notes = db.prepare("SELECT note FROM checkpoints WHERE status = 'good' ORDER BY size").pluck().all() as string[]
    expect(rows[2]![2].toString('utf8')).toBe(PIN_TEXT)
    expect(rows[2]![1]).toBe('9da9c96047f9b922a6979fbe9c45cfa2a54ab348327d5b59ccd044a1ecd6b5c0')
    expect(all.digest('hex')).toBe('ee77985d218a62b9734b6962ca71fa7518db73be08b411438e0e1ddd3c512a5c')
    expect(sha(notes.join(''))).toBe('d58b8d6f5f3a377cfa95150c4546559ff614a63b824084d099865bce99f89480')
    db.close()
  })
})

/** The receipt's stored text by the reference path: the signature over JCS without sig, then JCS of it all. */
const referenceText = (u: UnsignedReceipt): string => canonicalizeStrict({ ...u, sig: signer.signCanonical(DOMAIN_RECEIPT, u) })
const decode = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(bytes)

function code(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(TrustError)
    return (err as TrustError).code
  }
  return 'ok'
}

// Strings that JCS writes as they are, and the ones it escapes or must keep whole (pairs).
const tricky = fc.constantFrom('"', '\\', '/', '\u0000', '\b', '\n', '\u001f', '\u007f', '\u2028', '\u2029', '\ufeff', '\ufffd', 'é', '\u{1f600}', '\u{10ffff}', 'a', ' ')
const jsonString = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: tricky, maxLength: 12 }),
)
const safeInt = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0))
const { data } = fc.letrec<{ value: JsonValue; data: ReceiptData }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 6 }, jsonString, safeInt, fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), tie('data')),
  data: fc.dictionary(fc.oneof(jsonString, fc.constantFrom('__proto__', 'constructor', '10', '2', '')), tie('value'), { maxKeys: 5 }),
}))
const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'))
const segment = fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_'), maxLength: 10 }))
const action = fc.array(segment.map(([a, b]) => a + b), { minLength: 2, maxLength: 4 }).map((parts) => parts.join('.')).filter((a) => a.length <= 64)
const time = fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString())
const unsigned: fc.Arbitrary<UnsignedReceipt> = fc
  .record({
    seq: fc.oneof(fc.constant(0), fc.nat(), fc.maxSafeInteger()),
    prev: hex64,
    time,
    action,
    negotiation: fc.option(hex64),
    ref: fc.option(hex64),
    data,
  })
  .map((u) => (u.seq === 0 ? { ...u, prev: GENESIS_PREV } : u) as UnsignedReceipt)

describe('the single-pass receipt encoding (signReceiptBytes) against the reference path', () => {
  it('gives the same receipt, signature and bytes for random receipts: unicode, escapes, nesting', () => {
    fc.assert(
      fc.property(unsigned, (u) => {
        const expected = code(() => signReceipt(u, signer))
        expect(code(() => signReceiptBytes(u, signer))).toBe(expected)
        if (expected !== 'ok') return // only data over 4 KiB, which the generator rarely makes
        const reference = signReceipt(u, signer)
        const { receipt, bytes } = signReceiptBytes(u, signer)
        expect(decode(bytes)).toBe(referenceText(u))
        expect(Buffer.from(bytes).equals(Buffer.from(receiptBytes(reference)))).toBe(true)
        expect(receipt).toEqual(reference)
        expect(receipt.data).not.toBe(u.data)
        expect(parseReceiptBytes(bytes)).toEqual(receipt)
        expect(verifyReceiptSignature(receipt, signer.publicKey)).toBe(true)
      }),
      { numRuns: 400 },
    )
  })

  it('refuses exactly what the reference path refuses, with the same code', () => {
    const base: UnsignedReceipt = { seq: 3, prev: sha('p'), time: '2026-11-24T10:00:00.000Z', action: 'negotiation.offer', negotiation: null, ref: null, data: { a: 1 } }
    // -0 passes the seq check; the reference path then refuses it in canonicalizeStrict.
    expect(code(() => signReceipt({ ...base, seq: Number('-0'), prev: GENESIS_PREV }, signer))).toBe('INVALID_ENCODING')
    expect(code(() => signReceiptBytes({ ...base, seq: Number('-0'), prev: GENESIS_PREV }, signer))).toBe('INVALID_ENCODING')
    const field = fc.constantFrom('seq', 'prev', 'time', 'action', 'negotiation', 'ref', 'data')
    const weird = fc.oneof(
      fc.anything(),
      fc.string({ unit: fc.constantFrom('\ud800', '\udc00', 'a', '"'), maxLength: 4 }).map((x) => ({ x })),
      fc.constantFrom(1.5, Number('-0'), 2 ** 53, NaN, Infinity, undefined, '2026-02-29T10:00:00.000Z', '2026-11-24T24:00:00.000Z', 'A.b', 'a.b.c.d.e'),
      fc.string({ unit: 'binary', minLength: 4000, maxLength: 4200 }).map((big) => ({ big })),
      fc.nat(20).map((n) => JSON.parse('{"a":'.repeat(n) + '1' + '}'.repeat(n)) as unknown),
    )
    fc.assert(
      fc.property(field, weird, (key, value) => {
        const u = { ...base, [key]: value } as UnsignedReceipt
        const expected = code(() => signReceipt(u, signer))
        expect(code(() => signReceiptBytes(u, signer))).toBe(expected)
        if (expected === 'ok') expect(decode(signReceiptBytes(u, signer).bytes)).toBe(referenceText(u))
      }),
      { numRuns: 1000 },
    )
  })

  it('refuses a sparse array in data (JCS would write its hole as nothing, which is not JSON)', () => {
    const holes = { list: [1, , 3] } as unknown as ReceiptData
    const u: UnsignedReceipt = { seq: 0, prev: GENESIS_PREV, time: '2026-11-24T10:00:00.000Z', action: 'negotiation.offer', negotiation: null, ref: null, data: holes }
    expect(code(() => signReceiptBytes(u, signer))).toBe('BAD_RECEIPT')
    expect(code(() => signReceipt(u, signer))).toBe('BAD_RECEIPT')
    expect(code(() => signReceipt({ ...u, data: { deep: [[new Array(3)]] } }, signer))).toBe('BAD_RECEIPT')
    expect(code(() => signReceipt({ ...u, data: { list: [1, undefined] } as unknown as ReceiptData }, signer))).toBe('BAD_RECEIPT')
  })

  it('checks times exactly as a Date round trip does, without the Date objects', () => {
    const roundTrip = (t: string): boolean => {
      const ms = Date.parse(t)
      return Number.isFinite(ms) && new Date(ms).toISOString() === t
    }
    const same = (t: string): void => expect(code(() => checkTime(t)), t).toBe(roundTrip(t) ? 'ok' : 'BAD_RECEIPT')
    const two = (n: number): string => String(n).padStart(2, '0')
    for (const year of ['0000', '0001', '0004', '0100', '0400', '1582', '1600', '1900', '1970', '1999', '2000', '2024', '2026', '2100', '2400', '9996', '9999']) {
      for (let month = 0; month <= 20; month++) for (const m of [two(month), '99']) for (let day = 0; day <= 40; day++) same(`${year}-${m}-${two(day)}T00:00:00.000Z`)
    }
    for (let hour = 0; hour <= 99; hour++) {
      for (const min of ['00', '01', '59', '60', '99']) for (const sec of ['00', '59', '60', '61', '99']) same(`2026-11-24T${two(hour)}:${min}:${sec}.999Z`)
    }
    const digitString = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n })
    fc.assert(
      fc.property(digitString(4), digitString(2), digitString(2), digitString(2), digitString(2), digitString(2), digitString(3), (y, mo, d, h, mi, s, ms) => {
        same(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`)
      }),
      { numRuns: 3000 },
    )
    fc.assert(
      fc.property(time, (t) => {
        expect(code(() => checkTime(t))).toBe('ok')
      }),
    )
  })
})

describe('ReceiptChain.append on the single-pass path', () => {
  it('stores for random inputs exactly the bytes, hashes and links of the reference path', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 50 })
    const inputs = fc.sample(fc.record({ action, negotiation: fc.option(hex64), ref: fc.option(hex64), data, time }), { numRuns: 160, seed: 42 })
    let prev = GENESIS_PREV
    db.transaction(() => {
      inputs.forEach((input, seq) => {
        const returned = chain.append(input, signer)
        const text = referenceText({ seq, prev, ...input })
        const [hash, bytes] = db.prepare('SELECT hash, bytes FROM receipts WHERE seq = ?').raw().get(seq) as [string, Buffer]
        expect(bytes.toString('utf8')).toBe(text)
        expect(hash).toBe(sha(bytes))
        expect(returned).toEqual(parseReceiptBytes(bytes))
        prev = hash
      })
    })()
    expect(chain.verifyChain()).toEqual({ ok: true, count: 160 })
    db.close()
  })

  it('returns a receipt that shares nothing with the data passed in', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey)
    const input = { action: 'negotiation.offer', time: '2026-11-24T10:00:00.000Z', data: { nested: { list: [1, { x: 'y' }] }, b: 'b' } }
    const r = chain.append(input, signer)
    expect(r.data).toEqual(input.data)
    input.data.nested.list.push(2)
    ;(input.data as Record<string, unknown>).b = 'changed'
    expect(r.data).toEqual({ nested: { list: [1, { x: 'y' }] }, b: 'b' })
    ;((r.data.nested as { list: unknown[] }).list[1] as { x: string }).x = 'mutated'
    expect(input.data.nested.list[1]).toEqual({ x: 'y' })
    expect(chain.list()[0]!.receipt.data).toEqual({ nested: { list: [1, { x: 'y' }] }, b: 'b' })
    db.close()
  })

  it('builds on the stored head after an outer transaction rolls back, also across a due checkpoint', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 3 })
    chain.append(pinInput(0), signer)
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(() =>
        db.transaction(() => {
          for (let i = 1; i <= 4; i++) chain.append(pinInput(i + attempt), signer)
          throw new Error('the caller fails')
        })(),
      ).toThrow('the caller fails')
      expect(chain.size()).toBe(1)
    }
    const r1 = chain.append(pinInput(9), signer)
    expect(r1.prev).toBe(chain.list()[0]!.hash)
    chain.append(pinInput(10), signer)
    expect(chain.latestCheckpoint()).not.toBeNull()
    expect(chain.verifyChain()).toEqual({ ok: true, count: 3 })
    db.close()
  })
})
