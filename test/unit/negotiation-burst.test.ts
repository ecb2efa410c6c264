/**
 * A burst of ingests in one transaction (NegotiationService.ingestTogether) holds
 * the negotiation row back and writes it once. These tests prove that changes
 * nothing observable: two profiles of one identity, one fed message by message,
 * the other in bursts, end with the same rows, receipts and trust events; a
 * message whose write fails mid-burst leaves the held row as it was.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { sha256Hex } from '../../src-main/core/crypto/hash.js'
import { cleanupPeers, deliver, makePeer, TestClock, type Peer } from '../fixtures/negotiation-peers.js'

afterEach(() => cleanupPeers())

const DAY = 86_400_000

/** Alice and Bob reach BINDING with Carol their (silent) arbiter; returns every envelope in order. */
function bindingRun(clock: TestClock, alice: Peer, bob: Peer, carolKey: string): { id: string; feed: { bytes: Uint8Array; owner: string }[] } {
  const feed: { bytes: Uint8Array; owner: string }[] = []
  const created = alice.service.create({
    title: 'Fence',
    participants: [bob.key],
    arbiters: { keys: [carolKey], threshold: 1 },
    clauses: [{ id: 'amount', title: 'Amount', text: 'Bob pays $500.' }],
    deadline: clock.iso(7 * DAY),
  })
  const id = created.negotiation
  const send = (bytes: Uint8Array, from: Peer, to: Peer): void => {
    feed.push({ bytes, owner: from.key })
    deliver(bytes, from, [to])
  }
  send(created.genesis.bytes, alice, bob)
  clock.tick()
  send(bob.service.join({ negotiation: id, feed: 'ab'.repeat(32) }).bytes, bob, alice)
  let termsHash = ''
  for (let i = 0; i < 5; i++) {
    clock.tick()
    const r = alice.service.offer({ negotiation: id, changes: [{ op: 'set', clause: 'amount', text: `Bob pays $${600 + i}.` }] })
    termsHash = r.state.termsHash
    send(r.bytes, alice, bob)
  }
  clock.tick()
  send(alice.service.accept({ negotiation: id, termsHash }).bytes, alice, bob)
  send(bob.service.accept({ negotiation: id, termsHash }).bytes, bob, alice)
  clock.tick()
  send(alice.service.finalize({ negotiation: id, termsHash }).bytes, alice, bob)
  send(bob.service.finalize({ negotiation: id, termsHash }).bytes, bob, alice)
  expect(alice.service.get(id).status).toBe('BINDING')
  return { id, feed }
}

function rows(peer: Peer): unknown {
  const all = (sql: string): unknown[] => peer.db.prepare(sql).raw().all()
  return {
    negotiations: all('SELECT * FROM negotiations ORDER BY id'),
    participants: all('SELECT * FROM participants ORDER BY negotiation, public_key'),
    locks: all('SELECT * FROM locks ORDER BY negotiation, clause'),
    messages: all('SELECT hash, verdict, reason FROM messages ORDER BY hash'),
    receipts: all('SELECT seq, hash, bytes FROM receipts ORDER BY seq'),
    trust: all('SELECT * FROM trust_events ORDER BY 1'),
  }
}

describe('NegotiationService.ingestTogether holds the row back', () => {
  it('ends with the same rows, receipts and trust events as one ingest at a time', () => {
    const clock = new TestClock()
    const alice = makePeer('alice', clock)
    const bob = makePeer('bob', clock)
    const carolKey = generateKeyPair().secretKey
    const carolOne = makePeer('carol-1', clock, { secretKey: carolKey })
    const carolBurst = makePeer('carol-2', clock, { secretKey: carolKey })
    const { id, feed } = bindingRun(clock, alice, bob, carolOne.key)

    clock.tick()
    for (const e of feed) carolOne.service.ingest(e.bytes, { source: 'remote', feedOwner: e.owner })
    // The same messages in bursts of 4 (one row write each), the GENESIS in the first.
    for (let i = 0; i < feed.length; i += 4) {
      carolBurst.service.ingestTogether(() => {
        for (const e of feed.slice(i, i + 4)) carolBurst.service.ingest(e.bytes, { source: 'remote', feedOwner: e.owner })
      })
    }
    expect(carolBurst.service.get(id).status).toBe('BINDING')
    expect(rows(carolBurst)).toEqual(rows(carolOne))
    // COMPLETION against Alice and Bob, each tied to a receipt, in both.
    expect(carolBurst.db.prepare("SELECT count(*) FROM trust_events WHERE kind = 'COMPLETION'").pluck().get()).toBe(2)
  })

  it('shows the current row to a listener that lists in the middle of a burst', () => {
    const clock = new TestClock()
    const alice = makePeer('alice', clock)
    const bob = makePeer('bob', clock)
    const carol = makePeer('carol', clock)
    const { id, feed } = bindingRun(clock, alice, bob, carol.key)
    const seen: string[] = []
    carol.service.ingestTogether(() => {
      for (const e of feed) {
        carol.service.ingest(e.bytes, { source: 'remote', feedOwner: e.owner })
        seen.push(carol.service.list().find((n) => n.negotiation === id)!.status)
      }
    })
    expect(seen.at(-1)).toBe('BINDING')
    expect(seen).toContain('CONSENSUS_REACHED')
  })

  it('puts the held row back when the last message of a burst fails to store', () => {
    const clock = new TestClock()
    const alice = makePeer('alice', clock)
    const bob = makePeer('bob', clock)
    const carol = makePeer('carol', clock)
    const { id, feed } = bindingRun(clock, alice, bob, carol.key)
    const offers = feed.length - 4 // GENESIS, JOIN, offers; then two ACCEPTs and two FINALIZEs
    for (const e of feed.slice(0, offers - 2)) carol.service.ingest(e.bytes, { source: 'remote', feedOwner: e.owner })

    // The burst's second offer fails to store (inside its own savepoint); the first one stays.
    const lastOffer = sha256Hex(feed[offers - 1]!.bytes)
    carol.db.exec(`CREATE TEMP TRIGGER fail_one BEFORE INSERT ON main.messages WHEN NEW.hash = '${lastOffer}' BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
    const results: string[] = []
    carol.service.ingestTogether(() => {
      for (const e of feed.slice(offers - 2, offers)) {
        try {
          results.push(carol.service.ingest(e.bytes, { source: 'remote', feedOwner: e.owner }).verdict)
        } catch (err) {
          results.push(err instanceof Error && err.message.includes('disk full') ? 'disk full' : String(err))
        }
      }
    })
    carol.db.exec('DROP TRIGGER fail_one')
    expect(results).toEqual(['applied', 'disk full'])
    // The row is the state with the first offer, not the one the failed offer folded to in memory.
    const stored = carol.service.get(id)
    expect(stored.timeline.map((m) => m.hash)).not.toContain(lastOffer)
    expect(carol.db.prepare('SELECT terms_hash FROM negotiations WHERE id = ?').pluck().get(id)).toBe(stored.termsHash)
    expect(carol.service.list().find((n) => n.negotiation === id)?.termsHash).toBe(stored.termsHash)

    // Offered again (as the sync layer does after a failure), everything lands.
    for (const e of feed.slice(offers - 1)) carol.service.ingest(e.bytes, { source: 'remote', feedOwner: e.owner })
    expect(carol.db.prepare('SELECT status FROM negotiations WHERE id = ?').pluck().get(id)).toBe('BINDING')
  })
})
