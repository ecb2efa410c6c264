/**
 * The peer's SyncHost hands a burst of feed entries to the service in one
 * transaction (one fsync); a rejected entry does not stop the burst, an entry
 * the host cannot process (locked identity) stops it and is offered again.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ServiceSyncHost } from '../../src-main/core/peer/sync-host.js'
import { PeerRecords } from '../../src-main/core/peer/peer-records.js'
import type { IngestEntry } from '../../src-main/core/sync/sync-host.js'
import { cleanupPeers, deliver, makePeer, TestClock, type Peer } from '../fixtures/negotiation-peers.js'

afterEach(() => cleanupPeers())

function hostOf(peer: Peer, clock: TestClock): ServiceSyncHost {
  return new ServiceSyncHost({
    db: peer.db,
    records: new PeerRecords(peer.db),
    ingest: (bytes, o) => peer.service.ingest(bytes, o),
    together: (run) => peer.service.ingestTogether(run),
    now: clock.now,
  })
}

/** Alice opens a negotiation with Bob, Bob has it and joined; then Alice makes `n` offers. */
function setup(n: number): { clock: TestClock; alice: Peer; bob: Peer; id: string; entries: IngestEntry[] } {
  const clock = new TestClock()
  const alice = makePeer('alice', clock)
  const bob = makePeer('bob', clock)
  const created = alice.service.create({
    title: 'Fence',
    participants: [bob.key],
    clauses: [{ id: 'amount', title: 'Amount', text: 'Bob pays $500.' }],
    deadline: clock.iso(7 * 86_400_000),
  })
  deliver(created.genesis.bytes, alice, [bob])
  deliver(bob.service.join({ negotiation: created.negotiation, feed: 'ab'.repeat(32) }).bytes, bob, [alice])
  const entries: IngestEntry[] = []
  for (let i = 0; i < n; i++) {
    clock.tick()
    const r = alice.service.offer({ negotiation: created.negotiation, changes: [{ op: 'set', clause: 'amount', text: `Bob pays $${600 + i}.` }] })
    entries.push({ negotiation: created.negotiation, owner: alice.key, feedKey: 'cd'.repeat(32), index: i + 1, bytes: r.bytes })
  }
  return { clock, alice, bob, id: created.negotiation, entries }
}

describe('ServiceSyncHost.ingestBatch', () => {
  it('stores a burst in one transaction; a rejected entry does not stop it', () => {
    const { clock, alice, bob, id, entries } = setup(5)
    const garbage: IngestEntry = { ...entries[0]!, index: 99, bytes: new TextEncoder().encode('{"not":"an envelope"}') }
    const verdicts = hostOf(bob, clock).ingestBatch([entries[0]!, garbage, ...entries.slice(1)])
    expect(verdicts.map((v) => v.accepted)).toEqual([true, false, true, true, true, true])
    expect(verdicts.some((v) => v.retry === true)).toBe(false)
    expect(bob.service.get(id).termsHash).toBe(alice.service.get(id).termsHash)
    // One receipt per stored envelope, and the chain still verifies.
    expect(bob.receipts.verifyChain().ok).toBe(true)
    expect(bob.db.prepare('SELECT count(*) FROM messages WHERE negotiation = ?').pluck().get(id)).toBe(7)
  })

  it('stops at an entry it cannot process (locked), keeping what came before and storing nothing after', () => {
    const { clock, alice, bob, id, entries } = setup(3)
    const host = hostOf(bob, clock)
    const count = (): unknown => bob.db.prepare('SELECT count(*) FROM messages WHERE negotiation = ?').pluck().get(id)
    expect(host.ingestBatch(entries.slice(0, 1))[0]!.accepted).toBe(true)
    bob.locked = true
    const verdicts = host.ingestBatch(entries.slice(1))
    expect(verdicts).toHaveLength(1)
    expect(verdicts[0]).toMatchObject({ accepted: false, reason: 'LOCKED', retry: true })
    expect(count()).toBe(3)
    bob.locked = false
    expect(host.ingestBatch(entries.slice(1)).map((v) => v.accepted)).toEqual([true, true])
    expect(count()).toBe(5)
    expect(bob.service.rebuild(id).termsHash).toBe(alice.service.get(id).termsHash)
    expect(bob.receipts.verifyChain().ok).toBe(true)
  })
})
