/**
 * Feeds propagate through any connected participant (DESIGN section 5): A and C
 * never connect (each firewalls the other's swarm key), yet converge through B,
 * which holds and re-serves both feeds. C starts with the invite alone.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { appendNotes, holds, joinFromInvite, startNegotiation, SyncWorld, waitFor } from '../fixtures/sync-peers.js'

let world: SyncWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 30_000)

describe('three peers, A and C never connected', () => {
  it('converge through B', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const b = await world.peer('b')
    const c = await world.peer('c')
    a.blocked.add(c.replicator.swarmKey)
    c.blocked.add(a.replicator.swarmKey)

    const { id, invite } = await startNegotiation(a, [b], [c.signer.publicKey])
    await waitFor(() => b.host.isMember(id, a.signer.publicKey), 'b to have GENESIS')
    await joinFromInvite(c, invite)
    await appendNotes(a, id, 1, 3, 'a')
    await appendNotes(b, id, 1, 3, 'b')
    await appendNotes(c, id, 1, 3, 'c')

    await waitFor(
      () => holds(c, id, a, 4) && holds(a, id, c, 4) && holds(a, id, b, 4) && holds(c, id, b, 4) && holds(b, id, a, 4) && holds(b, id, c, 4),
      'all three feeds everywhere',
    )
    // The firewall held: A and C only ever saw B.
    expect(a.replicator.peers().map((p) => p.identity)).toEqual([b.signer.publicKey])
    expect(c.replicator.peers().map((p) => p.identity)).toEqual([b.signer.publicKey])
    // A learned C's feed from the attestation B relayed, bound to C (the host got owner = C).
    expect(a.host.entriesOf(id, c.signer.publicKey).every((e) => e.feedKey === c.replicator.ownFeedKey(id))).toBe(true)
    for (const p of [a, b, c]) {
      expect(p.host.rejected).toEqual([])
      expect(p.host.misbehavior).toEqual([])
    }
  }, 90_000)
})
