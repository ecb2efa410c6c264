/** The seeder directory protocol (DESIGN section 5): exact layouts, strict decoding. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import {
  MAX_ENTRY_BYTES,
  MAX_GROUP_ENTRIES,
  REFUSAL_CODES,
  decodeEntries,
  decodeGet,
  decodePut,
  decodeRefused,
  encodeEntries,
  encodeGet,
  encodePut,
  encodeRefused,
} from '../../src-main/core/sync/seeder-protocol.js'

const group = new Uint8Array(32).fill(7)
const entryArb = fc.uint8Array({ minLength: 1, maxLength: MAX_ENTRY_BYTES })

function invalid(run: () => unknown): void {
  expect(run).toThrow(expect.objectContaining({ code: 'INVALID_ENCODING' }))
}

describe('put and get', () => {
  it('put is group || entry; get is the group', () => {
    fc.assert(
      fc.property(entryArb, (entry) => {
        const bytes = encodePut(group, entry)
        expect(bytes.length).toBe(32 + entry.length)
        expect(bytes.subarray(32)).toEqual(entry)
        expect(decodePut(bytes)).toEqual({ group, entry })
      }),
    )
    expect(decodeGet(encodeGet(group))).toEqual(group)
  })

  it('refuses an empty or oversized entry and a get that is not 32 bytes', () => {
    invalid(() => decodePut(new Uint8Array(32)))
    invalid(() => decodePut(new Uint8Array(33 + MAX_ENTRY_BYTES)))
    invalid(() => decodeGet(new Uint8Array(31)))
    invalid(() => decodeGet(new Uint8Array(33)))
    expect(() => encodePut(group, new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })
})

describe('entries', () => {
  it('is group || n || n x (2-byte big-endian length || entry), round-tripping', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 8 }), (entries) => {
        const bytes = encodeEntries(group, entries)
        expect(bytes[32]).toBe(entries.length)
        expect(decodeEntries(bytes)).toEqual({ group, entries })
      }),
    )
    const bytes = encodeEntries(group, [new Uint8Array([1, 2, 3]), new Uint8Array(256).fill(5)])
    expect(bytesToHex(bytes.subarray(32, 38))).toBe('02' + '0003' + '010203')
    expect(bytesToHex(bytes.subarray(38, 40))).toBe('0100')
  })

  it('refuses a wrong count, a length past the end, a zero or oversized length, and trailing bytes', () => {
    const good = encodeEntries(group, [new Uint8Array([1, 2, 3])])
    const more = Uint8Array.from(good)
    more[32] = 2
    invalid(() => decodeEntries(more))
    invalid(() => decodeEntries(Uint8Array.from([...good, 0])))
    invalid(() => decodeEntries(good.subarray(0, good.length - 1)))
    const zero = Uint8Array.from(good)
    zero[33] = 0
    zero[34] = 0
    invalid(() => decodeEntries(zero))
    const huge = Uint8Array.from(good)
    huge[33] = 0xff
    invalid(() => decodeEntries(huge))
    const tooMany = new Uint8Array(33)
    tooMany[32] = MAX_GROUP_ENTRIES + 1
    invalid(() => decodeEntries(tooMany))
    invalid(() => decodeEntries(new Uint8Array(32)))
  })
})

describe('refused', () => {
  it('is code || subject || UTF-8 reason, for every code', () => {
    for (const [name, code] of Object.entries(REFUSAL_CODES)) {
      const bytes = encodeRefused(name as keyof typeof REFUSAL_CODES, group, 'over quota')
      expect(bytes[0]).toBe(code)
      expect(decodeRefused(bytes)).toEqual({ code: name, subject: bytesToHex(group), reason: 'over quota' })
    }
    expect(decodeRefused(encodeRefused('RATE_LIMITED', null, '')).subject).toBe('00'.repeat(32))
  })

  it('cuts a long reason to at most 200 bytes and refuses unknown codes', () => {
    expect(encodeRefused('PEER_QUOTA', null, 'é'.repeat(500)).length).toBeLessThanOrEqual(233)
    const bytes = encodeRefused('PEER_QUOTA', null, 'x')
    bytes[0] = 99
    invalid(() => decodeRefused(bytes))
    invalid(() => decodeRefused(new Uint8Array(32)))
  })
})
