// The IPC call path of src-main/app without Electron: method and params checks,
// error mapping, the sender check and the unwired API (DESIGN.md section 11).
import { describe, it, expect } from 'vitest'
import type { TrustApi } from '../../src-main/api.js'
import { dispatchTrustCall } from '../../src-main/app/dispatch.js'
import { isAppPageUrl } from '../../src-main/app/sender-check.js'
import { createUnwiredApi } from '../fixtures/failing-api.js'
import { TRUST_API_METHODS, isTrustMethod } from '../../src-main/core/api-methods.js'
import { TrustError } from '../../src-main/core/errors.js'

/** An API whose identity.status records what it received. */
function recordingApi(): { api: TrustApi; received: unknown[] } {
  const received: unknown[] = []
  const api: TrustApi = {
    ...createUnwiredApi(),
    'identity.status': async (params) => {
      received.push(params)
      return { exists: true, unlocked: false, name: 'Alice' }
    },
    'identity.lock': async (params) => {
      received.push(params)
      return null
    },
  }
  return { api, received }
}

describe('dispatchTrustCall', () => {
  it('runs a known method and returns its value', async () => {
    const { api, received } = recordingApi()
    const result = await dispatchTrustCall(api, 'identity.status', {})
    expect(result).toEqual({ ok: true, value: { exists: true, unlocked: false, name: 'Alice' } })
    expect(received).toEqual([{}])
  })

  it('passes {} when params are left out', async () => {
    const { api, received } = recordingApi()
    expect(await dispatchTrustCall(api, 'identity.lock', undefined)).toEqual({ ok: true, value: null })
    expect(await dispatchTrustCall(api, 'identity.lock', null)).toEqual({ ok: true, value: null })
    expect(received).toEqual([{}, {}])
  })

  it.each([
    ['an unknown name', 'identity.steal'],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['toString', 'toString'],
    ['a number', 42],
    ['an object', { method: 'identity.status' }],
    ['null', null],
    ['a huge string', 'x'.repeat(100_000)],
  ])('refuses %s as a method name, calling nothing', async (_label, method) => {
    const { api, received } = recordingApi()
    const result = await dispatchTrustCall(api, method, {})
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('INVALID_INPUT')
    expect(result.error.message.length).toBeLessThan(200)
    expect(received).toEqual([])
  })

  const deep: Record<string, unknown> = {}
  let cursor = deep
  for (let i = 0; i < 100; i++) cursor = cursor['x'] = {}

  it.each([
    ['an array', [1, 2]],
    ['a string', 'params'],
    ['a Map', new Map([['a', 1]])],
    ['a Date', new Date(0)],
    ['a class instance', new (class Params {})()],
    ['NaN inside', { n: Number.NaN }],
    ['Infinity inside', { n: [Number.POSITIVE_INFINITY] }],
    ['bytes inside', { blob: new Uint8Array(4) }],
    ['undefined inside', { a: undefined }],
    ['a function inside', { f: () => 1 }],
    ['nesting deeper than 64', deep],
  ])('refuses params that are %s, calling nothing', async (_label, params) => {
    const { api, received } = recordingApi()
    const result = await dispatchTrustCall(api, 'identity.status', params)
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(received).toEqual([])
  })

  it('accepts params with a null prototype (structured clone may produce them)', async () => {
    const { api, received } = recordingApi()
    const params = Object.assign(Object.create(null) as object, { a: 'b' })
    expect((await dispatchTrustCall(api, 'identity.status', params)).ok).toBe(true)
    expect(received).toHaveLength(1)
  })

  it('keeps a TrustError code and message', async () => {
    const api: TrustApi = {
      ...createUnwiredApi(),
      'identity.unlock': async () => {
        throw TrustError.badPassphrase()
      },
    }
    const result = await dispatchTrustCall(api, 'identity.unlock', { passphrase: 'nope' })
    expect(result).toEqual({ ok: false, error: TrustError.badPassphrase().toJSON() })
  })

  it('hides the text of any other error from the caller and reports it to the sink', async () => {
    const secret = new Error('ENOENT: /home/alice/.trust/keys/identity.key')
    const api: TrustApi = {
      ...createUnwiredApi(),
      'receipts.verify': async () => {
        throw secret
      },
    }
    const seen: [string, unknown][] = []
    const result = await dispatchTrustCall(api, 'receipts.verify', {}, (method, err) => seen.push([method, err]))
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    if (result.ok) return
    expect(result.error.message).not.toContain('alice')
    expect(seen).toEqual([['receipts.verify', secret]])
  })
})

describe('the failing base API of these tests', () => {
  it('answers every method with INTERNAL "not wired yet"', async () => {
    const api = createUnwiredApi()
    for (const method of TRUST_API_METHODS) {
      const result = await dispatchTrustCall(api, method, {})
      expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
      if (!result.ok) expect(result.error.message).toContain(`not wired yet: ${method}`)
    }
  })
})

describe('TRUST_API_METHODS', () => {
  it('lists unique area.verb names, all recognised by isTrustMethod', () => {
    expect(new Set(TRUST_API_METHODS).size).toBe(TRUST_API_METHODS.length)
    for (const method of TRUST_API_METHODS) {
      expect(method).toMatch(/^(identity|contacts|negotiations|bundles|receipts|network|settings|updates|files|seeders|diagnostics|demo)\.[a-z][A-Za-z]*$/)
      expect(isTrustMethod(method)).toBe(true)
    }
    expect(isTrustMethod('hasOwnProperty')).toBe(false)
  })
})

describe('isAppPageUrl', () => {
  const fileApp = 'file:///opt/Trust%20Primitive/resources/app.asar/out/renderer/index.html'
  const devApp = 'http://localhost:5173/'

  it('accepts the packaged page, with or without a fragment or query', () => {
    expect(isAppPageUrl(fileApp, fileApp)).toBe(true)
    expect(isAppPageUrl(`${fileApp}#/negotiations`, fileApp)).toBe(true)
    expect(isAppPageUrl(`${fileApp}?view=receipts`, fileApp)).toBe(true)
  })

  it('refuses any other file, even beside the page', () => {
    expect(isAppPageUrl('file:///opt/Trust%20Primitive/resources/app.asar/out/renderer/evil.html', fileApp)).toBe(false)
    expect(isAppPageUrl('file:///home/alice/Downloads/index.html', fileApp)).toBe(false)
    expect(isAppPageUrl('file://attacker/opt/Trust%20Primitive/resources/app.asar/out/renderer/index.html', fileApp)).toBe(
      false,
    )
  })

  it('accepts the dev server origin only', () => {
    expect(isAppPageUrl('http://localhost:5173/index.html', devApp)).toBe(true)
    expect(isAppPageUrl('http://localhost:5174/', devApp)).toBe(false)
    expect(isAppPageUrl('https://localhost:5173/', devApp)).toBe(false)
    expect(isAppPageUrl('http://localhost.evil.example:5173/', devApp)).toBe(false)
  })

  it('refuses other schemes and garbage', () => {
    for (const url of ['about:blank', 'data:text/html,hi', 'javascript:alert(1)', '', 'not a url', 'devtools://x']) {
      expect(isAppPageUrl(url, fileApp)).toBe(false)
      expect(isAppPageUrl(url, devApp)).toBe(false)
    }
    expect(isAppPageUrl(fileApp, 'trust://app/index.html')).toBe(false)
    expect(isAppPageUrl(fileApp, 'garbage')).toBe(false)
  })
})
