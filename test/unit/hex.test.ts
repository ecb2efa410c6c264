/** Lowercase hex: the one spelling of a byte string in the protocol (DESIGN section 3). */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesToHex, hexToBytes, isHex } from '../../src-main/core/crypto/hex.js'

describe('isHex', () => {
  it('accepts exactly even-length lowercase hex, of the asked length', () => {
    expect(isHex('')).toBe(true)
    expect(isHex('00ff')).toBe(true)
    expect(isHex('00ff', 2)).toBe(true)
    for (const bad of ['0', 'abc', '00FF', '0g', ' 00', '00\n', 'éé', null, 17, ['00']]) expect(isHex(bad)).toBe(false)
    expect(isHex('00ff', 3)).toBe(false)
    expect(isHex('00ff', 1)).toBe(false)
  })

  it('agrees with the pair pattern on random strings', () => {
    const pairs = /^(?:[0-9a-f]{2})*$/
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F g]{0,9}$/), fc.option(fc.nat(5), { nil: undefined }), (s, bytes) => {
        expect(isHex(s, bytes)).toBe(pairs.test(s) && (bytes === undefined || s.length === bytes * 2))
      }),
      { numRuns: 2000 },
    )
  })

  it('round-trips bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(hexToBytes(bytesToHex(b))).toEqual(b)
      }),
    )
  })
})
