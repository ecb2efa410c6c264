/**
 * Hostile members (DESIGN section 5): an oversized entry, a feed past its length
 * limit and a flood over the token bucket each get the writer disconnected and
 * MISBEHAVIOR recorded; its excess entries never reach the host, and honest
 * peers still converge. The hostile peer is a real replicator with lax limits.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { makeEntry } from '../fixtures/sync-host.js'
import { appendNotes, holds, startNegotiation, SyncWorld, waitFor, type TestPeer } from '../fixtures/sync-peers.js'
import type { RejectedPeerEvent } from '../../src-main/core/sync/index.js'

let world: SyncWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 30_000)

const LAX = { maxEntryBytes: 1_000_000, maxFeedLength: 1_000_000, entryBurst: 1_000_000, entriesPerSecond: 1_000_000 }

function seqsOf(peer: TestPeer, id: string, author: TestPeer): number[] {
  return peer.host
    .entriesOf(id, author.signer.publicKey)
    .map((e) => e.seq)
    .sort((x, y) => x - y)
}

function code(reason: string): string {
  return reason.split(':')[0] ?? ''
}

describe('limits on incoming entries', () => {
  it('an oversized entry is not ingested and its writer is disconnected', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const m = await world.peer('m', { limits: LAX })
    const rejected: RejectedPeerEvent[] = []
    a.replicator.on('rejected-peer', (e) => rejected.push(e))
    const { id } = await startNegotiation(a, [m])
    await waitFor(() => holds(a, id, m, 1), "a to have m's JOIN")

    const big = makeEntry(m.signer, { negotiation: id, seq: 1, type: 'NOTE', body: { text: 'x'.repeat(100 * 1024) } })
    expect(big.length).toBeGreaterThan(64 * 1024)
    await m.replicator.append(id, big)
    await appendNotes(m, id, 2, 2)

    await waitFor(() => a.host.misbehavior.length > 0 && rejected.length > 0, 'the oversized entry to be caught')
    expect(a.host.misbehavior[0]).toMatchObject({ peer: m.signer.publicKey, negotiation: id })
    expect(code(a.host.misbehavior[0]?.reason ?? '')).toBe('ENTRY_TOO_LARGE')
    expect(rejected[0]).toMatchObject({ identity: m.signer.publicKey, negotiation: id })
    expect(seqsOf(a, id, m)).toEqual([0]) // nothing at or past the oversized entry
    await waitFor(() => a.replicator.peers().length === 0, 'm to be gone')
  }, 60_000)

  it('entries past the maximum feed length are ignored', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a', { limits: { maxFeedLength: 4 } })
    const m = await world.peer('m', { limits: LAX })
    const { id } = await startNegotiation(a, [m])
    await appendNotes(m, id, 1, 7)

    await waitFor(() => a.host.misbehavior.length > 0, 'the long feed to be caught')
    expect(code(a.host.misbehavior[0]?.reason ?? '')).toBe('FEED_TOO_LONG')
    expect(a.host.misbehavior[0]?.peer).toBe(m.signer.publicKey)
    expect(seqsOf(a, id, m)).toEqual([0, 1, 2, 3])
  }, 60_000)

  it('a flood over the token bucket disconnects the flooder while honest peers converge', async () => {
    world = await SyncWorld.create()
    const strict = { entryBurst: 40, entriesPerSecond: 1 }
    const a = await world.peer('a', { limits: strict })
    const b = await world.peer('b', { limits: strict })
    const m = await world.peer('m', { limits: LAX })
    const { id } = await startNegotiation(a, [b, m])
    await waitFor(() => holds(a, id, b, 1) && holds(a, id, m, 1) && holds(b, id, m, 1), 'everyone joined')

    const FLOOD = 400
    await appendNotes(m, id, 1, FLOOD, 'flood')
    await appendNotes(a, id, 1, 5, 'a')
    await appendNotes(b, id, 1, 5, 'b')

    await waitFor(() => a.host.misbehavior.length > 0 && b.host.misbehavior.length > 0, 'both honest peers to catch the flood')
    for (const honest of [a, b]) {
      expect(honest.host.misbehavior[0]).toMatchObject({ peer: m.signer.publicKey, negotiation: id })
      expect(code(honest.host.misbehavior[0]?.reason ?? '')).toBe('RATE_LIMITED')
    }
    await waitFor(() => holds(a, id, b, 6) && holds(b, id, a, 6), 'honest peers to converge')
    await waitFor(() => !a.replicator.peers().some((p) => p.identity === m.signer.publicKey), 'm dropped by a')
    for (const honest of [a, b]) {
      const got = seqsOf(honest, id, m)
      expect(got.length).toBeLessThan(FLOOD) // the excess never reached the host...
      expect(got).toEqual(got.map((_, i) => i)) // ...and what did is a prefix, in feed order
      expect(honest.host.rejected).toEqual([])
      expect(honest.host.misbehavior.every((e) => e.peer === m.signer.publicKey)).toBe(true) // relays are never blamed
    }
  }, 90_000)
})
