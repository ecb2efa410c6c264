/** The per-identity token bucket (DESIGN section 5), on an injected clock. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { TokenBucket } from '../../src-main/core/sync/token-bucket.js'
import { DEFAULT_LIMITS, resolveLimits } from '../../src-main/core/sync/limits.js'

function clock(start = 1_000): { now: () => number; advance: (ms: number) => void; set: (t: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => (t += ms), set: (v) => (t = v) }
}

describe('TokenBucket', () => {
  it('allows a burst, then refuses until time refills it at the rate', () => {
    const c = clock()
    const bucket = new TokenBucket({ ratePerSecond: 200, burst: 1_000, now: c.now })
    let taken = 0
    while (bucket.take()) taken++
    expect(taken).toBe(1_000)
    expect(bucket.take()).toBe(false)
    c.advance(50) // 200/s for 50 ms = 10 tokens
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(true)
    expect(bucket.take()).toBe(false)
  })

  it('never holds more than the burst, however long it idles', () => {
    const c = clock()
    const bucket = new TokenBucket({ ratePerSecond: 5, burst: 3, now: c.now })
    c.advance(3_600_000)
    expect(bucket.available()).toBe(3)
    expect(bucket.take(3)).toBe(true)
    expect(bucket.take()).toBe(false)
  })

  it('takes all of a multi-token request or none of it', () => {
    const c = clock()
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 5, now: c.now })
    expect(bucket.take(4)).toBe(true)
    expect(bucket.take(2)).toBe(false)
    expect(bucket.available()).toBe(1)
  })

  it('a clock stepping backwards refills nothing and drains nothing', () => {
    const c = clock(10_000)
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 10, now: c.now })
    expect(bucket.take(10)).toBe(true)
    c.set(0)
    expect(bucket.available()).toBe(0)
    c.set(10_500) // only time after the latest reading counts: 0.5 s = 5 tokens
    expect(bucket.available()).toBe(5)
  })

  it('over any schedule, takes never exceed burst + rate * elapsed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 200 }), (steps) => {
        const c = clock()
        const bucket = new TokenBucket({ ratePerSecond: 20, burst: 7, now: c.now })
        let taken = 0
        let elapsed = 0
        for (const ms of steps) {
          c.advance(ms)
          elapsed += ms
          while (bucket.take()) taken++
          expect(taken).toBeLessThanOrEqual(7 + (20 * elapsed) / 1000)
        }
      }),
    )
  })

  it('refuses nonsense parameters', () => {
    for (const bad of [
      { ratePerSecond: 0, burst: 1 },
      { ratePerSecond: -1, burst: 1 },
      { ratePerSecond: Number.NaN, burst: 1 },
      { ratePerSecond: 1, burst: 0 },
      { ratePerSecond: 1, burst: 1.5 },
    ]) {
      expect(() => new TokenBucket(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    }
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 1 })
    expect(() => bucket.take(0)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })
})

describe('sync limits', () => {
  it('defaults to 64 KiB entries, 100,000 entries a feed, 200/s with a burst of 1,000', () => {
    expect(resolveLimits()).toMatchObject({ maxEntryBytes: 65_536, maxFeedLength: 100_000, entriesPerSecond: 200, entryBurst: 1_000 })
    expect(resolveLimits({ entryBurst: 5 })).toEqual({ ...DEFAULT_LIMITS, entryBurst: 5 })
  })

  it('refuses unknown names and values that are not positive integers', () => {
    for (const bad of [{ maxEntryBytes: 0 }, { maxFeedLength: -5 }, { entriesPerSecond: 1.5 }, { nope: 3 }, { entryBurst: '9' }]) {
      expect(() => resolveLimits(bad as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    }
  })
})
