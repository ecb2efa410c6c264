/**
 * `seeders.*` of the TrustApi (DESIGN sections 5 and 11) on a createNode() peer:
 * the profile's list (validated, bounded, editable while locked), each seeder's
 * state, the `seeder` event, and whether everything we signed has reached a
 * seeder, against a real `trust seeder` process on a private loopback DHT.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SeederInfo, SeedingStatus, TrustEvent } from '../../src-main/api.js'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { createNode, type TrustNode } from '../../src-main/core/node.js'
import { decodeInvite } from '../../src-main/core/sync/index.js'
import { spawnTrust, stopTrust, type TrustProcess } from '../fixtures/rpc-client.js'
import { eventually } from '../fixtures/wait.js'

const PASS = 'a long enough passphrase'
const randomKey = (): string => bytesToHex(generateKeyPair().publicKey)

describe('seeders in the TrustApi', () => {
  let dir: string
  let bootstrap: TrustProcess
  let seeder: TrustProcess
  let seederKey: string
  let network: string
  let node: TrustNode
  const events: TrustEvent[] = []
  let negotiation = ''

  const code = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (e: { code?: string }) => e.code ?? 'no code')
  const list = () => node.call('seeders.list') as Promise<SeederInfo[]>
  const status = () => node.call('seeders.status') as Promise<SeedingStatus>

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-node-seeders-'))
    bootstrap = await spawnTrust(['bootstrap'])
    network = `bootstrap=${/^bootstrap (127\.0\.0\.1:\d+)$/.exec(bootstrap.line)![1]}`
    seeder = await spawnTrust(['seeder', '--storage', path.join(dir, 'seeder'), '--network', network])
    seederKey = /^seeder ([0-9a-f]{64})$/.exec(seeder.line)![1]!
    node = await createNode({ profileDir: path.join(dir, 'alice'), network, logLevel: 'info', seedWaitMs: 0 })
    node.on((e) => events.push(e))
  }, 60_000)

  afterAll(async () => {
    await node?.close()
    if (seeder) await stopTrust(seeder)
    if (bootstrap) await stopTrust(bootstrap)
    fs.rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  it('validates keys, keeps one entry per seeder, and bounds the list', async () => {
    expect(await list()).toEqual([])
    for (const bad of [{}, { publicKey: 'AB'.repeat(32) }, { publicKey: '00'.repeat(32) }, { publicKey: seederKey, extra: 1 }]) {
      expect(await code(node.call('seeders.add', bad))).toBe('INVALID_INPUT')
    }
    expect(await code(node.call('seeders.remove', { publicKey: randomKey() }))).toBe('NOT_FOUND')
    // Works before there is an identity, and so while locked: it is only the profile's list.
    const added = (await node.call('seeders.add', { publicKey: seederKey })) as SeederInfo
    expect(added).toMatchObject({ publicKey: seederKey, sources: ['profile'], connected: false, negotiations: [], refusal: null })
    const again = (await node.call('seeders.add', { publicKey: seederKey })) as SeederInfo
    expect(again.added).toBe(added.added)
    const others = Array.from({ length: 7 }, randomKey)
    for (const key of others) await node.call('seeders.add', { publicKey: key })
    expect(await code(node.call('seeders.add', { publicKey: randomKey() }))).toBe('INVALID_INPUT')
    for (const key of others) await node.call('seeders.remove', { publicKey: key })
    expect((await list()).map((s) => s.publicKey)).toEqual([seederKey])
  })

  it('seeders given at start (trust serve --seeder) are added all or none: one bad key leaves the list as it was', async () => {
    const profileDir = path.join(dir, 'start-seeders')
    const good = randomKey()
    expect(await code(createNode({ profileDir, network, seeders: [good, 'not a key'], seedWaitMs: 0 }))).toBe('INVALID_INPUT')
    expect(await code(createNode({ profileDir, network, seeders: Array.from({ length: 9 }, randomKey), seedWaitMs: 0 }))).toBe('INVALID_INPUT')
    const started = await createNode({ profileDir, network, seedWaitMs: 0 })
    try {
      expect(await started.call('seeders.list')).toEqual([])
    } finally {
      await started.close()
    }
  })

  it('an invite names the seeder; it keeps the negotiation and says so', async () => {
    await node.call('identity.create', { name: 'Alice', passphrase: PASS })
    const bob = randomKey()
    const created = (await node.call('negotiations.create', {
      title: 'Bike repair',
      participants: [bob],
      clauses: [{ id: 'price', title: 'Price', text: '40 EUR' }],
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    })) as { negotiation: string; invite: string }
    negotiation = created.negotiation
    expect(decodeInvite(created.invite).seeders).toEqual([seederKey])
    const seeded = await eventually(async () => {
      const s = await status()
      return s.allSeeded ? s : undefined
    }, 'GENESIS to reach the seeder')
    expect(seeded).toEqual({ allSeeded: true, pending: 0, unseeded: [], negotiations: [{ negotiation, signed: 1, seeded: 1, seeders: [seederKey] }] })
    expect(await list()).toMatchObject([{ publicKey: seederKey, connected: true, negotiations: [negotiation] }])
    expect(events).toContainEqual({ type: 'seeder', publicKey: seederKey, connected: true })
  }, 60_000)

  it('while locked the state comes from the last run; without a seeder, nothing counts as seeded', async () => {
    await node.call('identity.lock')
    expect(await list()).toMatchObject([{ publicKey: seederKey, connected: false, negotiations: [negotiation] }])
    expect(await status()).toMatchObject({ allSeeded: true, negotiations: [{ negotiation, signed: 1, seeded: 1 }] })
    await node.call('seeders.remove', { publicKey: seederKey })
    expect(await status()).toEqual({ allSeeded: false, pending: 0, negotiations: [], unseeded: [negotiation] })
    // Added back while locked, it is used as soon as the peer runs again.
    await node.call('seeders.add', { publicKey: seederKey })
    await node.call('identity.unlock', { passphrase: PASS })
    await eventually(async () => ((await list())[0]?.connected ? true : undefined), 'the seeder connected after unlock')
    expect((await node.call('negotiations.invite', { negotiation })) as { invite: string }).toMatchObject({ invite: expect.stringMatching(/^trust:join\//) })
  }, 60_000)

  it('reconnects to a seeder that restarted, which still holds what it had', async () => {
    expect(await stopTrust(seeder)).toBe(0)
    await eventually(async () => (events.some((e) => e.type === 'seeder' && !e.connected) ? true : undefined), 'the disconnected event')
    expect((await list())[0]?.connected).toBe(false)
    await node.call('negotiations.withdraw', { negotiation, reason: 'found another shop' })
    expect((await status()).pending).toBe(1)
    seeder = await spawnTrust(['seeder', '--storage', path.join(dir, 'seeder'), '--network', network])
    expect(seeder.line).toBe(`seeder ${seederKey}`)
    const seeded = await eventually(async () => {
      const s = await status()
      return s.allSeeded ? s : undefined
    }, 'the WITHDRAW to reach the restarted seeder', 60_000)
    expect(seeded.negotiations).toEqual([{ negotiation, signed: 2, seeded: 2, seeders: [seederKey] }])
  }, 90_000)
})
