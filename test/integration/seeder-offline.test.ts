/**
 * Blind seeders, end to end with real processes on a private loopback DHT
 * (DESIGN section 5, issue 12): a `trust bootstrap`, one `trust seeder` and two
 * `trust serve` parties who, once their contact cards are exchanged, are never
 * online at the same time. The negotiation still goes from create, join, offer
 * and accept to BINDING at both with one binding hash, only through the seeder,
 * which is restarted mid-way and loses nothing. Afterwards the seeder's files
 * hold no plaintext of the terms, and its copy of a feed read without the key
 * yields no envelope, while the same blocks with the key are the signed GENESIS.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Corestore from 'corestore'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SeederInfo } from '../../src-main/api.js'
import { parseEnvelope } from '../../src-main/core/protocol/index.js'
import { decodeInvite, feedEncryptionKey } from '../../src-main/core/sync/index.js'
import { spawnTrust, stopTrust, type TrustProcess } from '../fixtures/rpc-client.js'
import { ServeParty } from '../fixtures/serve-party.js'

/** Words that appear only in the terms: none may be on the seeder's disk. */
const SECRET_TERMS = 'Marmalade-Quokka-7731 delivers nine crates of saffron'
const COUNTER_TERMS = 'Marmalade-Quokka-7731 delivers eleven crates of saffron'

describe('two parties never online together reach BINDING through a seeder', () => {
  let dir: string
  let bootstrap: TrustProcess
  let network: string
  let seederDir: string
  let seeder: TrustProcess
  let seederKey: string
  let alice: ServeParty
  let bob: ServeParty
  let negotiation = ''
  let invite = ''

  const startSeeder = async (): Promise<string> => {
    seeder = await spawnTrust(['seeder', '--storage', seederDir, '--network', network])
    const m = /^seeder ([0-9a-f]{64})$/.exec(seeder.line)
    expect(m).not.toBeNull()
    return m![1]!
  }
  const online = async (p: ServeParty): Promise<void> => {
    // Never both at once: that is the point of the test.
    expect(alice.online || bob.online).toBe(false)
    await p.start(network, [seederKey])
  }
  const offline = async (p: ServeParty): Promise<void> => {
    await p.untilSeeded()
    expect(await p.stop()).toBe(0)
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-seeder-'))
    bootstrap = await spawnTrust(['bootstrap'])
    network = `bootstrap=${/^bootstrap (127\.0\.0\.1:\d+)$/.exec(bootstrap.line)![1]}`
    seederDir = path.join(dir, 'seeder')
    seederKey = await startSeeder()
    alice = new ServeParty('Alice', path.join(dir, 'alice'))
    bob = new ServeParty('Bob', path.join(dir, 'bob'))
    // The one moment they are online together: exchanging contact cards.
    await Promise.all([alice.start(network, [seederKey]), bob.start(network, [seederKey])])
    const [aCard, bCard] = await Promise.all([alice, bob].map((p) => p.rpc.call<{ card: string }>('contacts.myCard')))
    await alice.rpc.call('contacts.add', { card: bCard!.card })
    await bob.rpc.call('contacts.add', { card: aCard!.card })
    await Promise.all([alice.stop(), bob.stop()])
  }, 120_000)

  afterAll(async () => {
    await alice?.stop().catch(() => {})
    await bob?.stop().catch(() => {})
    if (seeder) await stopTrust(seeder)
    if (bootstrap) await stopTrust(bootstrap)
    fs.rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  it('create, join, offer, accept, finalize: one party online at a time, the seeder restarted mid-way', async () => {
    // Alice creates; the invite names her seeder; she goes offline once it holds GENESIS.
    await online(alice)
    const seeders = await alice.rpc.call<SeederInfo[]>('seeders.list')
    expect(seeders).toMatchObject([{ publicKey: seederKey, sources: ['profile'] }])
    const created = await alice.rpc.call<{ negotiation: string; invite: string }>('negotiations.create', {
      title: 'Saffron delivery',
      participants: [bob.publicKey],
      clauses: [{ id: 'goods', title: 'Goods', text: SECRET_TERMS }],
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    })
    negotiation = created.negotiation
    invite = created.invite
    expect(decodeInvite(invite)).toMatchObject({ encrypted: true, seeders: [seederKey] })
    await offline(alice)

    // Bob joins from the seeder alone (Alice is offline), makes a counter-offer and accepts it.
    await online(bob)
    expect(await bob.rpc.call('negotiations.join', { invite })).toEqual({ negotiation })
    await bob.until(negotiation, 'NEGOTIATING', (s) => s.status === 'NEGOTIATING')
    const offer = await bob.rpc.call<{ state: { termsHash: string } }>('negotiations.offer', {
      negotiation,
      changes: [{ op: 'set', clause: 'goods', text: COUNTER_TERMS }],
    })
    const terms = offer.state.termsHash
    await bob.rpc.call('negotiations.accept', { negotiation, termsHash: terms })
    await offline(bob)

    // The seeder restarts (a clean stop, same storage): same key, nothing lost.
    expect(await stopTrust(seeder)).toBe(0)
    expect(await startSeeder()).toBe(seederKey)

    // Alice gets Bob's JOIN, offer and accept from the restarted seeder, accepts (consensus) and finalizes.
    await online(alice)
    await alice.until(negotiation, "Bob's offer and accept", (s) => s.termsHash === terms && s.accepts.length === 1)
    await alice.rpc.call('negotiations.accept', { negotiation, termsHash: terms })
    await alice.rpc.call('negotiations.finalize', { negotiation, termsHash: terms })
    await offline(alice)

    // Bob finalizes: BINDING at Bob.
    await online(bob)
    await bob.until(negotiation, "Alice's accept and finalize", (s) => s.status === 'CONSENSUS_REACHED' && s.finalizers.length === 1)
    await bob.rpc.call('negotiations.finalize', { negotiation, termsHash: terms })
    const atBob = await bob.until(negotiation, 'BINDING', (s) => s.status === 'BINDING')
    const status = await bob.untilSeeded()
    expect(status).toMatchObject({ allSeeded: true, pending: 0, unseeded: [], negotiations: [{ negotiation, signed: 4, seeded: 4, seeders: [seederKey] }] })
    await offline(bob)

    // Alice sees BINDING, with the same binding hash.
    await online(alice)
    const atAlice = await alice.until(negotiation, 'BINDING', (s) => s.status === 'BINDING')
    expect(atAlice.bindingHash).toMatch(/^[0-9a-f]{64}$/)
    expect(atAlice.bindingHash).toBe(atBob.bindingHash)
    expect(atAlice.signers).toEqual([alice.publicKey, bob.publicKey].sort())
    expect(atAlice.timeline.map((m) => m.hash)).toEqual(atBob.timeline.map((m) => m.hash))
    expect(atAlice.rejected).toEqual([])
    await offline(alice)
  }, 180_000)

  it("the seeder's files hold no plaintext, and its copy of a feed without the key is no envelope", async () => {
    expect(negotiation).not.toBe('')
    expect(await stopTrust(seeder)).toBe(0)
    const needles = [SECRET_TERMS, COUNTER_TERMS, 'Marmalade-Quokka', 'Saffron delivery', alice.publicKey, bob.publicKey].map((t) => Buffer.from(t, 'utf8'))
    const files: string[] = []
    const walk = (d: string): void => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, entry.name)
        if (entry.isDirectory()) walk(p)
        else files.push(p)
      }
    }
    walk(seederDir)
    expect(files.length).toBeGreaterThan(3)
    for (const file of files) {
      const bytes = fs.readFileSync(file)
      for (const needle of needles) expect(bytes.includes(needle), `${needle.toString()} in ${file}`).toBe(false)
    }

    // Alice's feed as the seeder holds it: read blind it is noise; with the key from the invite's secret it is GENESIS.
    const { topicSecret, creatorFeedKey } = decodeInvite(invite)
    const blind = new Corestore(path.join(seederDir, 'blind-peer'))
    try {
      const raw = blind.get({ key: Buffer.from(creatorFeedKey, 'hex') })
      await raw.ready()
      expect(raw.length).toBe(3) // GENESIS, ACCEPT, FINALIZE
      const block = await raw.get(0, { wait: false })
      expect(block).not.toBeNull()
      expect(() => parseEnvelope(block!)).toThrow()
      expect(block!.includes(Buffer.from('GENESIS'))).toBe(false)
      await raw.close()
      const keyed = blind.get({ key: Buffer.from(creatorFeedKey, 'hex'), encryption: { key: Buffer.from(feedEncryptionKey(topicSecret)) } })
      await keyed.ready()
      const genesis = parseEnvelope((await keyed.get(0, { wait: false }))!)
      expect(genesis.envelope.type).toBe('GENESIS')
      expect(genesis.hash).toBe(negotiation)
      await keyed.close()
    } finally {
      await blind.close()
    }
  }, 60_000)
})
