/**
 * Small parts of the renderer's client and store: the token taken from the
 * address fragment, reconnection delays, coalesced refreshes.
 */
import { describe, expect, it } from 'vitest'
import { apiUrlFor, startPathInHash, takeApiToken, tokenInHash, TOKEN_STORAGE_KEY } from '../../src-renderer/src/client/api-token.js'
import { backoffDelay } from '../../src-renderer/src/client/backoff.js'
import { coalesce } from '../../src-renderer/src/state/coalesce.js'

const TOKEN = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdl-_0123456789abc'

class MemoryStorage {
  readonly items = new Map<string, string>()
  getItem(key: string): string | null {
    return this.items.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value)
  }
}

describe('the API token from the address', () => {
  it('reads #token=, removes it from the address and keeps it for reloads of this tab', () => {
    const storage = new MemoryStorage()
    const replaced: string[] = []
    expect(takeApiToken({ hash: `#token=${TOKEN}`, storage, replaceHash: (h) => replaced.push(h) })).toBe(TOKEN)
    expect(replaced).toEqual(['#/'])
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBe(TOKEN)
    // A reload: the address no longer has it, the tab's storage does.
    expect(takeApiToken({ hash: '#/settings', storage, replaceHash: (h) => replaced.push(h) })).toBe(TOKEN)
    expect(replaced).toEqual(['#/'])
  })

  it.each([
    ['no fragment', ''],
    ['a route', '#/token=abc'],
    ['a short token', '#token=abc'],
    ['a token with other characters', `#token=${TOKEN.slice(0, 20)}%3Cscript%3E`],
    ['another field only', `#tok=${TOKEN}`],
  ])('finds no token in %s', (_label, hash) => {
    expect(tokenInHash(hash)).toBeNull()
    expect(takeApiToken({ hash, storage: new MemoryStorage(), replaceHash: () => {} })).toBeNull()
  })

  it('opens the view named by to= (trust demo --ui), and only a plain view path', () => {
    const replaced: string[] = []
    expect(takeApiToken({ hash: `#token=${TOKEN}&to=/demo`, storage: new MemoryStorage(), replaceHash: (h) => replaced.push(h) })).toBe(TOKEN)
    expect(replaced).toEqual(['#/demo'])
    expect(startPathInHash(`#to=/settings&token=${TOKEN}`)).toBe('/settings')
    for (const hostile of ['#token=x&to=javascript:alert(1)', '#token=x&to=//evil.example', '#token=x&to=/join?invite=trust:join/x', '#token=x&to=demo', '#/demo']) {
      expect(startPathInHash(hostile)).toBeNull()
    }
    const fallback: string[] = []
    takeApiToken({ hash: `#token=${TOKEN}&to=https://evil.example`, storage: null, replaceHash: (h) => fallback.push(h) })
    expect(fallback).toEqual(['#/'])
  })

  it('ignores a malformed token in storage, and works without storage', () => {
    const storage = new MemoryStorage()
    storage.setItem(TOKEN_STORAGE_KEY, 'bad token!')
    expect(takeApiToken({ hash: '', storage, replaceHash: () => {} })).toBeNull()
    expect(takeApiToken({ hash: `#token=${TOKEN}`, storage: null, replaceHash: () => {} })).toBe(TOKEN)
  })

  it('builds the API URL on the serving host', () => {
    expect(apiUrlFor('127.0.0.1:4567', TOKEN)).toBe(`ws://127.0.0.1:4567/api?token=${TOKEN}`)
  })
})

describe('reconnection delays', () => {
  it('grow exponentially to the cap, with at most 20% jitter below', () => {
    const opts = { baseMs: 500, maxMs: 10_000 }
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, opts, 0))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000])
    expect(backoffDelay(1, opts, 0.999)).toBeGreaterThanOrEqual(400)
    expect(backoffDelay(1_000_000, opts, 0.5)).toBe(9000)
  })
})

describe('coalesced refreshes', () => {
  it('runs once per burst plus once after, never two at a time, and every caller waits for a fresh run', async () => {
    let running = 0
    let maxRunning = 0
    let runs = 0
    const gates: (() => void)[] = []
    const refresh = coalesce(async () => {
      running++
      maxRunning = Math.max(maxRunning, running)
      runs++
      await new Promise<void>((resolve) => gates.push(resolve))
      running--
    })
    const first = refresh()
    const burst = Array.from({ length: 50 }, () => refresh())
    expect(runs).toBe(1)
    gates.shift()!()
    await first
    await new Promise((r) => setTimeout(r, 0))
    expect(runs).toBe(2)
    gates.shift()!()
    await Promise.all(burst)
    expect(runs).toBe(2)
    expect(maxRunning).toBe(1)
  })

  it('keeps working after a run fails', async () => {
    let calls = 0
    const refresh = coalesce(async () => {
      calls++
      if (calls === 1) throw new Error('boom')
    })
    await refresh()
    await refresh()
    expect(calls).toBe(2)
  })
})
