/**
 * `trust serve` as a real process (DESIGN section 11): one `api` line on stdout,
 * the token guards the socket, a second process on the same profile exits with
 * PROFILE_LOCKED (section 9), errors carry the TrustError code, /metrics answers,
 * and SIGTERM stops it cleanly so the profile can be opened again.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RpcClient, RpcError, apiUrlOf, spawnTrust, stopTrust, type TrustProcess } from '../fixtures/rpc-client.js'
import { waitFor } from '../fixtures/wait.js'

const PASS = 'correct horse battery staple'

describe('trust serve', () => {
  let dir: string
  let serve: TrustProcess
  let url: string

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-serve-'))
    serve = await spawnTrust(['serve', '--profile', path.join(dir, 'p'), '--network', 'local'])
    url = apiUrlOf(serve.line)
  }, 90_000)

  afterAll(async () => {
    if (serve) await stopTrust(serve)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('prints exactly two lines on stdout: the api url, then the app url with the same token in its fragment', async () => {
    expect(serve.line).toMatch(/^api ws:\/\/127\.0\.0\.1:\d+\/api\?token=[A-Za-z0-9_-]{43}$/)
    const { port, token } = /:(?<port>\d+)\/api\?token=(?<token>.+)$/.exec(serve.line)!.groups!
    await waitFor(() => serve.stdout().split('\n').length >= 3, 'the app line')
    expect(serve.stdout()).toBe(`${serve.line}\napp http://127.0.0.1:${port}/#token=${token}\n`)
  })

  it('refuses a connection without the token, or with a wrong one', async () => {
    const bare = url.replace(/\?token=.*$/, '')
    await expect(RpcClient.connect(bare)).rejects.toThrow(/401/)
    await expect(RpcClient.connect(`${bare}?token=${'A'.repeat(43)}`)).rejects.toThrow(/401/)
  })

  it('serves the TrustApi: identity lifecycle with TrustError codes on refusals', async () => {
    const rpc = await RpcClient.connect(url)
    try {
      expect(await rpc.call('identity.status')).toEqual({ exists: false, unlocked: false })
      const err = await rpc.call('identity.unlock', { passphrase: PASS }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(RpcError)
      expect((err as RpcError).rpcCode).toBe(-32000)
      expect((err as RpcError).code).toBe('NO_IDENTITY')

      const bad = (await rpc.call('identity.create', { name: 'Alice', passphrase: PASS, extra: 1 }).catch((e: unknown) => e)) as RpcError
      expect(bad.code).toBe('INVALID_INPUT')
      expect(bad.message).toContain('extra')
      expect(await rpc.call('identity.status')).toEqual({ exists: false, unlocked: false })

      const key = await rpc.call<{ publicKey: string; fingerprint: string }>('identity.create', { name: 'Alice', passphrase: PASS })
      expect(key.publicKey).toMatch(/^[0-9a-f]{64}$/)
      const card = await rpc.call<{ card: string }>('contacts.myCard')
      expect(card.card.startsWith('trust:contact/')).toBe(true)

      await rpc.call('identity.lock')
      await rpc.waitForEvent((e) => e.type === 'identity' && e.unlocked === false)
      const locked = (await rpc.call('contacts.myCard').catch((e: unknown) => e)) as RpcError
      expect(locked.code).toBe('LOCKED')
      const wrong = (await rpc.call('identity.unlock', { passphrase: 'not the passphrase' }).catch((e: unknown) => e)) as RpcError
      expect(wrong.code).toBe('BAD_PASSPHRASE')
      const status = await rpc.call<{ unlocked: boolean; publicKey: string }>('identity.unlock', { passphrase: PASS })
      expect(status).toMatchObject({ unlocked: true, publicKey: key.publicKey })

      const unknown = (await rpc.call('identity.steal').catch((e: unknown) => e)) as RpcError
      expect(unknown.rpcCode).toBe(-32601)
    } finally {
      await rpc.close()
    }
  }, 60_000)

  it('serves /metrics with the token and refuses it without', async () => {
    const { port, token } = /127\.0\.0\.1:(?<port>\d+)\/api\?token=(?<token>.+)$/.exec(url)!.groups!
    const denied = await fetch(`http://127.0.0.1:${port}/metrics`)
    expect(denied.status).toBe(401)
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toContain('trust_negotiations_created_total')
    expect(text).toContain('trust_connected_peers')
  })

  it('a second trust serve on the same profile exits 1 with PROFILE_LOCKED and leaves the first running', async () => {
    const second = spawnTrust(['serve', '--profile', path.join(dir, 'p'), '--network', 'local'])
    await expect(second).rejects.toThrow(/exited \(1\).*PROFILE_LOCKED/s)
    const rpc = await RpcClient.connect(url)
    expect(await rpc.call('identity.status')).toMatchObject({ exists: true })
    await rpc.close()
  }, 60_000)

  it('stops cleanly on SIGTERM and the profile opens again, locked', async () => {
    expect(await stopTrust(serve)).toBe(0)
    expect(fs.existsSync(path.join(dir, 'p', 'profile.lock'))).toBe(false)
    serve = await spawnTrust(['serve', '--profile', path.join(dir, 'p'), '--network', 'local'])
    const rpc = await RpcClient.connect(apiUrlOf(serve.line))
    expect(await rpc.call('identity.status')).toMatchObject({ exists: true, unlocked: false, name: 'Alice' })
    await rpc.close()
  }, 90_000)
})
