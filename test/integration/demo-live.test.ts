/**
 * The live demo's engine (issue 11; DESIGN section 11, "Demo"): two real peers on
 * an embedded DHT, each a createNode() on a temporary profile, driven one protocol
 * action per step through `demo.*`. Stepping and autoplay both reach BINDING with
 * one binding hash computed by each side; the change after binding is refused;
 * the forgery and the fork are rejected and kept as evidence; the dispute opens
 * the appeal. The serving node's own profile is never touched, and reset, three
 * times over, leaks no peers, sockets, file handles or directories.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { DemoEnvelope, DemoState, NegotiationState, TrustEvent } from '../../src-main/api.js'
import { verifyBundle } from '../../src-main/core/bundle/verify-bundle.js'
import { DemoController } from '../../src-main/core/demo/demo-controller.js'
import { DEMO_SCRIPT } from '../../src-main/core/demo/demo-script.js'
import { DEMO_DIR_PREFIX } from '../../src-main/core/demo/demo-session.js'
import { createNode, type TrustNode } from '../../src-main/core/node.js'

const roots: string[] = []
const closers: (() => Promise<void>)[] = []

function tempRoot(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trust-demo-live-${name}-`))
  roots.push(dir)
  return dir
}

afterEach(async () => {
  for (const close of closers.splice(0)) await close()
}, 60_000)

afterAll(() => {
  for (const d of roots) fs.rmSync(d, { recursive: true, force: true })
})

async function hostNode(): Promise<TrustNode> {
  const node = await createNode({ profileDir: path.join(tempRoot('host'), 'profile'), network: 'local', logLevel: 'warn' })
  closers.push(() => node.close())
  return node
}

function controller(root: string, events: TrustEvent[] = []): DemoController {
  const demo = new DemoController({ createNode, emit: (e) => events.push(e), tempRoot: root })
  closers.push(() => demo.close())
  return demo
}

/** Resolves with the first announced state that satisfies `ok`. */
function until(node: TrustNode, ok: (s: DemoState) => boolean, what: string, timeoutMs = 90_000): Promise<DemoState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`timed out waiting for ${what}`))
    }, timeoutMs)
    const off = node.on((e) => {
      if (e.type === 'demo' && ok(e.state)) {
        clearTimeout(timer)
        off()
        resolve(e.state)
      }
    })
  })
}

const step = (s: DemoState, id: string) => s.steps.find((x) => x.id === id)!
const sides = (s: DemoState): [NegotiationState, NegotiationState] => [s.parties[0]!.state!, s.parties[1]!.state!]

function expectBinding(s: DemoState): void {
  const [a, b] = sides(s)
  expect(a.bindingHash).toMatch(/^[0-9a-f]{64}$/)
  expect(b.bindingHash).toBe(a.bindingHash)
  expect(s.sameBindingHash).toBe(true)
}

describe('the live demo, by steps', () => {
  it('runs the whole script on two real peers; every state, hash and verdict comes from their engines', async () => {
    const node = await hostNode()
    const before = fs.readdirSync(node.paths.dir).sort()
    let s = (await node.call('demo.start')) as DemoState
    expect(s.phase).toBe('ready')
    expect(s.next).toBe(0)
    expect(s.steps.map((x) => x.id)).toEqual(DEMO_SCRIPT.map((x) => x.id))

    const stepTo = async (id: string): Promise<DemoState> => {
      for (;;) {
        s = (await node.call('demo.step')) as DemoState
        const done = s.steps[s.next - 1]!
        expect(done.status, `${done.id}: ${done.error?.message}`).toBe('done')
        if (done.id === id) return s
      }
    }

    s = await stepTo('identities')
    expect(s.parties.map((p) => p.publicKey)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)])
    expect(s.parties[0]!.publicKey).not.toBe(s.parties[1]!.publicKey)

    s = await stepTo('join')
    expect(sides(s).map((x) => x.status)).toEqual(['NEGOTIATING', 'NEGOTIATING'])
    const join = step(s, 'join')
    expect(join.latency).toMatchObject({ from: 'bob', to: 'alice', hash: join.hash })
    expect(join.latency!.arrivedAt!).toBeGreaterThanOrEqual(join.latency!.actedAt)

    s = await stepTo('finalize-bob')
    expectBinding(s)
    const [a, b] = sides(s)
    expect(a.clauses.find((c) => c.id === 'amount')!.text).toContain('$750')
    expect(a.lockedClauses).toEqual(['venue'])
    // One chain node per message, and each side holds every one of them.
    expect(s.messages.map((m) => m.hash).sort()).toEqual(a.timeline.map((m) => m.hash).sort())
    expect(b.timeline).toHaveLength(a.timeline.length)
    for (const m of s.messages) {
      expect(m.views.map((v) => v.side).sort()).toEqual(['alice', 'bob'])
      expect(m.views.every((v) => v.verdict === 'applied' && v.receipt !== null)).toBe(true)
      expect(m.signatureValid).toBe(true)
      for (const ref of m.refs) expect(s.messages.some((x) => x.hash === ref)).toBe(true)
    }
    expect(s.messages.map((m) => m.type)).toEqual(['GENESIS', 'JOIN', 'OFFER', 'OFFER', 'LOCK', 'LOCK', 'ACCEPT', 'ACCEPT', 'FINALIZE', 'FINALIZE'])
    // Each side sealed its receipt log with a signed checkpoint at BINDING.
    for (const p of s.parties) {
      expect(p.receipts.checkpoints).toEqual([expect.objectContaining({ size: p.receipts.count })])
    }

    s = await stepTo('change-refused')
    expect(step(s, 'change-refused').refused).toMatchObject({ side: 'alice', code: 'ILLEGAL_ACTION', reason: 'IMMUTABLE' })
    expect(sides(s)[0].timeline).toHaveLength(a.timeline.length) // nothing was signed
    expectBinding(s)

    s = await stepTo('forgery')
    const forged = s.messages.find((m) => m.hash === step(s, 'forgery').hash)!
    expect(forged.signatureValid).toBe(false)
    expect(forged.author).toBe(s.parties[0]!.publicKey) // it names Alice
    expect(forged.views.map((v) => [v.side, v.verdict, v.reason])).toEqual([
      ['alice', 'rejected', 'BAD_SIGNATURE'],
      ['bob', 'rejected', 'BAD_SIGNATURE'],
    ])
    expect(sides(s).map((x) => x.status)).toEqual(['BINDING', 'BINDING'])

    s = await stepTo('equivocation')
    const fork = s.messages.find((m) => m.hash === step(s, 'equivocation').hash)!
    expect(fork.signatureValid).toBe(true) // Bob's own key: only the fold's rule stops it
    expect(fork.views).toEqual([expect.objectContaining({ side: 'alice', verdict: 'rejected', reason: 'EQUIVOCATION' })])
    const original = s.messages.find((m) => m.type === 'OFFER' && m.author === fork.author && m.seq === fork.seq && m.hash !== fork.hash)!
    expect(fork.hash < original.hash).toBe(true) // ground to sort first, and still refused
    expect(sides(s)[0].equivocators).toEqual([s.parties[1]!.publicKey])
    expect(sides(s)[0].equivocations).toEqual([{ author: fork.author, seq: fork.seq, hashes: [fork.hash, original.hash].sort() }])
    expectBinding(s)
    expect(sides(s)[0].bindingHash).toBe(a.bindingHash)

    s = await stepTo('dispute')
    expect(sides(s).map((x) => x.status)).toEqual(['DISPUTED', 'DISPUTED'])
    expect(sides(s).map((x) => x.appeal?.status)).toEqual(['OPEN', 'OPEN'])
    expect(sides(s)[1].appeal!.dispute).toBe(step(s, 'dispute').hash)
    expect(sides(s)[1].bindingHash).toBe(a.bindingHash)
    expect(s.next).toBe(s.steps.length)
    await expect(node.call('demo.step')).rejects.toMatchObject({ code: 'ILLEGAL_ACTION', detail: { reason: 'DEMO_FINISHED' } })

    // Envelopes, verified by the engine.
    const genesis = (await node.call('demo.envelope', { hash: s.negotiation })) as DemoEnvelope
    expect(genesis.signature).toMatchObject({ valid: true, key: s.parties[0]!.publicKey, name: 'Alice' })
    expect(genesis.heldBy).toEqual(['alice', 'bob'])
    expect(genesis.envelope.type).toBe('GENESIS')
    expect(JSON.parse(genesis.canonical)).toEqual(genesis.envelope)
    const forgedEnvelope = (await node.call('demo.envelope', { hash: forged.hash })) as DemoEnvelope
    expect(forgedEnvelope.signature).toMatchObject({ valid: false, key: s.parties[0]!.publicKey, name: 'Alice' })
    await expect(node.call('demo.envelope', { hash: 'f'.repeat(64) })).rejects.toMatchObject({ code: 'NOT_FOUND' })

    // The bundle verifies offline, with the binding hash both sides showed.
    const exported = (await node.call('demo.export', { side: 'bob' })) as { name: string; text: string }
    expect(exported.name).toBe(`${s.negotiation!.slice(0, 16)}.trust.json`)
    const report = verifyBundle(exported.text)
    expect(report).toMatchObject({ valid: true, status: 'DISPUTED', bindingHash: a.bindingHash })
    // The serving node's own profile is untouched.
    expect(await node.call('identity.status')).toEqual({ exists: false, unlocked: false })
    await expect(node.call('negotiations.list')).rejects.toMatchObject({ code: 'NO_IDENTITY' })
    expect(fs.readdirSync(node.paths.dir).sort()).toEqual(before)
  }, 180_000)
})

describe('the live demo, by autoplay', () => {
  it('plays from a fresh start to the end at full speed, announcing each change; pause stops it between steps', async () => {
    const node = await hostNode()
    const binding = until(node, (s) => s.sameBindingHash, 'BINDING on both sides')
    const finished = until(node, (s) => s.next === s.steps.length && !s.autoplay && !s.busy, 'the end of the script')
    const started = (await node.call('demo.autoplay', { pauseMs: 0 })) as DemoState
    expect(started.autoplay).toBe(true)
    await expect(node.call('demo.step')).rejects.toMatchObject({ code: 'ILLEGAL_ACTION', detail: { reason: 'AUTOPLAY_RUNNING' } })
    expectBinding(await binding)
    const end = await finished
    expect(end.steps.every((x) => x.status === 'done')).toBe(true)
    expect(sides(end).map((x) => x.status)).toEqual(['DISPUTED', 'DISPUTED'])
    await expect(node.call('demo.autoplay', {})).rejects.toMatchObject({ code: 'ILLEGAL_ACTION', detail: { reason: 'DEMO_FINISHED' } })

    // Pause: with a long pause between steps, autoplay stops after the step that runs.
    await node.call('demo.reset')
    const firstDone = until(node, (s) => s.steps[0]!.status === 'done', 'the first step')
    await node.call('demo.autoplay', { pauseMs: 10_000 })
    await firstDone
    const paused = (await node.call('demo.pause')) as DemoState
    expect(paused.autoplay).toBe(false)
    expect(paused.next).toBe(1)
    const again = (await node.call('demo.step')) as DemoState
    expect(again.next).toBe(2)
  }, 180_000)
})

describe('demo.reset', () => {
  it('three times in a row: fresh peers and keys each time, and no peer, socket, file handle or directory left behind', async () => {
    const root = tempRoot('reset')
    const demo = controller(root)
    const openFds = (): number => fs.readdirSync('/proc/self/fd').length
    // Warm up once: the first session loads modules and starts libuv's thread pool.
    await demo.start()
    await demo.step()
    await demo.stop()
    const baseline = openFds()
    expect(fs.readdirSync(root)).toEqual([])

    const keys = new Set<string>()
    const sessions = new Set<number>()
    let s = await demo.start()
    for (let i = 0; i < 3; i++) {
      s = await demo.step() // identities
      s = await demo.step() // create: a negotiation, feeds, a swarm topic
      s = await demo.step() // join: a connection between the peers
      expect(s.parties.map((p) => p.state?.status)).toEqual(['NEGOTIATING', 'NEGOTIATING'])
      for (const p of s.parties) keys.add(p.publicKey!)
      sessions.add(s.session)
      expect(fs.readdirSync(root).filter((d) => d.startsWith(DEMO_DIR_PREFIX))).toHaveLength(1)
      s = await demo.reset()
      expect(s).toMatchObject({ phase: 'ready', next: 0, negotiation: null, messages: [] })
      expect(s.parties.map((p) => p.publicKey)).toEqual([null, null])
    }
    expect(keys.size).toBe(6) // new keys every time
    expect(sessions.size).toBe(3)
    await demo.stop()
    expect(fs.readdirSync(root)).toEqual([])
    // Sockets (UDP of the DHT, TCP of the swarms), SQLite files and feeds are all closed again.
    expect(openFds()).toBeLessThanOrEqual(baseline)
  }, 180_000)

  it('interrupts a step waiting on the network, and a stopped demo starts again', async () => {
    const demo = controller(tempRoot('interrupt'))
    await demo.start()
    await demo.step()
    await demo.step()
    const join = demo.step()
    const reset = demo.reset()
    const [joined] = await Promise.allSettled([join, reset])
    if (joined.status === 'rejected') expect(joined.reason).toMatchObject({ code: 'CLOSED' })
    const s = demo.state()
    expect(s).toMatchObject({ phase: 'ready', next: 0, busy: false })
  }, 120_000)
})

describe('demo.* params', () => {
  it('refuses malformed params with INVALID_INPUT naming the field, and answers NOT_FOUND before there is a negotiation', async () => {
    const node = await hostNode()
    await expect(node.call('demo.autoplay', { pauseMs: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT', detail: { field: 'pauseMs' } })
    await expect(node.call('demo.autoplay', { pauseMs: 1.5 })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(node.call('demo.autoplay', { speed: 2 })).rejects.toMatchObject({ code: 'INVALID_INPUT', detail: { field: 'speed' } })
    await expect(node.call('demo.envelope', { hash: 'zz' })).rejects.toMatchObject({ code: 'INVALID_INPUT', detail: { field: 'hash' } })
    await expect(node.call('demo.export', { side: 'mallory' })).rejects.toMatchObject({ code: 'INVALID_INPUT', detail: { field: 'side' } })
    await expect(node.call('demo.step', { now: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(await node.call('demo.state')).toMatchObject({ phase: 'stopped', busy: false, next: 0 })
    await expect(node.call('demo.envelope', { hash: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(node.call('demo.export')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await node.call('demo.stop')).toMatchObject({ phase: 'stopped' })
  })
})
