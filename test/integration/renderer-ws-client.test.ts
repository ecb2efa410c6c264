/**
 * The renderer's WebSocket TrustClient (src-renderer/src/client/ws-client.ts)
 * against the real JSON-RPC server over a real node: answers and TrustError
 * codes, events, a drop (the server goes away) with calls failing at once and
 * the page told, then reconnection when the server is back on the same port and
 * token; the call timeout. The `ws` package stands in for the browser's
 * WebSocket class only.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { ConnectionState, TrustClient } from '../../src-renderer/src/client/trust-client.js'
import { createWebSocketClient } from '../../src-renderer/src/client/ws-client.js'
import { createNode, type TrustNode } from '../../src-main/core/node.js'
import { createNetwork, type Network } from '../../src-main/core/sync/index.js'
import { startJsonRpcServer, type JsonRpcServer } from '../../src-main/web/jsonrpc-server.js'
import { waitFor } from '../fixtures/wait.js'

const PASS = 'renderer client passphrase'

describe('WebSocket TrustClient against the real server', () => {
  let dir: string
  let network: Network
  let node: TrustNode
  let server: JsonRpcServer
  const clients: TrustClient[] = []

  const serve = (port = 0, token?: string): Promise<JsonRpcServer> =>
    startJsonRpcServer({
      port,
      ...(token ? { token } : {}),
      dispatch: (method, params) => node.call(method, params),
      methods: node.methods,
      events: { on: (listener) => node.on(listener) },
    })

  function connect(callTimeoutMs?: number): { client: TrustClient; states: ConnectionState[] } {
    const client = createWebSocketClient({
      url: server.url,
      createSocket: (url) => new WebSocket(url),
      backoff: { baseMs: 50, maxMs: 400 },
      ...(callTimeoutMs ? { callTimeoutMs } : {}),
    })
    clients.push(client)
    const states: ConnectionState[] = []
    client.onConnection((s) => states.push(s))
    return { client, states }
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-renderer-ws-'))
    network = await createNetwork('local')
    node = await createNode({ profileDir: path.join(dir, 'p'), network })
    server = await serve()
  })

  afterAll(async () => {
    for (const c of clients) c.close()
    await server?.close()
    await node?.close()
    await network?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('connects, answers calls, maps refusals to their TrustError code and delivers events', async () => {
    const { client, states } = connect()
    expect(client.connection()).toEqual({ status: 'connecting' })
    await waitFor(() => client.connection().status === 'online', 'online')
    expect(states).toEqual([{ status: 'online' }])

    expect(await client.call('identity.status')).toEqual({ ok: true, value: { exists: false, unlocked: false } })
    const refused = await client.call('identity.unlock', { passphrase: PASS })
    expect(refused).toMatchObject({ ok: false, error: { code: 'NO_IDENTITY' } })
    const bad = await client.call('identity.create', { name: 'Alice', passphrase: PASS, extra: 1 } as never)
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })

    const events: unknown[] = []
    const off = client.on('identity', (e) => events.push(e))
    const created = await client.call('identity.create', { name: 'Alice', passphrase: PASS })
    expect(created.ok).toBe(true)
    await waitFor(() => events.length === 1, 'the identity event')
    expect(events).toEqual([{ type: 'identity', unlocked: true }])
    off()
    await client.call('identity.lock')
    await client.call('identity.status')
    expect(events).toHaveLength(1) // unsubscribed
    expect(() => client.on('nonsense' as never, () => {})).toThrow(TypeError)
  })

  it('on a drop: fails the call in flight, refuses new calls at once, says so, and reconnects when the server is back', async () => {
    const { client, states } = connect()
    await waitFor(() => client.connection().status === 'online', 'online')
    // An unlock runs scrypt for a while: it is in flight when the server goes.
    const inFlight = client.call('identity.unlock', { passphrase: PASS })
    const { port, token } = server
    await server.close()
    const lost = await inFlight
    expect(lost).toMatchObject({ ok: false, error: { code: 'NETWORK' } })
    expect(lost.ok ? '' : lost.error.message).toMatch(/dropped before it answered/)
    await waitFor(() => client.connection().status === 'offline', 'offline')

    const during = await client.call('identity.status')
    expect(during).toMatchObject({ ok: false, error: { code: 'NETWORK' } })
    expect(during.ok ? '' : during.error.message).toMatch(/not connected/)
    // It keeps trying, with growing delays, and says when it tries next.
    await waitFor(() => states.filter((s) => s.status === 'offline').length >= 3, 'three attempts')
    const offline = states.filter((s): s is Extract<ConnectionState, { status: 'offline' }> => s.status === 'offline')
    expect(offline.map((s) => s.attempt).slice(0, 3)).toEqual([1, 2, 3])
    expect(new Set(offline.map((s) => s.since)).size).toBe(1)

    server = await serve(port, token)
    await waitFor(() => client.connection().status === 'online', 'back online', 10_000)
    expect(await client.call('identity.status')).toMatchObject({ ok: true, value: { exists: true } })
  })

  it('retryNow skips the wait; close() stops for good', async () => {
    const { client } = connect()
    await waitFor(() => client.connection().status === 'online', 'online')
    const before = server.clientCount()
    client.close()
    expect(await client.call('identity.status')).toMatchObject({ ok: false, error: { code: 'NETWORK' } })
    await waitFor(() => server.clientCount() === before - 1, 'the server to see the page go')
    client.retryNow()
    await new Promise((r) => setTimeout(r, 300))
    expect(server.clientCount()).toBe(before - 1) // nothing reconnected
  })

  it('refuses a call larger than the server takes before sending it, and stays connected', async () => {
    const { client, states } = connect()
    await waitFor(() => client.connection().status === 'online', 'online')
    // Over 1 MiB of UTF-8 (the server's limit) but under a million UTF-16 units: counted in bytes.
    const big = await client.call('bundles.verify', { bundle: '\u00e9'.repeat(600_000) })
    expect(big).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } })
    expect(big.ok ? '' : big.error.message).toMatch(/bundles\.verify would send 1\.1 MiB.*at most 1\.0 MiB.*Nothing was sent/)
    // Just under the limit goes through, to the core's own checks.
    const fits = await client.call('bundles.verify', { bundle: 'x'.repeat(1024 * 1024 - 200) })
    expect(fits).toMatchObject({ ok: true, value: { valid: false } })
    expect(states.every((s) => s.status === 'online')).toBe(true)
    // Events arrive for every type the core sends, update and file-opened included.
    expect(() => client.on('update', () => {})).not.toThrow()
    expect(() => client.on('file-opened', () => {})).not.toThrow()
  })

  it('gives up on a call with no answer after the timeout, and ignores the late answer', async () => {
    const { client } = connect(30)
    await waitFor(() => client.connection().status === 'online', 'online')
    // scrypt takes far longer than 30 ms.
    const slow = await client.call('identity.unlock', { passphrase: 'wrong, and slow to find out' })
    expect(slow).toMatchObject({ ok: false, error: { code: 'NETWORK' } })
    expect(slow.ok ? '' : slow.error.message).toMatch(/did not answer identity\.unlock within/)
    await new Promise((r) => setTimeout(r, 1500))
    expect(client.connection().status).toBe('online')
  })
})
