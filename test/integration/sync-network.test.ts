/**
 * Network modes (DESIGN section 5): strict parsing of the mode string, and a
 * private DHT: a `trust bootstrap` node on 127.0.0.1 and two peers in
 * `bootstrap=127.0.0.1:<port>` mode that find each other through it alone.
 */
import { createSocket } from 'node:dgram'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { createSigner } from '../../src-main/core/crypto/signer.js'
import {
  createNetwork,
  createTopicSecret,
  formatNetworkMode,
  parseNetworkMode,
  Replicator,
  startBootstrapNode,
  type BootstrapNode,
  type Network,
} from '../../src-main/core/sync/index.js'
import { makeEntry, makeGenesis, TestSyncHost } from '../fixtures/sync-host.js'
import { waitFor } from '../fixtures/sync-peers.js'

describe('parseNetworkMode', () => {
  it('accepts public, local and a bootstrap list', () => {
    expect(parseNetworkMode('public')).toEqual({ kind: 'public' })
    expect(parseNetworkMode('local')).toEqual({ kind: 'local' })
    const mode = parseNetworkMode('bootstrap=127.0.0.1:49737,dht.example.org:1')
    expect(mode).toEqual({
      kind: 'bootstrap',
      nodes: [
        { host: '127.0.0.1', port: 49737 },
        { host: 'dht.example.org', port: 1 },
      ],
    })
    expect(formatNetworkMode(mode)).toBe('bootstrap=127.0.0.1:49737,dht.example.org:1')
  })

  it('refuses anything else with INVALID_INPUT, never falling back to public', () => {
    for (const bad of [
      undefined,
      '',
      'Public',
      'local ',
      'bootstrap',
      'bootstrap=',
      'bootstrap=127.0.0.1',
      'bootstrap=127.0.0.1:0',
      'bootstrap=127.0.0.1:65536',
      'bootstrap=127.0.0.1:080',
      'bootstrap=127.0.0.1:80,',
      'bootstrap=127.0.0.1:80,127.0.0.1:80',
      'bootstrap=:80',
      'bootstrap=999.1.1.1:80',
      'bootstrap=[::1]:80',
      'bootstrap=-bad-.example:80',
      'bootstrap=UPPER.example:80',
      'bootstrap=a b:80',
      'bootstrap=' + Array.from({ length: 17 }, (_, i) => `127.0.0.1:${i + 1}`).join(','),
    ]) {
      expect(() => parseNetworkMode(bad), String(bad)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    }
  })
})

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

describe('a private DHT', () => {
  let node: BootstrapNode | null = null
  let network: Network | null = null
  const replicators: Replicator[] = []
  const dirs: string[] = []

  afterEach(async () => {
    await Promise.allSettled(replicators.map((r) => r.close()))
    replicators.length = 0
    await network?.close()
    await node?.close()
    network = null
    node = null
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  }, 30_000)

  it('refuses a bad bootstrap node address', async () => {
    await expect(startBootstrapNode(0)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(startBootstrapNode(70_000)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(startBootstrapNode(4000, '0.0.0.0')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(startBootstrapNode(4000, 'localhost')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })

  it('two peers replicate through a bootstrap node on 127.0.0.1', async () => {
    node = await startBootstrapNode(await freeUdpPort())
    network = await createNetwork(`bootstrap=127.0.0.1:${node.port}`)
    expect(network.bootstrap).toEqual([{ host: '127.0.0.1', port: node.port }])

    const signers = [createSigner(generateKeyPair().secretKey), createSigner(generateKeyPair().secretKey)]
    const hosts = [new TestSyncHost(), new TestSyncHost()]
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'trust-sync-bootstrap-'))
      dirs.push(dir)
      const r = new Replicator({ storeDir: dir, network, signer: signers[i]!, host: hosts[i]! })
      await r.open()
      replicators.push(r)
    }
    const [a, b] = replicators as [Replicator, Replicator]
    const genesis = makeGenesis(signers[0]!, signers.map((s) => s.publicKey))
    hosts[0]!.members.set(genesis.id, new Set(signers.map((s) => s.publicKey)))
    const topicSecret = bytesToHex(createTopicSecret())
    await a.joinNegotiation({ negotiation: genesis.id, topicSecret })
    await a.append(genesis.id, genesis.bytes)
    await b.joinNegotiation({ negotiation: genesis.id, topicSecret, creatorFeedKey: a.ownFeedKey(genesis.id) })
    await b.append(genesis.id, makeEntry(signers[1]!, { negotiation: genesis.id, seq: 0, type: 'JOIN', body: { feed: b.ownFeedKey(genesis.id) } }))

    await waitFor(() => hosts[0]!.entriesOf(genesis.id).length === 1 && hosts[1]!.entriesOf(genesis.id).length === 1, 'GENESIS and JOIN to cross', 30_000)
    expect(hosts[1]!.entriesOf(genesis.id)[0]?.type).toBe('GENESIS')
    expect(hosts[0]!.entriesOf(genesis.id)[0]?.type).toBe('JOIN')
    for (const s of signers) s.wipe()
  }, 60_000)
})
