/**
 * What a peer remembers across restarts and interruptions (DESIGN sections 5
 * and 6): a join whose GENESIS has not arrived goes on after a restart; a
 * negotiation whose topic secret was never stored (a crash right after create)
 * is adopted with a fresh one; a locked identity takes the peer offline without
 * losing what others sent meanwhile.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src-main/core/store/database.js'
import { CLAIM_CLAUSES, inDays, PeerWorld, waitFor } from '../fixtures/peer-world.js'

let world: PeerWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 60_000)

describe('peer recovery', () => {
  it('a join started while the creator is offline completes by itself, across a restart', async () => {
    world = await PeerWorld.create()
    const alice = await world.peer('alice')
    const bob = await world.peer('bob', { joinTimeoutMs: 2_000 })
    const x = await alice.peer.create({ title: 'Claim', participants: [bob.publicKey], clauses: CLAIM_CLAUSES, deadline: inDays(30) })
    await world.stop(alice)

    await expect(bob.peer.join(x.invite)).rejects.toMatchObject({ code: 'NETWORK' })
    expect(bob.peer.list()).toEqual([]) // nothing arrived, nothing invented
    await world.restart(bob) // the pending join is on disk
    await world.reopen(alice)

    await waitFor(() => bob.peer.list().length === 1 && bob.peer.get(x.negotiation).status === 'NEGOTIATING', "Bob's JOIN after the restart")
    await waitFor(() => alice.peer.get(x.negotiation).status === 'NEGOTIATING', "Bob's JOIN at Alice")
    // A second join of the same invite is a no-op, not a second JOIN.
    expect((await bob.peer.join(x.invite)).status).toBe('NEGOTIATING')
    expect(alice.peer.get(x.negotiation).timeline.filter((m) => m.type === 'JOIN')).toHaveLength(1)
  }, 120_000)

  it('a negotiation created just before a crash, its topic secret lost, is adopted with a fresh invite', async () => {
    world = await PeerWorld.create()
    const alice = await world.peer('alice')
    const bob = await world.peer('bob')
    const x = await alice.peer.create({ title: 'Claim', participants: [bob.publicKey], clauses: CLAIM_CLAUSES, deadline: inDays(30) })
    await world.stop(alice)
    // The state a crash between the service's commit and the peer's record leaves.
    const raw = openDatabase(`${alice.dir}/profile.db`)
    expect(raw.prepare('DELETE FROM peer_negotiations WHERE negotiation = ?').run(x.negotiation).changes).toBe(1)
    raw.close()
    await world.reopen(alice)

    const invite = alice.peer.invite(x.negotiation)
    expect(invite).not.toBe(x.invite) // a new topic secret
    await bob.peer.join(invite)
    await waitFor(() => alice.peer.get(x.negotiation).status === 'NEGOTIATING', "Bob's JOIN")
  }, 120_000)

  it('locking the identity takes the peer offline; after unlock a new peer ingests what arrived meanwhile', async () => {
    world = await PeerWorld.create()
    const alice = await world.peer('alice')
    const bob = await world.peer('bob')
    const x = await alice.peer.create({ title: 'Claim', participants: [bob.publicKey], clauses: CLAIM_CLAUSES, deadline: inDays(30) })
    await bob.peer.join(x.invite)
    await waitFor(() => alice.peer.get(x.negotiation).status === 'NEGOTIATING', 'joined')

    const closed = new Promise<{ reason: string }>((resolve) => alice.peer.once('closed', resolve))
    alice.identity.lock()
    expect(await closed).toEqual({ reason: 'LOCKED' })
    await expect(alice.peer.offer({ negotiation: x.negotiation, changes: [{ op: 'set', clause: 'amount', text: 'x' }] })).rejects.toMatchObject({
      code: 'CLOSED',
    })
    const offer = await bob.peer.offer({ negotiation: x.negotiation, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $300.' }] })

    // The owner of the peer (the node) opens a new one on unlock.
    await alice.peer.close()
    alice.identity.close()
    alice.db.close()
    await world.reopen(alice)
    expect(alice.identity.status().unlocked).toBe(true)
    await waitFor(() => alice.peer.get(x.negotiation).applied.includes(offer.hash), "Bob's offer at Alice")
    expect(alice.peer.get(x.negotiation).rejected).toEqual([])
  }, 120_000)
})
