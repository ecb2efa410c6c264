/**
 * Two createNode() peers in one process over a real local DHT (shared Network),
 * real SQLite profiles, real scrypt and signatures: the whole TrustApi flow to
 * BINDING through node.call, the refusals (INVALID_INPUT naming the field,
 * STALE_TERMS, IMMUTABLE after binding) leaving state unchanged, export and
 * verification, receipts, events, metrics and the log lines.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NegotiationState, TrustEvent } from '../../src-main/api.js'
import { createNode, type TrustNode } from '../../src-main/core/node.js'
import { TrustError } from '../../src-main/core/errors.js'
import { createNetwork, type Network } from '../../src-main/core/sync/index.js'
import { verifyBundle } from '../../src-main/core/bundle/verify-bundle.js'
import { eventually } from '../fixtures/wait.js'

const PASS = 'a long enough passphrase'

async function refusal(p: Promise<unknown>): Promise<TrustError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(TrustError)
  return err as TrustError
}

const get = (node: TrustNode, negotiation: string) => node.call('negotiations.get', { negotiation }) as Promise<NegotiationState>

describe('createNode: two peers through the whole TrustApi', () => {
  let dir: string
  let network: Network
  let alice: TrustNode
  let bob: TrustNode
  const aliceEvents: TrustEvent[] = []
  let aliceKey: string
  let bobKey: string
  let negotiation: string

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-node-'))
    network = await createNetwork('local')
    alice = await createNode({ profileDir: path.join(dir, 'alice'), network, logLevel: 'info' })
    bob = await createNode({ profileDir: path.join(dir, 'bob'), network, logLevel: 'info' })
    alice.on((e) => aliceEvents.push(e))
    aliceKey = ((await alice.call('identity.create', { name: 'Alice', passphrase: PASS })) as { publicKey: string }).publicKey
    bobKey = ((await bob.call('identity.create', { name: 'Bob', passphrase: PASS })) as { publicKey: string }).publicKey
  }, 60_000)

  afterAll(async () => {
    await alice?.close()
    await bob?.close()
    await network?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('a second node on the same profile is refused with PROFILE_LOCKED', async () => {
    const err = await refusal(createNode({ profileDir: path.join(dir, 'alice'), network }))
    expect(err.code).toBe('PROFILE_LOCKED')
    expect(((await alice.call('identity.status')) as { unlocked: boolean }).unlocked).toBe(true)
  })

  it('exchanges contact cards; a bad card is BAD_CONTACT and adds nothing', async () => {
    const { card: aliceCard } = (await alice.call('contacts.myCard')) as { card: string }
    const { card: bobCard } = (await bob.call('contacts.myCard')) as { card: string }
    expect((await alice.call('contacts.add', { card: bobCard })) as object).toMatchObject({ publicKey: bobKey, name: 'Bob', score: 0.5 })
    await bob.call('contacts.add', { card: aliceCard, name: 'Alice (work)' })
    const tampered = `${bobCard.slice(0, -2)}${bobCard.endsWith('A') ? 'B' : 'A'}${bobCard.slice(-1)}`
    expect((await refusal(alice.call('contacts.add', { card: tampered }))).code).toBe('BAD_CONTACT')
    expect((await alice.call('contacts.list')) as unknown[]).toHaveLength(1)
    expect((await bob.call('contacts.list')) as { name: string }[]).toEqual([expect.objectContaining({ publicKey: aliceKey, name: 'Alice (work)' })])
  })

  it('refuses malformed params with INVALID_INPUT naming the field, creating nothing', async () => {
    const base = { title: 'Damages', participants: [bobKey], clauses: [{ id: 'amount', title: 'Amount', text: '$1000' }] }
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base }, 'deadline'],
      [{ ...base, deadline: '2030-01-01' }, 'deadline'],
      [{ ...base, deadline: '2030-01-01T00:00:00.000Z', participants: 'bob' }, 'participants'],
      [{ ...base, deadline: '2030-01-01T00:00:00.000Z', participants: ['BOB'] }, 'participants[0]'],
      [{ ...base, deadline: '2030-01-01T00:00:00.000Z', clauses: [{ id: 'a', title: 'A' }] }, 'clauses[0].text'],
      [{ ...base, deadline: '2030-01-01T00:00:00.000Z', requiredConsensus: 1.5 }, 'requiredConsensus'],
      [{ ...base, deadline: '2030-01-01T00:00:00.000Z', surprise: true }, 'surprise'],
    ]
    for (const [params, field] of cases) {
      const err = await refusal(alice.call('negotiations.create', params))
      expect(err.code, field).toBe('INVALID_INPUT')
      expect(err.message).toContain(field)
    }
    expect(await alice.call('negotiations.list')).toEqual([])
    expect((await refusal(alice.call('negotiations.get', { negotiation: 'nope' }))).code).toBe('INVALID_INPUT')
    expect((await refusal(alice.call('identity.explode'))).code).toBe('INVALID_INPUT')
  })

  it('creates, joins by invite, offers, counters, locks a clause, accepts and finalizes to BINDING on both', async () => {
    const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString()
    const created = (await alice.call('negotiations.create', {
      title: 'Damages claim',
      participants: [bobKey],
      clauses: [
        { id: 'amount', title: 'Amount', text: 'Bob pays Alice $1000' },
        { id: 'venue', title: 'Venue', text: 'Disputes go to the arbiter' },
      ],
      deadline,
    })) as { negotiation: string; invite: string }
    negotiation = created.negotiation
    expect(created.invite.startsWith('trust:join/')).toBe(true)
    expect(((await alice.call('negotiations.invite', { negotiation })) as { invite: string }).invite).toBe(created.invite)
    expect(await bob.call('negotiations.join', { invite: created.invite })).toEqual({ negotiation })

    await eventually(async () => ((await get(alice, negotiation)).status === 'NEGOTIATING' ? true : undefined), 'Alice sees Bob join')
    await eventually(async () => ((await get(bob, negotiation)).status === 'NEGOTIATING' ? true : undefined), 'Bob negotiating')

    await alice.call('negotiations.offer', { negotiation, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $500' }] })
    const afterOffer = await eventually(async () => {
      const s = await get(bob, negotiation)
      return s.clauses[0]?.text.includes('$500') ? s : undefined
    }, 'Bob sees the offer')
    const counter = (await bob.call('negotiations.offer', {
      negotiation,
      changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $750' }],
      note: 'counter',
    })) as { hash: string; state: NegotiationState }
    expect(counter.state.termsHash).not.toBe(afterOffer.termsHash)

    // Alice read the $500 terms: accepting them now that Bob countered is STALE_TERMS, and nothing is signed.
    await eventually(async () => ((await get(alice, negotiation)).clauses[0]?.text.includes('$750') ? true : undefined), 'Alice sees the counter')
    const before = await get(alice, negotiation)
    const stale = await refusal(alice.call('negotiations.accept', { negotiation, termsHash: afterOffer.termsHash }))
    expect(stale.code).toBe('STALE_TERMS')
    expect((await get(alice, negotiation)).timeline).toHaveLength(before.timeline.length)

    await alice.call('negotiations.lock', { negotiation, clause: 'venue' })
    await bob.call('negotiations.lock', { negotiation, clause: 'venue' })
    const locked = await eventually(async () => {
      const s = await get(alice, negotiation)
      return s.lockedClauses.includes('venue') ? s : undefined
    }, 'venue locked')
    const touchLocked = await refusal(alice.call('negotiations.offer', { negotiation, changes: [{ op: 'set', clause: 'venue', text: 'Court' }] }))
    expect(touchLocked.code).toBe('ILLEGAL_ACTION')

    const terms = locked.termsHash
    await eventually(async () => ((await get(bob, negotiation)).lockedClauses.includes('venue') ? true : undefined), 'Bob sees the lock')
    await alice.call('negotiations.accept', { negotiation, termsHash: terms })
    await bob.call('negotiations.accept', { negotiation, termsHash: terms })
    await eventually(async () => ((await get(alice, negotiation)).status === 'CONSENSUS_REACHED' ? true : undefined), 'consensus at Alice')
    await eventually(async () => ((await get(bob, negotiation)).status === 'CONSENSUS_REACHED' ? true : undefined), 'consensus at Bob')
    await alice.call('negotiations.finalize', { negotiation, termsHash: terms })
    await bob.call('negotiations.finalize', { negotiation, termsHash: terms })
    const a = await eventually(async () => {
      const s = await get(alice, negotiation)
      return s.status === 'BINDING' ? s : undefined
    }, 'BINDING at Alice')
    const b = await eventually(async () => {
      const s = await get(bob, negotiation)
      return s.status === 'BINDING' ? s : undefined
    }, 'BINDING at Bob')
    expect(a.bindingHash).toMatch(/^[0-9a-f]{64}$/)
    expect(b.bindingHash).toBe(a.bindingHash)
    expect(a.signers).toEqual([aliceKey, bobKey].sort())
    expect(a.timeline.every((m) => m.verdict === 'applied')).toBe(true)

    // After BINDING the terms are immutable: refused before signing, state unchanged.
    const immutable = await refusal(alice.call('negotiations.offer', { negotiation, changes: [{ op: 'set', clause: 'amount', text: '$1' }] }))
    expect(immutable.code).toBe('ILLEGAL_ACTION')
    expect(immutable.message).toContain('IMMUTABLE')
    expect(await get(alice, negotiation)).toEqual(a)
  }, 180_000)

  it('lists, exports a bundle that verifies offline, renders the certificate', async () => {
    const list = (await alice.call('negotiations.list')) as { negotiation: string; status: string }[]
    expect(list).toEqual([expect.objectContaining({ negotiation, status: 'BINDING', title: 'Damages claim' })])
    const bundle = (await alice.call('negotiations.export', { negotiation })) as { claimed: { bindingHash: string }; names: Record<string, string> }
    expect(bundle.names[bobKey]).toBe('Bob')
    const report = verifyBundle(JSON.stringify(bundle))
    expect(report.valid).toBe(true)
    expect(report.bindingHash).toBe(bundle.claimed.bindingHash)
    const viaApi = (await bob.call('bundles.verify', { bundle: JSON.stringify(bundle) })) as { valid: boolean; status: string }
    expect(viaApi).toMatchObject({ valid: true, status: 'BINDING' })
    const forged = JSON.stringify(bundle).replace('Bob pays Alice $750', 'Bob pays Alice $7')
    expect((await bob.call('bundles.verify', { bundle: forged })) as object).toMatchObject({ valid: false })
    const { html } = (await alice.call('negotiations.certificate', { negotiation })) as { html: string }
    expect(html).toContain(bundle.claimed.bindingHash)
  })

  it('keeps a signed receipt chain that verifies, checkpoints and proves inclusion', async () => {
    const receipts = (await alice.call('receipts.list', { limit: 1000 })) as { seq: number; action: string; negotiation: string | null }[]
    expect(receipts.length).toBeGreaterThan(5)
    expect(receipts.map((r) => r.seq)).toEqual(receipts.map((_, i) => i))
    expect(receipts.some((r) => r.action === 'negotiation.finalize' && r.negotiation === negotiation)).toBe(true)
    expect((await alice.call('receipts.verify')) as object).toMatchObject({ ok: true, count: receipts.length })
    const { note } = (await alice.call('receipts.checkpoint')) as { note: string }
    expect(note.startsWith(`trust-primitive/receipts/${aliceKey}\n${receipts.length}\n`)).toBe(true)
    const proof = (await alice.call('receipts.proof', { seq: 2 })) as { receipt: { seq: number }; treeSize: number; checkpoint: string }
    expect(proof.receipt.seq).toBe(2)
    expect(proof.treeSize).toBe(receipts.length)
  })

  it('reports peers, events, metrics and log lines', async () => {
    const status = (await alice.call('network.status')) as { mode: string; peers: { publicKey: string; negotiations: string[] }[] }
    expect(status.mode).toBe('local')
    expect(status.peers).toEqual([{ publicKey: bobKey, negotiations: [negotiation] }])
    expect(aliceEvents.some((e) => e.type === 'negotiation' && e.status === 'BINDING')).toBe(true)
    expect(aliceEvents.some((e) => e.type === 'message' && e.author === bobKey && e.messageType === 'FINALIZE')).toBe(true)
    expect(aliceEvents.some((e) => e.type === 'peer' && e.publicKey === bobKey && e.connected)).toBe(true)
    const metrics = await alice.metrics.text()
    expect(metrics).toMatch(/trust_negotiations_created_total 1/)
    expect(metrics).toMatch(/trust_state_transitions_total\{from="CONSENSUS_REACHED",to="BINDING"\} 1/)
    expect(metrics).toMatch(/trust_time_to_binding_seconds_count 1/)
    const log = fs.readFileSync(path.join(alice.paths.dir, 'logs', 'trust.log'), 'utf8')
    const lines = log.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.some((l) => l.msg === 'state transition' && l.negotiation === negotiation && l.to === 'BINDING')).toBe(true)
    expect(lines.some((l) => l.msg === 'peer connected' && l.peer === bobKey)).toBe(true)
    expect(log).not.toContain(PASS)
  })

  it('locks: the peer stops, actions are LOCKED, reads still work; unlock brings it back', async () => {
    await bob.call('identity.lock')
    expect((await refusal(bob.call('negotiations.offer', { negotiation, changes: [] }))).code).toBe('LOCKED')
    expect((await get(bob, negotiation)).status).toBe('BINDING')
    expect(((await bob.call('negotiations.invite', { negotiation })) as { invite: string }).invite.startsWith('trust:join/')).toBe(true)
    expect((await bob.call('receipts.verify')) as object).toMatchObject({ ok: true })
    await bob.call('identity.unlock', { passphrase: PASS })
    await bob.call('negotiations.dispute', { negotiation, reason: 'the venue clause was misread' })
    const disputed = await eventually(async () => {
      const s = await get(alice, negotiation)
      return s.status === 'DISPUTED' ? s : undefined
    }, 'Alice sees the dispute')
    expect(disputed.appeal).toMatchObject({ status: 'OPEN' })
    const events = (await alice.call('contacts.trustEvents', { publicKey: bobKey })) as { type: string; score: number }[]
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['COMPLETION', 'CONFLICT']))
    const [contact] = (await alice.call('contacts.list')) as { score: number }[]
    expect(contact?.score).toBe(events[events.length - 1]?.score)
  }, 120_000)
})
