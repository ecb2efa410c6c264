/**
 * A seeder's quotas against a flood (DESIGN section 5, issue 12): a real `trust
 * seeder` process with small quotas, and hostile clients in this process that
 * speak its protocols directly (blind-peer's keep request, the directory). Feeds
 * past a requester's share or the total are refused and never stored; a feed that
 * grows past its requester's byte share is dropped and refused from then on; a
 * directory flood is refused past the requester's share. The seeder's own
 * metrics (its /metrics endpoint, with its token) show what it holds.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import c from 'compact-encoding'
import Corestore from 'corestore'
import Hypercore from 'hypercore'
import BlindPeerMuxer from 'blind-peer-muxer'
import type { SwarmConnection } from 'hyperswarm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { createNetwork, type Network } from '../../src-main/core/sync/index.js'
import { SEEDER_PROTOCOL, decodeEntries, decodeRefused, encodeGet, encodePut, type Refusal } from '../../src-main/core/sync/seeder-protocol.js'
import { spawnTrust, stopTrust, type TrustProcess } from '../fixtures/rpc-client.js'
import { waitFor } from '../fixtures/wait.js'

/** A client that asks the seeder for things over one connection and records what it answers. */
class FloodClient {
  readonly refusals: Refusal[] = []
  readonly entries: Uint8Array[][] = []
  private conn: SwarmConnection | null = null
  private keep: BlindPeerMuxer | null = null
  private directory: { messages: { send(b: Buffer): boolean }[] } | null = null

  static async connect(network: Network, seederKey: string, store: Corestore): Promise<FloodClient> {
    const client = new FloodClient()
    const swarm = network.createSwarm()
    const connected = new Promise<void>((resolve) => {
      swarm.on('connection', (conn: SwarmConnection) => {
        conn.on('error', () => {})
        ;(store as unknown as { replicate(stream: unknown): unknown }).replicate(conn) // serves our cores to the seeder when it asks
        client.conn = conn
        client.keep = new BlindPeerMuxer(conn, {})
        const mux = Hypercore.getProtocolMuxer(conn)
        const channel = mux.createChannel({
          protocol: SEEDER_PROTOCOL,
          messages: [
            { encoding: c.raw, onmessage: () => {} },
            { encoding: c.raw, onmessage: () => {} },
            { encoding: c.raw, onmessage: (m: Buffer) => void client.entries.push(decodeEntries(m).entries) },
            { encoding: c.raw, onmessage: (m: Buffer) => void client.refusals.push(decodeRefused(m)) },
          ],
          onopen: () => resolve(),
        })
        client.directory = channel
        channel?.open()
      })
    })
    swarm.joinPeer(Buffer.from(seederKey, 'hex'))
    await connected
    return client
  }

  askToKeep(cores: Hypercore[]): void {
    this.keep!.addCores({ cores: cores.map((core) => ({ key: core.key, length: core.length })), referrer: null, priority: 1, announce: false })
  }

  put(group: Uint8Array, entry: Uint8Array): void {
    this.directory!.messages[0]!.send(Buffer.from(encodePut(group, entry)))
  }

  /** Bytes that are not a valid message of that type. */
  sendRaw(type: 0 | 1, bytes: Uint8Array): void {
    this.directory!.messages[type]!.send(Buffer.from(bytes))
  }

  get(group: Uint8Array): void {
    this.directory!.messages[1]!.send(Buffer.from(encodeGet(group)))
  }

  refused(code: string): Refusal[] {
    return this.refusals.filter((r) => r.code === code)
  }

  close(): void {
    this.conn?.destroy()
  }
}

async function feeds(store: Corestore, name: string, count: number, blockBytes = 16, blocks = 1): Promise<Hypercore[]> {
  const out: Hypercore[] = []
  for (let i = 0; i < count; i++) {
    const core = store.get({ name: `${name}-${i}` })
    await core.ready()
    for (let b = 0; b < blocks; b++) await core.append(Buffer.alloc(blockBytes, b))
    out.push(core)
  }
  return out
}

describe('a seeder under a flood', () => {
  let dir: string
  let bootstrap: TrustProcess
  let seeder: TrustProcess
  let seederKey: string
  let network: Network
  let metricsUrl: string
  let token: string
  const stores: Corestore[] = []
  const clients: FloodClient[] = []

  const metric = async (name: string, labels = ''): Promise<number> => {
    const res = await fetch(metricsUrl, { headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const line = (await res.text()).split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)))
    return line === undefined ? 0 : Number(line.split(' ').at(-1))
  }
  const newStore = (name: string): Corestore => {
    const store = new Corestore(path.join(dir, name))
    stores.push(store)
    return store
  }
  const connect = async (store: Corestore): Promise<FloodClient> => {
    const client = await FloodClient.connect(network, seederKey, store)
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-seeder-quota-'))
    bootstrap = await spawnTrust(['bootstrap'])
    const mode = `bootstrap=${/^bootstrap (127\.0\.0\.1:\d+)$/.exec(bootstrap.line)![1]}`
    const storage = path.join(dir, 'seeder')
    seeder = await spawnTrust([
      'seeder', '--storage', storage, '--network', mode, '--metrics-port', '0',
      '--max-peer-feeds', '3', '--max-feeds', '5', '--max-peer-bytes', '4096', '--max-peer-entries', '2',
    ])
    seederKey = /^seeder ([0-9a-f]{64})$/.exec(seeder.line)![1]!
    token = fs.readFileSync(path.join(storage, 'metrics-token'), 'utf8').trim()
    const log = fs.readFileSync(path.join(storage, 'logs', 'trust.log'), 'utf8')
    metricsUrl = /"url":"(http:\/\/127\.0\.0\.1:\d+\/metrics)"/.exec(log)![1]!
    network = await createNetwork(mode)
  }, 60_000)

  afterAll(async () => {
    for (const client of clients) client.close()
    await network?.close()
    for (const store of stores) await store.close().catch(() => {})
    if (seeder) await stopTrust(seeder)
    if (bootstrap) await stopTrust(bootstrap)
    fs.rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  it('keeps a requester\'s share of feeds and refuses the rest; past the total, refuses everyone', async () => {
    const storeA = newStore('a')
    const a = await connect(storeA)
    const floodA = await feeds(storeA, 'a', 6)
    a.askToKeep(floodA)
    await waitFor(() => a.refused('PEER_QUOTA').length === 3, 'three refusals for the first requester')
    await waitFor(async () => (await metric('trust_seeder_feeds')) === 3, 'three feeds kept')
    // What it keeps it stores: the seeder holds each admitted feed's block.
    await waitFor(() => floodA.slice(0, 3).every((core) => core.peers.some((p) => p.remoteContiguousLength === 1)), 'the admitted feeds downloaded')
    expect(new Set(a.refused('PEER_QUOTA').map((r) => r.subject))).toEqual(new Set(floodA.slice(3).map((core) => bytesToHex(core.key))))

    const storeB = newStore('b')
    const b = await connect(storeB)
    b.askToKeep(await feeds(storeB, 'b', 4))
    await waitFor(() => b.refused('TOTAL_QUOTA').length === 2, 'the seeder full after five feeds')
    expect(await metric('trust_seeder_feeds')).toBe(5)
    expect(await metric('trust_seeder_refused_total', '{code="PEER_QUOTA"}')).toBeGreaterThanOrEqual(3)
    expect(await metric('trust_seeder_refused_total', '{code="TOTAL_QUOTA"}')).toBeGreaterThanOrEqual(2)
    // blind-peer's own gauges are in the same registry; without the token there is nothing.
    const text = await (await fetch(metricsUrl, { headers: { Authorization: `Bearer ${token}` } })).text()
    expect(text).toMatch(/^blind_peer_cores \d+$/m)
    expect(text).toMatch(/^trust_seeder_connections 2$/m)
    expect((await fetch(metricsUrl)).status).toBe(401)
  }, 60_000)

  it('drops a feed that grows past its requester\'s byte share, and refuses it from then on', async () => {
    // Make room: the earlier requesters' feeds count toward the total, so this runs on a fresh seeder storage.
    await stopTrust(seeder)
    const storage = path.join(dir, 'seeder-2')
    const mode = `bootstrap=${/^bootstrap (127\.0\.0\.1:\d+)$/.exec(bootstrap.line)![1]}`
    seeder = await spawnTrust(['seeder', '--storage', storage, '--network', mode, '--metrics-port', '0', '--max-peer-bytes', '4096', '--max-peer-entries', '2'])
    seederKey = /^seeder ([0-9a-f]{64})$/.exec(seeder.line)![1]!
    token = fs.readFileSync(path.join(storage, 'metrics-token'), 'utf8').trim()
    metricsUrl = /"url":"(http:\/\/127\.0\.0\.1:\d+\/metrics)"/.exec(fs.readFileSync(path.join(storage, 'logs', 'trust.log'), 'utf8'))![1]!

    const store = newStore('c')
    const client = await connect(store)
    const [small] = await feeds(store, 'small', 1, 100)
    const [big] = await feeds(store, 'big', 1, 1024, 2)
    client.askToKeep([small!, big!])
    await waitFor(async () => (await metric('trust_seeder_feeds')) === 2, 'both feeds kept while small')
    // The big one grows to 10 KiB: past the 4 KiB share of its requester.
    for (let i = 0; i < 8; i++) await big!.append(Buffer.alloc(1024, i))
    await waitFor(() => client.refused('PEER_QUOTA').some((r) => r.subject === bytesToHex(big!.key)), 'the growing feed dropped')
    await waitFor(async () => (await metric('trust_seeder_feeds')) === 1, 'one feed left')
    expect(await metric('trust_seeder_feeds_dropped_total', '{code="PEER_QUOTA"}')).toBe(1)
    // Asked again, it is refused for good; the small feed is still kept and served.
    client.askToKeep([big!])
    await waitFor(() => client.refused('FEED_LIMIT').some((r) => r.subject === bytesToHex(big!.key)), 'the dropped feed refused')
    expect(small!.peers.some((p) => p.remoteContiguousLength === 1)).toBe(true)
  }, 60_000)

  it('refuses a directory flood past the requester\'s share', async () => {
    const client = await connect(newStore('d'))
    const group = new Uint8Array(32).fill(3)
    for (let i = 0; i < 6; i++) client.put(group, new Uint8Array(156).fill(i + 1))
    client.get(group)
    await waitFor(() => client.refused('PEER_QUOTA').length === 4 && client.entries.length > 0, 'the directory flood refused')
    expect(client.entries.at(-1)!.length).toBe(2)
    expect(await metric('trust_seeder_directory_entries')).toBe(2)
    // Malformed requests are refused, and the connection still answers.
    client.sendRaw(0, new Uint8Array(32))
    client.sendRaw(1, new Uint8Array(31))
    client.get(group)
    await waitFor(() => client.refused('MALFORMED').length === 2 && client.entries.length >= 2, 'malformed requests refused')
  }, 60_000)
})
