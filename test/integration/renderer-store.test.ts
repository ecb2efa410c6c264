/**
 * The renderer's store and its one event feed (src-renderer/src/state) over the
 * WebSocket client, against a real node: data a screen asked for is kept fresh
 * by events alone (no polling), the lock reason tells a manual lock from an idle
 * one, the route follows `navigate` events, and a reconnection refreshes what
 * was wanted.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { TrustClient } from '../../src-renderer/src/client/trust-client.js'
import { createWebSocketClient } from '../../src-renderer/src/client/ws-client.js'
import { connectEventFeed } from '../../src-renderer/src/state/event-feed.js'
import { valueOf } from '../../src-renderer/src/state/remote.js'
import { createAppStore, type AppStore } from '../../src-renderer/src/state/store.js'
import { createNode, type TrustNode } from '../../src-main/core/node.js'
import { createNetwork, type Network } from '../../src-main/core/sync/index.js'
import type { JsonRpcServer } from '../../src-main/web/jsonrpc-server.js'
import type { TrustEvent } from '../../src-main/api.js'
import { serveRecording } from '../fixtures/recording-server.js'
import { waitFor } from '../fixtures/wait.js'

const PASS = 'renderer store passphrase'

describe('store and event feed against a real node', () => {
  let dir: string
  let network: Network
  let node: TrustNode
  let server: JsonRpcServer
  let client: TrustClient
  let store: AppStore
  let stopFeed: () => void
  const calls: string[] = []
  /** Lets a test emit an event the way the Electron shell does (`navigate`). */
  const shell = new Set<(e: TrustEvent) => void>()
  const shellEvent = (e: TrustEvent) => {
    for (const l of shell) l(e)
  }
  const serve = (port?: number, token?: string): Promise<JsonRpcServer> =>
    serveRecording(node, { calls, shell, ...(port === undefined ? {} : { port }), ...(token ? { token } : {}) })

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-renderer-store-'))
    network = await createNetwork('local')
    node = await createNode({ profileDir: path.join(dir, 'p'), network })
    server = await serve()
    client = createWebSocketClient({ url: server.url, createSocket: (u) => new WebSocket(u), backoff: { baseMs: 50, maxMs: 200 } })
    store = createAppStore(client)
    stopFeed = connectEventFeed(client, store)
  })

  afterAll(async () => {
    stopFeed?.()
    client?.close()
    await server?.close()
    await node?.close()
    await network?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const identity = () => valueOf(store.getState().identity)

  it('loads the identity once online, and follows create, lock and unlock through events', async () => {
    await waitFor(() => identity() !== undefined, 'the identity status')
    expect(store.getState().connection).toEqual({ status: 'online' })
    expect(identity()).toEqual({ exists: false, unlocked: false })

    const created = await store.getState().createIdentity({ name: 'Alice', passphrase: PASS })
    expect(created.ok).toBe(true)
    await waitFor(() => identity()?.unlocked === true, 'unlocked')
    expect(identity()).toMatchObject({ exists: true, name: 'Alice' })

    await store.getState().lockIdentity()
    await waitFor(() => identity()?.unlocked === false, 'locked')
    expect(store.getState().lockReason).toBe('manual')

    const wrong = await store.getState().unlockIdentity('not the passphrase')
    expect(wrong).toMatchObject({ ok: false, error: { code: 'BAD_PASSPHRASE' } })
    expect(identity()?.unlocked).toBe(false)
    expect((await store.getState().unlockIdentity(PASS)).ok).toBe(true)
    expect(identity()?.unlocked).toBe(true)
    expect(store.getState().lockReason).toBeNull()
  })

  it('a lock that this page did not ask for (idle, another window) is told apart', async () => {
    await node.call('identity.lock') // as another surface would
    await waitFor(() => identity()?.unlocked === false, 'locked by the event alone')
    expect(store.getState().lockReason).toBe('elsewhere')
    await store.getState().unlockIdentity(PASS)
  })

  it('keeps wanted data fresh from events only: settings and contacts', async () => {
    await store.getState().loadSettings()
    expect(valueOf(store.getState().settings)).toEqual({ idleLockMs: 15 * 60_000 })
    await store.getState().loadContacts()
    expect(valueOf(store.getState().contacts)).toEqual([])

    calls.length = 0
    await node.call('settings.set', { idleLockMs: 120_000 }) // another surface changes it
    await waitFor(() => valueOf(store.getState().settings)?.idleLockMs === 120_000, 'the settings event')
    expect(calls).toEqual([]) // the event carried it; nothing was fetched

    // Unwanted data stays unfetched: nobody asked for receipts or the negotiation list.
    expect(store.getState().receipts).toEqual({ state: 'idle' })
    expect(store.getState().negotiationList).toEqual({ state: 'idle' })
  })

  it('goes where a navigate event says, and not where a hostile one says', async () => {
    const invite = `trust:join/${'A'.repeat(130)}`
    shellEvent({ type: 'navigate', to: invite })
    await waitFor(() => store.getState().route.view === 'join', 'the join route')
    expect(store.getState().route).toEqual({ view: 'join', invite })
    shellEvent({ type: 'navigate', to: 'javascript:alert(1)' })
    await waitFor(() => store.getState().route.view === 'not-found', 'not-found')
    shellEvent({ type: 'navigate', to: '/settings' })
    await waitFor(() => store.getState().route.view === 'settings', 'settings')
  })

  it('after a drop, shows offline, then refreshes everything wanted once back', async () => {
    const { port, token } = server
    await server.close()
    await waitFor(() => store.getState().connection.status === 'offline', 'offline')
    // While away, the settings change; the page cannot hear it.
    await node.call('settings.set', { idleLockMs: 300_000 })
    calls.length = 0
    server = await serve(port, token)
    await waitFor(() => store.getState().connection.status === 'online', 'online again', 10_000)
    await waitFor(() => valueOf(store.getState().settings)?.idleLockMs === 300_000, 'settings refreshed')
    expect(calls).toEqual(expect.arrayContaining(['identity.status', 'settings.get', 'contacts.list']))
    expect(calls).not.toContain('receipts.list')
  })
})
