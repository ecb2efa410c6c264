/**
 * The seed's scenario end to end through separate NegotiationServices, one SQLite
 * file each, envelope bytes handed over by ingest (DESIGN sections 4, 8 and 11).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import type { NegotiationState } from '../../src-main/core/protocol/index.js'
import { TestClock, cleanupPeers, deliver, footprint, makePeer, type Peer } from '../fixtures/negotiation-peers.js'

const DAY = 86_400_000

afterEach(cleanupPeers)

/** What every peer must agree on (timelines and receipts are local). */
function shared(state: NegotiationState): Record<string, unknown> {
  return {
    status: state.status,
    termsHash: state.termsHash,
    clauses: state.clauses,
    accepts: state.accepts,
    finalizers: state.finalizers,
    signers: state.signers,
    bindingHash: state.bindingHash,
    joined: state.joined,
    appeal: state.appeal,
    applied: state.applied,
    rejected: state.rejected,
  }
}

/** One action by `by`, delivered to everyone else; every copy must apply. */
function send(by: Peer, everyone: readonly Peer[], act: () => { bytes: Uint8Array }, clock: TestClock): void {
  clock.tick()
  const { bytes } = act()
  for (const result of deliver(bytes, by, everyone.filter((p) => p !== by))) {
    expect(result.verdict).toBe('applied')
  }
}

function damagesText(amount: number): string {
  return `Bob pays Alice $${amount} in damages for the broken fence.`
}

interface Setup {
  clock: TestClock
  peers: Peer[]
  negotiation: string
}

function start(names: readonly string[], k?: number): Setup {
  const clock = new TestClock()
  const peers = names.map((n) => makePeer(n, clock))
  const [alice, ...others] = peers as [Peer, ...Peer[]]
  const created = alice.service.create({
    title: 'Fence damages',
    participants: others.map((p) => p.key),
    clauses: [
      { id: 'damages', title: 'Damages', text: damagesText(1000) },
      { id: 'deadline', title: 'Payment date', text: 'Paid within 30 days of signing.' },
    ],
    ...(k === undefined ? {} : { requiredConsensus: k }),
    deadline: clock.iso(30 * DAY),
  })
  const negotiation = created.negotiation
  for (const p of others) expect(p.service.ingest(created.genesis.bytes, { feedOwner: alice.key }).verdict).toBe('applied')
  for (const p of others) {
    send(p, peers, () => p.service.join({ negotiation, feed: p.key.replace(/^./, 'f') }), clock)
  }
  for (const p of peers) expect(p.service.get(negotiation).status).toBe('NEGOTIATING')
  return { clock, peers, negotiation }
}

function setDamages(amount: number): { op: 'set'; clause: string; text: string }[] {
  return [{ op: 'set', clause: 'damages', text: damagesText(amount) }]
}

/** Alice offers $500, Bob counters $750; `acceptors` accept and `finalizers` finalize. */
function bargain(s: Setup, acceptors: readonly Peer[], finalizers: readonly Peer[]): void {
  const { clock, peers, negotiation } = s
  const [alice, bob] = peers as [Peer, Peer]
  send(alice, peers, () => alice.service.offer({ negotiation, changes: setDamages(500), note: 'Half, and we move on.' }), clock)
  send(bob, peers, () => bob.service.offer({ negotiation, changes: setDamages(750) }), clock)
  const terms = alice.service.get(negotiation)
  expect(terms.clauses[0]?.text).toBe(damagesText(750))
  for (const p of acceptors) {
    send(p, peers, () => p.service.accept({ negotiation, termsHash: terms.termsHash }), clock)
  }
  for (const p of peers) expect(p.service.get(negotiation).status).toBe('CONSENSUS_REACHED')
  for (const p of finalizers) {
    send(p, peers, () => p.service.finalize({ negotiation, termsHash: terms.termsHash }), clock)
  }
}

function expectAllAgree(s: Setup): NegotiationState {
  const states = s.peers.map((p) => p.service.get(s.negotiation))
  for (const st of states) expect(shared(st)).toEqual(shared(states[0]!))
  return states[0]!
}

/** Binding, then Alice's refused offer, then Alice's dispute; checks each peer's ledger. */
function bindThenDispute(s: Setup, signers: readonly Peer[]): void {
  const { clock, peers, negotiation } = s
  const alice = peers[0]!
  const bound = expectAllAgree(s)
  expect(bound.status).toBe('BINDING')
  expect(bound.signers).toEqual(signers.map((p) => p.key).sort())
  expect(bound.bindingHash).toMatch(/^[0-9a-f]{64}$/)
  for (const p of peers) {
    const { timeline: _timeline, ...live } = p.service.get(negotiation)
    expect(p.service.rebuild(negotiation)).toEqual(live)
  }

  // COMPLETION +0.05 for each other signer, in everyone's ledger.
  for (const observer of peers) {
    for (const signer of signers) {
      if (signer === observer) continue
      expect(observer.service.ledger.score(signer.key)).toBe(0.55)
    }
  }

  // Immutable: refused before signing, nothing stored anywhere.
  clock.tick()
  const before = footprint(alice)
  let refused: unknown
  try {
    alice.service.offer({ negotiation, changes: setDamages(900) })
  } catch (err) {
    refused = err
  }
  expect(refused).toBeInstanceOf(TrustError)
  expect((refused as TrustError).code).toBe('ILLEGAL_ACTION')
  expect((refused as TrustError).detail?.reason).toBe('IMMUTABLE')
  expect(footprint(alice)).toEqual(before)

  // Alice disputes: DISPUTED, the appeal due 7 days after the dispute's time.
  send(alice, peers, () => alice.service.dispute({ negotiation, reason: 'The fence is still broken.' }), clock)
  const disputeTime = clock.t
  const disputed = expectAllAgree(s)
  expect(disputed.status).toBe('DISPUTED')
  expect(disputed.appeal?.status).toBe('OPEN')
  expect(disputed.appeal?.disputedBy).toBe(alice.key)
  expect(Date.parse(disputed.appeal!.due)).toBe(disputeTime + 7 * DAY)
  expect(disputed.bindingHash).toBe(bound.bindingHash)

  // CONFLICT -0.1 against the first other signer, in each observer's ledger.
  for (const observer of peers) {
    const against = bound.signers.find((k) => k !== observer.key)!
    const events = observer.service.ledger.events(against)
    expect(events.map((e) => [e.kind, e.delta])).toEqual([
      ['COMPLETION', 50],
      ['CONFLICT', -100],
    ])
    expect(events.at(-1)?.ref).toBe(disputed.appeal!.dispute)
    expect(observer.service.ledger.verify(against).ok).toBe(true)
  }
  // Alice's ledger: 0.5 + 0.05 - 0.1 for the first other signer (Bob, with two signers), 0.55 for the others.
  const firstOther = bound.signers.find((k) => k !== alice.key)!
  if (signers.length === 2) expect(firstOther).toBe(peers[1]!.key)
  for (const signer of signers.filter((p) => p !== alice)) {
    expect(alice.service.ledger.score(signer.key)).toBe(signer.key === firstOther ? 0.45 : 0.55)
  }
  for (const p of peers) expect(p.receipts.verifyChain().ok).toBe(true)
}

describe('negotiation scenarios through separate services', () => {
  it('two parties: $1000 claimed, $500 offered, $750 countered and agreed, bound, then disputed', () => {
    const s = start(['alice', 'bob'])
    const [alice, bob] = s.peers as [Peer, Peer]
    bargain(s, [alice, bob], [alice, bob])
    const aliceView = alice.service.get(s.negotiation)
    const bobView = bob.service.get(s.negotiation)
    expect(aliceView.bindingHash).toBe(bobView.bindingHash)
    bindThenDispute(s, [alice, bob])
    // Bob's ledger holds the mirror image: Alice completed, then Alice disputed.
    expect(bob.service.ledger.events(alice.key).map((e) => [e.kind, e.scoreAfter])).toEqual([
      ['COMPLETION', 550],
      ['CONFLICT', 450],
    ])
  })

  it('three parties with k = 2: Alice and Bob bind, Carol observes the same binding', () => {
    const s = start(['alice', 'bob', 'carol'], 2)
    const [alice, bob] = s.peers as [Peer, Peer, Peer]
    bargain(s, [alice, bob], [alice, bob])
    bindThenDispute(s, [alice, bob])
  })

  it('five parties with k = 3: three accept, three finalize, all five agree', () => {
    const s = start(['alice', 'bob', 'carol', 'dave', 'erin'], 3)
    const [alice, bob, carol] = s.peers as [Peer, Peer, Peer, Peer, Peer]
    bargain(s, [alice, bob, carol], [alice, bob, carol])
    bindThenDispute(s, [alice, bob, carol])
  })

  it('rebuild from the stored envelopes equals the live state after a long mixed scenario', () => {
    const s = start(['alice', 'bob', 'carol'], 2)
    const { clock, peers, negotiation } = s
    const [alice, bob, carol] = peers as [Peer, Peer, Peer]
    for (let round = 0; round < 6; round++) {
      send(alice, peers, () => alice.service.offer({ negotiation, changes: setDamages(400 + round * 50) }), clock)
      send(bob, peers, () => bob.service.offer({ negotiation, changes: setDamages(900 - round * 25) }), clock)
      const { termsHash } = carol.service.get(negotiation)
      send(carol, peers, () => carol.service.accept({ negotiation, termsHash }), clock)
    }
    send(alice, peers, () => alice.service.lock({ negotiation, clause: 'deadline' }), clock)
    send(bob, peers, () => bob.service.lock({ negotiation, clause: 'deadline' }), clock)
    expect(alice.service.get(negotiation).lockedClauses).toEqual(['deadline'])
    send(carol, peers, () => carol.service.offer({ negotiation, changes: [{ op: 'add', clause: 'apology', title: 'Apology', text: 'Bob apologises in writing.' }] }), clock)
    // Concurrent offers on the same terms: one applies, the other is SUPERSEDED everywhere.
    clock.tick()
    const a = alice.service.offer({ negotiation, changes: setDamages(600) })
    const b = bob.service.offer({ negotiation, changes: setDamages(650) })
    // Which one wins depends on (lamport, hash), not on arrival: Bob may already hold his own.
    const early = deliver(a.bytes, alice, [bob, carol])
    const late = deliver(b.bytes, bob, [alice, carol])
    const agreed = expectAllAgree(s)
    const winner = agreed.clauses.find((c) => c.id === 'damages')!.text
    expect([damagesText(600), damagesText(650)]).toContain(winner)
    expect(agreed.rejected.map((r) => r.reason)).toContain('SUPERSEDED')
    expect([...early, ...late].every((r) => r.verdict === 'applied' || r.reason === 'SUPERSEDED')).toBe(true)
    const { termsHash } = agreed
    send(alice, peers, () => alice.service.accept({ negotiation, termsHash }), clock)
    send(carol, peers, () => carol.service.accept({ negotiation, termsHash }), clock)
    send(bob, peers, () => bob.service.withdraw({ negotiation, reason: 'Out.' }), clock)
    send(alice, peers, () => alice.service.finalize({ negotiation, termsHash }), clock)
    send(carol, peers, () => carol.service.finalize({ negotiation, termsHash }), clock)
    const final = expectAllAgree(s)
    expect(final.status).toBe('BINDING')
    expect(final.signers).toEqual([alice.key, carol.key].sort())
    for (const p of peers) {
      const { timeline, ...live } = p.service.get(negotiation)
      expect(timeline.length).toBe(live.applied.length + live.rejected.length)
      expect(p.service.rebuild(negotiation)).toEqual(live)
    }
  })

  it('an arbiter decides a dispute: RESOLVED with the outcome on every side', () => {
    const clock = new TestClock()
    const [alice, bob, judge] = ['alice', 'bob', 'judge'].map((n) => makePeer(n, clock)) as [Peer, Peer, Peer]
    const created = alice.service.create({
      title: 'Bike sale',
      participants: [bob.key],
      clauses: [{ id: 'price', title: 'Price', text: 'Bob buys the bike for $200.' }],
      deadline: clock.iso(10 * DAY),
      arbiters: { keys: [judge.key], threshold: 1 },
      appealWindowDays: 3,
    })
    const negotiation = created.negotiation
    const everyone = [alice, bob, judge]
    for (const p of [bob, judge]) expect(p.service.ingest(created.genesis.bytes, { feedOwner: alice.key }).verdict).toBe('applied')
    send(bob, everyone, () => bob.service.join({ negotiation, feed: 'b'.repeat(64) }), clock)
    send(judge, everyone, () => judge.service.join({ negotiation, feed: 'c'.repeat(64) }), clock)
    const { termsHash } = alice.service.get(negotiation)
    for (const p of [alice, bob]) send(p, everyone, () => p.service.accept({ negotiation, termsHash }), clock)
    for (const p of [alice, bob]) send(p, everyone, () => p.service.finalize({ negotiation, termsHash }), clock)
    send(bob, everyone, () => bob.service.dispute({ negotiation, reason: 'The bike has no brakes.' }), clock)
    send(judge, everyone, () => judge.service.decide({ negotiation, outcome: 'upheld', remedy: 'Alice refunds $50.' }), clock)
    const states = everyone.map((p) => p.service.get(negotiation))
    for (const st of states) {
      expect(st.status).toBe('RESOLVED')
      expect(st.appeal?.outcome).toBe('upheld')
      expect(st.appeal?.remedy).toBe('Alice refunds $50.')
    }
    expect(alice.service.feedsOf(negotiation)).toEqual(new Map([[bob.key, 'b'.repeat(64)], [judge.key, 'c'.repeat(64)]]))
    expect(judge.service.isMember(negotiation, judge.key)).toBe(true)
    // The judge observed a binding between Alice and Bob, then Bob's dispute against the first other signer.
    expect(judge.service.ledger.score(alice.key)).toBe([alice.key, bob.key].sort()[0] === alice.key ? 0.45 : 0.55)
  })
})
