/**
 * The node's jobs (DESIGN section 9) driven by a ManualClock, no real waiting:
 * the timeout checker marks an expired negotiation EXPIRED with a receipt and
 * TIMEOUT trust events; the appeal SLA checker marks an appeal past due LAPSED;
 * the checkpoint job signs a checkpoint; a failing run (a real SQLite failure,
 * raised by a trigger) is logged, changes nothing, and the next run succeeds.
 * Real profiles, real keys, a real local DHT.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NegotiationState, Receipt, TrustEvent } from '../../src-main/api.js'
import { createNode, type TrustNode } from '../../src-main/core/node.js'
import { ManualClock } from '../../src-main/core/jobs/clock.js'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { verifyCheckpoint } from '../../src-main/core/receipts/index.js'
import { createNetwork, type Network } from '../../src-main/core/sync/index.js'
import { eventually } from '../fixtures/wait.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const PASS = 'jobs test passphrase'

/** Timestamps must be whole milliseconds of a real-looking present, as the protocol writes them. */
const T0 = Math.floor(Date.now() / 1000) * 1000

const jobEvents = (events: TrustEvent[], job: string) => events.filter((e): e is Extract<TrustEvent, { type: 'job' }> => e.type === 'job' && e.job === job)
const receipts = async (node: TrustNode) => (await node.call('receipts.list', { limit: 1000 })) as Receipt[]

describe('node jobs with a manual clock', () => {
  let dir: string
  let network: Network
  const nodes: TrustNode[] = []

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-jobs-'))
    network = await createNetwork('local')
  })

  afterAll(async () => {
    for (const n of nodes) await n.close()
    await network.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  async function start(name: string, clock: ManualClock, jobIntervals?: Record<string, number>): Promise<{ node: TrustNode; key: string; events: TrustEvent[] }> {
    // These tests move the clock by hours: the idle lock (its own test below) would lock them midway.
    const node = await createNode({ profileDir: path.join(dir, name), network, clock, idleLockMs: 0, ...(jobIntervals ? { jobIntervals } : {}) })
    nodes.push(node)
    const events: TrustEvent[] = []
    node.on((e) => events.push(e))
    const { publicKey } = (await node.call('identity.create', { name, passphrase: PASS })) as { publicKey: string }
    return { node, key: publicKey, events }
  }

  it('the timeout job marks an expired negotiation EXPIRED, with a receipt and a TIMEOUT event against whoever it waited on', async () => {
    const clock = new ManualClock(T0)
    const { node, events } = await start('alice-timeout', clock)
    const bob = bytesToHex(generateKeyPair().publicKey) // never answers
    const { negotiation } = (await node.call('negotiations.create', {
      title: 'Unanswered offer',
      participants: [bob],
      clauses: [{ id: 'price', title: 'Price', text: '$10' }],
      deadline: new Date(T0 + HOUR).toISOString(),
    })) as { negotiation: string }

    await clock.advance(30 * MINUTE)
    expect(jobEvents(events, 'timeout').map((e) => e.detail)).toEqual(Array(6).fill('expired 0'))
    expect((await receipts(node)).some((r) => r.action === 'negotiation.expired')).toBe(false)
    expect(await node.call('contacts.trustEvents', { publicKey: bob })).toEqual([])

    await clock.advance(35 * MINUTE) // the run at 65 minutes is the first after the deadline
    const runs = jobEvents(events, 'timeout')
    expect(runs.filter((e) => e.detail === 'expired 1')).toHaveLength(1)
    expect(runs.every((e) => e.ok)).toBe(true)
    const expired = (await receipts(node)).filter((r) => r.action === 'negotiation.expired')
    expect(expired).toEqual([expect.objectContaining({ negotiation, time: new Date(T0 + 65 * MINUTE).toISOString() })])
    const trust = (await node.call('contacts.trustEvents', { publicKey: bob })) as { type: string; delta: number; score: number; negotiation: string }[]
    expect(trust).toEqual([expect.objectContaining({ type: 'TIMEOUT', delta: -0.02, score: 0.48, negotiation })])
    expect(((await node.call('negotiations.get', { negotiation })) as NegotiationState).status).toBe('EXPIRED')
    expect(events.some((e) => e.type === 'negotiation' && e.negotiation === negotiation && e.status === 'EXPIRED')).toBe(true)

    // Later runs find nothing more to do: one receipt, one TIMEOUT, however long it waits.
    await clock.advance(HOUR)
    expect((await receipts(node)).filter((r) => r.action === 'negotiation.expired')).toHaveLength(1)
    expect((await node.call('contacts.trustEvents', { publicKey: bob })) as unknown[]).toHaveLength(1)
    expect(await node.call('receipts.verify')).toMatchObject({ ok: true })

    // The checkpoint job ran at 30, 60, 90 and 120 minutes: a signed note over the whole log.
    const checkpoints = jobEvents(events, 'checkpoint')
    expect(checkpoints.map((e) => e.ok)).toEqual([true, true, true, true])
    const size = (await receipts(node)).length
    expect(checkpoints[3]!.detail).toBe(`checkpoint at ${size}`)
  }, 60_000)

  it('a failing run is logged, changes nothing, and the next run does the work', async () => {
    const clock = new ManualClock(T0)
    const { node, events } = await start('alice-failing', clock)
    const bob = bytesToHex(generateKeyPair().publicKey)
    const { negotiation } = (await node.call('negotiations.create', {
      title: 'Doomed',
      participants: [bob],
      clauses: [{ id: 'x', title: 'X', text: 'x' }],
      deadline: new Date(T0 + 2 * MINUTE).toISOString(),
    })) as { negotiation: string }
    const before = (await receipts(node)).length

    // The disk refuses receipts for a while: a real SQLite error inside the job's transaction.
    const other = new BetterSqlite3(node.paths.database)
    other.exec("CREATE TRIGGER refuse_receipts BEFORE INSERT ON receipts BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END")
    await clock.advance(5 * MINUTE)
    const [failed] = jobEvents(events, 'timeout')
    expect(failed).toMatchObject({ ok: false })
    expect(failed!.detail).toContain('simulated disk failure')
    expect((await receipts(node)).length).toBe(before)
    expect(await node.call('contacts.trustEvents', { publicKey: bob })).toEqual([])

    other.exec('DROP TRIGGER refuse_receipts')
    other.close()
    await clock.advance(5 * MINUTE)
    expect(jobEvents(events, 'timeout').map((e) => e.ok)).toEqual([false, true])
    expect(jobEvents(events, 'timeout')[1]!.detail).toBe('expired 1')
    expect((await receipts(node)).filter((r) => r.action === 'negotiation.expired' && r.negotiation === negotiation)).toHaveLength(1)
    expect(((await node.call('contacts.trustEvents', { publicKey: bob })) as { type: string }[]).map((e) => e.type)).toEqual(['TIMEOUT'])

    const log = fs.readFileSync(path.join(node.paths.dir, 'logs', 'trust.log'), 'utf8')
    const lines = log.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; job?: string; error?: string })
    expect(lines.some((l) => l.msg.startsWith('job failed') && l.job === 'timeout' && l.error?.includes('simulated disk failure'))).toBe(true)
    expect(lines.some((l) => l.msg === 'job finished' && l.job === 'timeout')).toBe(true)
  }, 60_000)

  it('while locked the jobs sign nothing; after unlock the next run catches up', async () => {
    const clock = new ManualClock(T0)
    const { node, events } = await start('alice-locked', clock)
    const bob = bytesToHex(generateKeyPair().publicKey)
    await node.call('negotiations.create', {
      title: 'Locked away',
      participants: [bob],
      clauses: [{ id: 'x', title: 'X', text: 'x' }],
      deadline: new Date(T0 + MINUTE).toISOString(),
    })
    await node.call('identity.lock')
    await clock.advance(5 * MINUTE)
    expect(jobEvents(events, 'timeout').map((e) => e.detail)).toEqual(['locked'])
    await node.call('identity.unlock', { passphrase: PASS })
    await clock.advance(5 * MINUTE)
    // The run waits for the peer to finish starting (real I/O), so its end is awaited, not assumed.
    await eventually(async () => (jobEvents(events, 'timeout').length === 2 ? true : undefined), 'the run after unlock')
    expect(jobEvents(events, 'timeout').map((e) => e.detail)).toEqual(['locked', 'expired 1'])
  }, 60_000)

  it('the appeal checker marks an appeal past due LAPSED; the state stays DISPUTED', async () => {
    const aliceClock = new ManualClock(T0)
    const bobClock = new ManualClock(T0)
    const hourly = { appeal: HOUR, timeout: HOUR, checkpoint: DAY }
    const alice = await start('alice-appeal', aliceClock, hourly)
    const bob = await start('bob-appeal', bobClock, hourly)
    const { negotiation, invite } = (await alice.node.call('negotiations.create', {
      title: 'Appealable',
      participants: [bob.key],
      clauses: [{ id: 'x', title: 'X', text: 'x' }],
      deadline: new Date(T0 + 2 * DAY).toISOString(),
      appealWindowDays: 1,
    })) as { negotiation: string; invite: string }
    await bob.node.call('negotiations.join', { invite })
    const state = (node: TrustNode, ok: (s: NegotiationState) => boolean, what: string) =>
      eventually(async () => {
        const s = (await node.call('negotiations.get', { negotiation })) as NegotiationState
        return ok(s) ? s : undefined
      }, what)
    const { termsHash } = await state(alice.node, (s) => s.status === 'NEGOTIATING', 'joined')
    for (const p of [alice, bob]) {
      await state(p.node, (s) => s.status === 'NEGOTIATING', 'negotiating')
      await p.node.call('negotiations.accept', { negotiation, termsHash })
    }
    for (const p of [alice, bob]) await state(p.node, (s) => s.status === 'CONSENSUS_REACHED', 'consensus')
    for (const p of [alice, bob]) await p.node.call('negotiations.finalize', { negotiation, termsHash })
    await state(alice.node, (s) => s.status === 'BINDING', 'binding')
    await alice.node.call('negotiations.dispute', { negotiation, reason: 'not delivered' })
    const disputed = await state(alice.node, (s) => s.status === 'DISPUTED', 'disputed')
    expect(disputed.appeal).toMatchObject({ status: 'OPEN', due: new Date(T0 + DAY).toISOString() })

    await aliceClock.advance(23 * HOUR)
    expect(jobEvents(alice.events, 'appeal').map((e) => e.detail)).toEqual(Array(23).fill('lapsed 0'))
    await aliceClock.advance(2 * HOUR)
    expect(jobEvents(alice.events, 'appeal').filter((e) => e.detail === 'lapsed 1')).toHaveLength(1)
    const lapsed = (await alice.node.call('negotiations.get', { negotiation })) as NegotiationState
    expect(lapsed.status).toBe('DISPUTED')
    expect(lapsed.appeal).toMatchObject({ status: 'LAPSED' })
    expect((await receipts(alice.node)).filter((r) => r.action === 'negotiation.lapsed')).toEqual([
      expect.objectContaining({ negotiation, ref: disputed.appeal!.dispute }),
    ])
    // Bob's clock has not moved: for him the appeal is still open.
    expect(((await bob.node.call('negotiations.get', { negotiation })) as NegotiationState).appeal).toMatchObject({ status: 'OPEN' })
    const { note } = (await alice.node.call('receipts.checkpoint')) as { note: string }
    expect(verifyCheckpoint(note, alice.key).size).toBe((await receipts(alice.node)).length)
  }, 120_000)
  it('the identity locks itself after the idle time without a call, wipes the key, and a call restarts the countdown', async () => {
    const clock = new ManualClock(T0)
    const node = await createNode({ profileDir: path.join(dir, 'idle'), network, clock, idleLockMs: 10 * MINUTE })
    nodes.push(node)
    const events: TrustEvent[] = []
    node.on((e) => events.push(e))
    await node.call('identity.create', { name: 'idle', passphrase: PASS })
    const card = async (): Promise<unknown> => node.call('contacts.myCard', {}) // needs the key: it signs

    await clock.advance(9 * MINUTE)
    await node.call('identity.status', {}) // activity: the countdown starts again
    await clock.advance(9 * MINUTE)
    expect(((await node.call('identity.status', {})) as { unlocked: boolean }).unlocked).toBe(true)
    await expect(card()).resolves.toBeTruthy()

    await clock.advance(10 * MINUTE + 1)
    expect(events.filter((e) => e.type === 'identity').at(-1)).toMatchObject({ unlocked: false })
    expect(((await node.call('identity.status', {})) as { unlocked: boolean }).unlocked).toBe(false)
    await expect(card()).rejects.toMatchObject({ code: 'LOCKED' })
    // The passphrase brings it back; nothing stored was lost.
    await node.call('identity.unlock', { passphrase: PASS })
    await expect(card()).resolves.toBeTruthy()
  })
})
