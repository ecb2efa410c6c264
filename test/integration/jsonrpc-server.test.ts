import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { WebSocket } from 'ws'
import { startJsonRpcServer, type JsonRpcServer, type RpcEvent } from '../../src-main/web/jsonrpc-server.js'
import { TrustError } from '../../src-main/core/errors.js'
import { createMetrics } from '../../src-main/core/telemetry/metrics.js'

/** A tiny real event source: what the node's event bus provides. */
function eventBus() {
  const listeners = new Set<(e: RpcEvent) => void>()
  return {
    on(listener: (e: RpcEvent) => void) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    emit(e: RpcEvent) {
      for (const l of listeners) l(e)
    },
    size: () => listeners.size,
  }
}

const METHODS = ['echo.params', 'identity.unlock', 'boom.internal', 'bad.result', 'note.record', 'slow.wait'] as const

interface Client {
  ws: WebSocket
  next(): Promise<unknown>
  call(body: unknown): Promise<unknown>
  closed: Promise<{ code: number; reason: string }>
}

function connect(url: string, headers?: Record<string, string>): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, headers ? { headers } : undefined)
    const queue: unknown[] = []
    const waiters: Array<(v: unknown) => void> = []
    ws.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false)
      const value: unknown = JSON.parse(data.toString())
      const w = waiters.shift()
      if (w) w(value)
      else queue.push(value)
    })
    const closed = new Promise<{ code: number; reason: string }>((res) =>
      ws.on('close', (code, reason) => res({ code, reason: reason.toString() })),
    )
    const next = () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise<unknown>((r) => waiters.push(r)))
    ws.on('open', () =>
      resolve({
        ws,
        next,
        call(body) {
          ws.send(typeof body === 'string' ? body : JSON.stringify(body))
          return next()
        },
        closed,
      }),
    )
    ws.on('error', reject)
  })
}

/** Resolves with the HTTP status of a refused upgrade. */
function refusedStatus(url: string, headers?: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, headers ? { headers } : undefined)
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('open', () => reject(new Error('the upgrade was accepted')))
    ws.on('error', () => {})
  })
}

function httpGet(
  port: number,
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
  })
}

let server: JsonRpcServer
let bus: ReturnType<typeof eventBus>
let staticDir: string
let tmp: string
const notes: unknown[] = []
function openableGate(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

/** slow.wait calls block on this gate until a test opens it. */
let slowGate = openableGate()
let slowStarted = 0
let onSlowStarted: (() => void) | undefined
const metrics = createMetrics()

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-rpc-'))
  staticDir = path.join(tmp, 'ui')
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Trust</title>')
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)')
  fs.writeFileSync(path.join(staticDir, '.env'), 'HIDDEN=1')
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside-the-root')
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(staticDir, 'link.txt'))
  bus = eventBus()
  metrics.negotiationsCreated.inc()
  server = await startJsonRpcServer({
    port: 0,
    methods: METHODS,
    events: bus,
    staticDir,
    metricsText: () => metrics.text(),
    async dispatch(method, params) {
      switch (method) {
        case 'echo.params':
          return { params: params ?? null }
        case 'identity.unlock':
          throw TrustError.badPassphrase()
        case 'boom.internal':
          throw new Error('db handle /home/alice/secret path exploded')
        case 'bad.result':
          return { n: 10n }
        case 'note.record':
          notes.push(params)
          return undefined
        case 'slow.wait':
          slowStarted++
          onSlowStarted?.()
          await slowGate.promise
          return (params as { n: number }).n
        default:
          throw new Error(`unreachable ${method}`)
      }
    },
  })
})

afterAll(async () => {
  await server?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('JSON-RPC server: connection', () => {
  it('prints the documented URL on 127.0.0.1 with a random token, and listens on 127.0.0.1 only', async () => {
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/api?token=${server.token}`)
    // The browser UI's address carries the token in the fragment only, never to the server.
    expect(server.appUrl).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`)
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const other = new WebSocket(`ws://127.0.0.2:${server.port}/api?token=${server.token}`)
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => other.on('error', resolve))
    expect(err.code).toBe('ECONNREFUSED')
  })

  it('refuses upgrades without the right token, on other paths, from foreign origins and hosts', async () => {
    const base = `ws://127.0.0.1:${server.port}`
    expect(await refusedStatus(`${base}/api`)).toBe(401)
    expect(await refusedStatus(`${base}/api?token=${server.token.slice(0, -1)}x`)).toBe(401)
    expect(await refusedStatus(`${base}/api?token=`)).toBe(401)
    expect(await refusedStatus(`${base}/other?token=${server.token}`)).toBe(404)
    expect(await refusedStatus(server.url, { Origin: 'https://evil.example' })).toBe(403)
    expect(await refusedStatus(server.url, { Host: `evil.example:${server.port}` })).toBe(403)
    const ok = await connect(server.url, { Origin: `http://127.0.0.1:${server.port}` })
    expect(await ok.call({ jsonrpc: '2.0', id: 1, method: 'echo.params' })).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { params: null },
    })
    ok.ws.close()
  })
})

describe('JSON-RPC server: requests', () => {
  it('answers requests, maps TrustErrors to -32000 with the code, and hides internal errors', async () => {
    const c = await connect(server.url)
    expect(await c.call({ jsonrpc: '2.0', id: 'a', method: 'echo.params', params: { x: [1, 'two'] } })).toEqual({
      jsonrpc: '2.0',
      id: 'a',
      result: { params: { x: [1, 'two'] } },
    })
    expect(await c.call({ jsonrpc: '2.0', id: 2, method: 'identity.unlock', params: { passphrase: 'nope' } })).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: { code: -32000, message: TrustError.badPassphrase().message, data: { code: 'BAD_PASSPHRASE' } },
    })
    const internal = await c.call({ jsonrpc: '2.0', id: 3, method: 'boom.internal' })
    expect(internal).toEqual({ jsonrpc: '2.0', id: 3, error: { code: -32603, message: 'Internal error' } })
    expect(JSON.stringify(internal)).not.toContain('secret')
    expect(await c.call({ jsonrpc: '2.0', id: 4, method: 'bad.result' })).toMatchObject({ id: 4, error: { code: -32603 } })
    expect(await c.call({ jsonrpc: '2.0', id: null, method: 'note.record', params: {} })).toEqual({
      jsonrpc: '2.0',
      id: null,
      result: null,
    })
    c.ws.close()
  })

  it('answers malformed requests with the standard codes', async () => {
    const c = await connect(server.url)
    const cases: Array<[unknown, number, unknown]> = [
      ['{not json', -32700, null],
      ['{"jsonrpc":"2.0","id":1,"method":"echo.params","id":2}', -32700, null], // duplicate key
      ['"\\ud800"', -32700, null], // lone surrogate
      [{ jsonrpc: '1.0', id: 5, method: 'echo.params' }, -32600, 5],
      [{ id: 6, method: 'echo.params' }, -32600, 6],
      [{ jsonrpc: '2.0', id: 7, method: 42 }, -32600, 7],
      [{ jsonrpc: '2.0', id: { x: 1 }, method: 'echo.params' }, -32600, null],
      [{ jsonrpc: '2.0', method: 42 }, -32600, null], // invalid, so answered even without id
      ['42', -32600, null],
      ['null', -32600, null],
      [{ jsonrpc: '2.0', id: 8, method: 'no.such' }, -32601, 8],
      [{ jsonrpc: '2.0', id: 9, method: '__proto__' }, -32601, 9],
      [{ jsonrpc: '2.0', id: 10, method: 'echo.params', params: [1, 2] }, -32602, 10],
      [{ jsonrpc: '2.0', id: 11, method: 'echo.params', params: 'x' }, -32602, 11],
      [{ jsonrpc: '2.0', id: 12, method: 'echo.params', params: null }, -32602, 12],
    ]
    for (const [body, code, id] of cases) {
      const response = (await c.call(body)) as { id: unknown; error: { code: number; message: string } }
      expect(response.error.code, JSON.stringify(body)).toBe(code)
      expect(response.id).toEqual(id)
      expect(typeof response.error.message).toBe('string')
    }
    c.ws.close()
  })

  it('runs notifications without answering them', async () => {
    const c = await connect(server.url)
    const before = notes.length
    c.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'note.record', params: { n: 1 } }))
    c.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'no.such' })) // unknown: still silent
    c.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'identity.unlock' })) // failing: still silent
    const reply = await c.call({ jsonrpc: '2.0', id: 'after', method: 'echo.params' })
    expect(reply).toMatchObject({ id: 'after' }) // the first message back is this one
    expect(notes.slice(before)).toEqual([{ n: 1 }])
    c.ws.close()
  })

  it('handles batches in order, leaving out notifications', async () => {
    const c = await connect(server.url)
    const batch = await c.call([
      { jsonrpc: '2.0', id: 1, method: 'echo.params', params: { a: 1 } },
      { jsonrpc: '2.0', method: 'note.record', params: { b: 2 } },
      { jsonrpc: '2.0', id: 2, method: 'identity.unlock' },
      { foo: 'bar' },
      { jsonrpc: '2.0', id: 3, method: 'no.such' },
      5,
    ])
    expect(batch).toEqual([
      { jsonrpc: '2.0', id: 1, result: { params: { a: 1 } } },
      { jsonrpc: '2.0', id: 2, error: { code: -32000, message: TrustError.badPassphrase().message, data: { code: 'BAD_PASSPHRASE' } } },
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.any(String) } },
      { jsonrpc: '2.0', id: 3, error: { code: -32601, message: expect.any(String) } },
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.any(String) } },
    ])
    expect(await c.call('[]')).toMatchObject({ id: null, error: { code: -32600 } })
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'echo.params' }))
    expect(await c.call(tooMany)).toMatchObject({ id: null, error: { code: -32600 } })
    // A batch of notifications only gets no answer at all.
    c.ws.send(JSON.stringify([{ jsonrpc: '2.0', method: 'note.record', params: { c: 3 } }]))
    expect(await c.call({ jsonrpc: '2.0', id: 'x', method: 'echo.params' })).toMatchObject({ id: 'x' })
    c.ws.close()
  })

  it('answers many concurrent slow requests on one connection', async () => {
    const c = await connect(server.url)
    const count = 40
    slowGate = openableGate()
    slowStarted = 0
    const sixteen = new Promise<void>((resolve) => {
      onSlowStarted = () => {
        if (slowStarted >= 16) resolve()
      }
    })
    for (let n = 0; n < count; n++) c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: n, method: 'slow.wait', params: { n } }))
    await sixteen // requests run concurrently, not one by one
    slowGate.resolve()
    const answers: Array<{ id: number; result: number }> = []
    while (answers.length < count) answers.push((await c.next()) as { id: number; result: number })
    expect(answers.map((a) => a.id).sort((x, y) => x - y)).toEqual(Array.from({ length: count }, (_, i) => i))
    for (const a of answers) expect(a.result).toBe(a.id)
    expect(slowStarted).toBe(count)
    onSlowStarted = undefined
    c.ws.close()
  })
})

describe('JSON-RPC server: hostile clients', () => {
  it('survives garbage, binary, deep nesting, invalid UTF-8 and huge frames, and still answers', async () => {
    const steady = await connect(server.url) // a bystander that must not be affected
    const c = await connect(server.url)
    expect(await c.call('\u0000\u0001garbage}}}')).toMatchObject({ id: null, error: { code: -32700 } })
    c.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true })
    expect(await c.next()).toMatchObject({ id: null, error: { code: -32700 } })
    expect(await c.call('['.repeat(100_000))).toMatchObject({ id: null, error: { code: -32700 } })
    const deepObject = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000)
    expect(await c.call(deepObject)).toMatchObject({ id: null, error: { code: -32700 } })
    expect(await c.call({ jsonrpc: '2.0', id: 1, method: 'echo.params' })).toMatchObject({ id: 1, result: { params: null } })

    // Invalid UTF-8 in a text frame: the protocol says close with 1007; only this connection goes.
    const badUtf8 = await connect(server.url)
    badUtf8.ws.send(Buffer.from([0x22, 0xff, 0xfe, 0x22]), { binary: false })
    expect((await badUtf8.closed).code).toBe(1007)

    // A frame over 1 MiB closes that connection with 1009 (message too big).
    const huge = await connect(server.url)
    huge.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'echo.params', params: { x: 'y'.repeat(1_100_000) } }))
    expect((await huge.closed).code).toBe(1009)

    expect(await steady.call({ jsonrpc: '2.0', id: 'still', method: 'echo.params' })).toMatchObject({ id: 'still' })
    const fresh = await connect(server.url)
    expect(await fresh.call({ jsonrpc: '2.0', id: 'fresh', method: 'echo.params' })).toMatchObject({ id: 'fresh' })
    for (const client of [steady, c, fresh]) client.ws.close()
  })

  it('answers a request just under the size limit', async () => {
    const c = await connect(server.url)
    const big = 'z'.repeat(1024 * 1024 - 200)
    const reply = (await c.call({ jsonrpc: '2.0', id: 1, method: 'echo.params', params: { big } })) as {
      result: { params: { big: string } }
    }
    expect(reply.result.params.big.length).toBe(big.length)
    c.ws.close()
  })
})

describe('JSON-RPC server: events', () => {
  it('forwards events to every connected client as notifications, and drops unserializable ones', async () => {
    const a = await connect(server.url)
    const b = await connect(server.url)
    bus.emit({ type: 'bad', n: 1n } as unknown as RpcEvent) // dropped, nothing breaks
    bus.emit({ type: 'peer', status: 'connected', publicKey: 'ab'.repeat(32) })
    const expected = {
      jsonrpc: '2.0',
      method: 'event',
      params: { type: 'peer', status: 'connected', publicKey: 'ab'.repeat(32) },
    }
    expect(await a.next()).toEqual(expected)
    expect(await b.next()).toEqual(expected)
    b.ws.close()
    await b.closed
    bus.emit({ type: 'job', name: 'timeouts', status: 'finished' })
    expect(await a.next()).toMatchObject({ method: 'event', params: { type: 'job', name: 'timeouts' } })
    a.ws.close()
  })
})

describe('JSON-RPC server: HTTP', () => {
  it('serves /metrics only with the token, as Prometheus text', async () => {
    expect((await httpGet(server.port, '/metrics')).status).toBe(401)
    expect((await httpGet(server.port, '/metrics?token=wrong-token-value')).status).toBe(401)
    const byQuery = await httpGet(server.port, `/metrics?token=${server.token}`)
    expect(byQuery.status).toBe(200)
    expect(byQuery.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
    expect(byQuery.body).toMatch(/^trust_negotiations_created_total 1$/m)
    const byBearer = await httpGet(server.port, '/metrics', { Authorization: `Bearer ${server.token}` })
    expect(byBearer.status).toBe(200)
    expect(byBearer.body).toContain('trust_connected_peers')
  })

  it('serves the UI files with content types and a strict CSP, and nothing outside the root', async () => {
    const index = await httpGet(server.port, '/')
    expect(index.status).toBe(200)
    expect(index.body).toContain('<title>Trust</title>')
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    const csp = index.headers['content-security-policy'] ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`)
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    expect(index.headers['x-frame-options']).toBe('DENY')
    const js = await httpGet(server.port, '/assets/app.js')
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    for (const bad of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%5c%2e%2e%5csecret.txt',
      '/.env',
      '/%2eenv',
      '/link.txt',
      '/index.html%00.js',
      '/%E0%A4%A',
      '/missing.js',
    ]) {
      const res = await httpGet(server.port, bad)
      expect(res.status, bad).toBe(404)
      expect(res.body).not.toContain('outside-the-root')
      expect(res.body).not.toContain('HIDDEN')
    }
    expect((await httpGet(server.port, '/', { Host: 'evil.example' })).status).toBe(403)
    expect((await httpGet(server.port, '/api')).status).toBe(426)
  })
})

describe('startJsonRpcServer options and lifecycle', () => {
  it('refuses a bad token, a bad port and a busy port with TrustErrors', async () => {
    const base = { methods: [], events: eventBus(), dispatch: async () => null }
    await expect(startJsonRpcServer({ ...base, token: 'short' })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(startJsonRpcServer({ ...base, token: 'has spaces and &=?'.repeat(2) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    await expect(startJsonRpcServer({ ...base, port: 70_000 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(startJsonRpcServer({ ...base, staticDir: path.join(tmp, 'nope') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
    await expect(startJsonRpcServer({ ...base, port: server.port })).rejects.toMatchObject({ code: 'NETWORK' })
  })

  it('without staticDir and metricsText answers 404; close() says goodbye to clients, unsubscribes and frees the port', async () => {
    const events = eventBus()
    const own = await startJsonRpcServer({
      methods: ['echo.params'],
      events,
      token: 'a-fixed-test-token-0123456789',
      dispatch: async (_m, p) => p ?? null,
    })
    expect(own.url).toBe(`ws://127.0.0.1:${own.port}/api?token=a-fixed-test-token-0123456789`)
    expect((await httpGet(own.port, '/')).status).toBe(404)
    expect((await httpGet(own.port, `/metrics?token=${own.token}`)).status).toBe(404)
    const c = await connect(own.url)
    expect(await c.call({ jsonrpc: '2.0', id: 1, method: 'echo.params', params: { k: 'v' } })).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { k: 'v' },
    })
    expect(events.size()).toBe(1)
    expect(own.clientCount()).toBe(1)
    await own.close()
    expect((await c.closed).code).toBe(1001)
    expect(events.size()).toBe(0)
    await expect(httpGet(own.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })
})
