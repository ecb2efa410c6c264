/**
 * The store behind the contacts, receipts, verify and settings screens, over the
 * WebSocket client against a real node: the receipt window follows the chain
 * from events alone and moves on request; bundles are reported (valid, tampered,
 * too large for the connection); a file the desktop app was opened with reaches
 * the Verify view through `file-opened`; `update` events replace the update
 * status; metrics and contacts refresh when events say they moved.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { TrustEvent } from '../../src-main/api.js'
import { serializeBundle } from '../../src-main/core/bundle/export-bundle.js'
import { OpenedFileQueue } from '../../src-main/core/bundle/opened-file.js'
import { createNode, type TrustNode } from '../../src-main/core/node.js'
import { createNetwork, type Network } from '../../src-main/core/sync/index.js'
import type { JsonRpcServer } from '../../src-main/web/jsonrpc-server.js'
import type { TrustClient } from '../../src-renderer/src/client/trust-client.js'
import { createWebSocketClient } from '../../src-renderer/src/client/ws-client.js'
import { connectEventFeed } from '../../src-renderer/src/state/event-feed.js'
import { RECEIPT_WINDOW } from '../../src-renderer/src/state/receipts-slice.js'
import { valueOf } from '../../src-renderer/src/state/remote.js'
import { createAppStore, type AppStore } from '../../src-renderer/src/state/store.js'
import { bindingAgreement, copyBundle, envelopeAt } from '../fixtures/bundle-fixtures.js'
import { serveRecording } from '../fixtures/recording-server.js'
import { waitFor } from '../fixtures/wait.js'

const PASS = 'screens store passphrase'
/** Negotiations created: one receipt each, more than one window's worth. */
const CREATED = 60

describe('the screens store against a real node', () => {
  let dir: string
  let network: Network
  let node: TrustNode
  let other: TrustNode
  let server: JsonRpcServer
  let client: TrustClient
  let store: AppStore
  let stopFeed: () => void
  const opened = new OpenedFileQueue()
  const calls: string[] = []
  /** Events as the Electron shell sends them (file-opened, update). */
  const shell = new Set<(e: TrustEvent) => void>()
  const emit = (e: TrustEvent) => {
    for (const l of shell) l(e)
  }
  const s = () => store.getState()

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-screens-store-'))
    network = await createNetwork('local')
    node = await createNode({ profileDir: path.join(dir, 'p'), network, openedFiles: opened })
    other = await createNode({ profileDir: path.join(dir, 'o'), network })
    server = await serveRecording(node, { calls, shell })
    client = createWebSocketClient({ url: server.url, createSocket: (u) => new WebSocket(u), backoff: { baseMs: 50, maxMs: 200 } })
    store = createAppStore(client)
    stopFeed = connectEventFeed(client, store)
    await waitFor(() => s().connection.status === 'online', 'online')
    expect((await s().createIdentity({ name: 'Alice', passphrase: PASS })).ok).toBe(true)
    await other.call('identity.create', { name: 'Bob', passphrase: PASS })
  })

  afterAll(async () => {
    stopFeed?.()
    client?.close()
    await server?.close()
    await node?.close()
    await other?.close()
    await network?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('the receipt window follows the end of the chain from events, and moves on request', async () => {
    await s().loadReceiptWindow()
    expect(valueOf(s().receiptWindow)).toMatchObject({ from: 0, receipts: [], summary: { count: 0 } })
    const bob = (await other.call('identity.status')) as { publicKey: string }
    const deadline = new Date(Date.now() + 86_400_000).toISOString()
    calls.length = 0
    // Enough actions for more than one window; each appends receipts.
    for (let i = 0; i < CREATED; i++) {
      await node.call('negotiations.create', { title: `N${i}`, participants: [bob.publicKey], clauses: [{ id: 'a', title: 'A', text: 'x' }], deadline })
    }
    const count = ((await node.call('receipts.summary')) as { count: number }).count
    expect(count).toBeGreaterThan(RECEIPT_WINDOW)
    // The events alone brought the window to the end of the chain.
    await waitFor(() => valueOf(s().receiptWindow)?.summary.count === count, 'the window to follow the chain')
    const w = valueOf(s().receiptWindow)!
    expect(w.from).toBe(count - RECEIPT_WINDOW)
    expect(w.receipts.map((r) => r.seq)).toEqual(Array.from({ length: RECEIPT_WINDOW }, (_, i) => count - RECEIPT_WINDOW + i))
    expect(calls).not.toContain('receipts.verify')

    await s().showReceipts(5)
    expect(valueOf(s().receiptWindow)).toMatchObject({ from: 5 })
    await s().showReceipts(10 ** 9) // past the end: the last window
    expect(valueOf(s().receiptWindow)?.from).toBe(count - RECEIPT_WINDOW)
    await s().showReceipts(-3)
    expect(valueOf(s().receiptWindow)?.from).toBe(0)

    // Asking for the checkpoint seals the chain so far, and the window then shows where.
    await s().loadCheckpoint()
    expect(valueOf(s().checkpoint)).toContain(`\n${count}\n`)
    await s().showReceipts('latest')
    expect(valueOf(s().receiptWindow)?.checkpoints.at(-1)?.size).toBe(count)

    const proof = await s().proveReceipt(7)
    expect(proof).toMatchObject({ ok: true, value: { index: 7, treeSize: count, receipt: { seq: 7 } } })
    await s().verifyReceipts()
    expect(valueOf(s().receiptsCheck)).toMatchObject({ ok: true, count })
  })

  it('bundles: a valid report, a tampered one with the envelope at fault, one too large for the connection', async () => {
    const agreement = bindingAgreement()
    const text = serializeBundle(agreement.bundle)
    await s().checkBundle({ name: 'deal.trust.json', text })
    // A binding agreement stays binding: valid now, with the hash the file claims.
    expect(s().bundleCheck).toMatchObject({
      state: 'done',
      report: { valid: true, status: 'BINDING', negotiation: agreement.bundle.negotiation, bindingHash: agreement.bundle.claimed.bindingHash },
    })

    const t = copyBundle(agreement.bundle)
    envelopeAt(t, 2).time = new Date(Date.parse(envelopeAt(t, 2).time as string) + 1).toISOString()
    await s().checkBundle({ name: 'tampered.trust.json', text: serializeBundle(t) })
    expect(s().bundleCheck).toMatchObject({ state: 'done', name: 'tampered.trust.json', report: { valid: false, error: { code: 'BAD_SIGNATURE', index: 2 } } })

    await s().checkBundle({ name: 'huge.trust.json', text: 'x'.repeat(2 * 1024 * 1024) })
    expect(s().bundleCheck).toMatchObject({ state: 'failed', error: { code: 'TOO_LARGE' } })
    expect(s().connection.status).toBe('online')
    s().clearBundleCheck()
    expect(s().bundleCheck).toEqual({ state: 'idle' })
  })

  it('a file the app was opened with goes to the Verify view; one that could not be read says why', async () => {
    s().navigate({ view: 'home' })
    opened.push({ name: 'opened.trust.json', text: '{"format":"trust-primitive/bundle@1"}' })
    emit({ type: 'file-opened', name: 'opened.trust.json' })
    await waitFor(() => s().verifyInput !== null, 'the opened file handed to the Verify view')
    expect(s().verifyInput).toEqual({ name: 'opened.trust.json', text: '{"format":"trust-primitive/bundle@1"}' })
    expect(s().route).toEqual({ view: 'verify' })
    expect(opened.size).toBe(0)
    s().clearVerifyInput()

    s().navigate({ view: 'home' })
    opened.push({ name: 'big.trust.json', error: { code: 'TOO_LARGE', message: 'TOO_LARGE: the file is over 16 MiB' } })
    emit({ type: 'file-opened', name: 'big.trust.json' })
    await waitFor(() => s().bundleCheck.state === 'failed', 'the read error shown')
    expect(s().bundleCheck).toMatchObject({ name: 'big.trust.json', error: { code: 'TOO_LARGE' } })
    expect(s().route).toEqual({ view: 'verify' })
    expect(s().verifyInput).toBeNull()

    // Nothing queued: nothing happens.
    await s().takeOpenedFile()
    expect(s().verifyInput).toBeNull()
  })

  it('updates: the status from the core, then from update events; browser mode refuses the switch', async () => {
    await s().loadUpdates()
    expect(valueOf(s().updates)).toMatchObject({ state: 'unavailable', reason: 'updates run only in the installed desktop app' })
    expect(await s().setAutoCheck(true)).toMatchObject({ ok: false, error: { code: 'ILLEGAL_ACTION' } })
    expect(await s().installUpdate()).toMatchObject({ ok: false, error: { code: 'ILLEGAL_ACTION' } })
    emit({ type: 'update', status: { state: 'ready', autoCheck: true, version: '9.9.9' } })
    await waitFor(() => valueOf(s().updates)?.state === 'ready', 'the update event')
    expect(valueOf(s().updates)).toEqual({ state: 'ready', autoCheck: true, version: '9.9.9' })
  })

  it('metrics, logs and contacts refresh when events say they moved', async () => {
    await s().loadMetrics()
    await s().loadLogs()
    expect(valueOf(s().logs)).toEqual({ file: node.paths.log, level: 'info' })
    const created = valueOf(s().metrics)!.families.find((f) => f.name === 'trust_negotiations_created_total')
    expect(created?.samples[0]?.value).toBe(CREATED)
    await s().loadContacts()
    calls.length = 0
    emit({ type: 'negotiation', negotiation: 'ab'.repeat(32), status: 'BINDING', termsHash: 'cd'.repeat(32) })
    await waitFor(() => calls.includes('diagnostics.metrics') && calls.includes('contacts.list'), 'metrics and contacts refreshed')
    expect(calls).not.toContain('diagnostics.logs')
  })

  it('seeders: the list and status, add and remove, refreshed by seeder events', async () => {
    await s().loadSeeders()
    expect(valueOf(s().seeders)).toEqual([])
    expect(valueOf(s().seeding)).toMatchObject({ allSeeded: false, pending: 0 }) // our negotiations have no seeder
    expect(await s().addSeeder('not a key')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const key = ((await other.call('identity.status')) as { publicKey: string }).publicKey // any valid key names a seeder
    expect(await s().addSeeder(key)).toMatchObject({ ok: true, value: { publicKey: key, sources: ['profile'] } })
    expect(valueOf(s().seeders)?.map((x) => x.publicKey)).toEqual([key])
    calls.length = 0
    emit({ type: 'seeder', publicKey: key, connected: true })
    await waitFor(() => calls.includes('seeders.list') && calls.includes('seeders.status'), 'the seeder event to refresh both')
    expect((await s().removeSeeder(key)).ok).toBe(true)
    expect(valueOf(s().seeders)).toEqual([])
    expect(await s().removeSeeder(key)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('contacts: a card is inspected without being saved, then added', async () => {
    const card = ((await other.call('contacts.myCard')) as { card: string }).card
    const preview = await s().inspectCard(card)
    expect(preview).toMatchObject({ ok: true, value: { name: 'Bob', contact: null } })
    expect(valueOf(s().contacts)).toEqual([])
    expect((await s().addContact({ card, name: 'Bob B.' })).ok).toBe(true)
    expect(valueOf(s().contacts)?.map((c) => c.name)).toEqual(['Bob B.'])
    const key = valueOf(s().contacts)![0]!.publicKey
    await s().loadTrustEvents(key)
    expect(valueOf(s().trustEvents[key]!)).toEqual([])
    expect((await s().removeContact(key)).ok).toBe(true)
    expect(s().trustEvents[key]).toBeUndefined()
    expect(valueOf(s().contacts)).toEqual([])
  })
})
