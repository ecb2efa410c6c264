/** Two peers on a real local DHT replicate a negotiation both ways (DESIGN section 5). */
import { afterEach, describe, expect, it } from 'vitest'
import { appendNotes, holds, startNegotiation, SyncWorld, waitFor } from '../fixtures/sync-peers.js'

let world: SyncWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 30_000)

describe('replication between two peers', () => {
  it('a joiner with only the invite gets GENESIS, and entries flow both ways', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const b = await world.peer('b')
    const { id } = await startNegotiation(a, [b])

    // b knew nothing but the invite: it learns the members from a's GENESIS.
    await waitFor(() => b.host.isMember(id, a.signer.publicKey), 'b to learn the members from GENESIS')
    await appendNotes(a, id, 1, 5, 'from a')
    await appendNotes(b, id, 1, 5, 'from b')

    await waitFor(() => holds(b, id, a, 6) && holds(a, id, b, 6), 'both feeds on both sides')
    expect(b.host.entriesOf(id, a.signer.publicKey).map((e) => e.seq).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5])
    expect(a.host.entriesOf(id, b.signer.publicKey).map((e) => e.type)).toEqual(['JOIN', 'NOTE', 'NOTE', 'NOTE', 'NOTE', 'NOTE'])
    // a learned b's feed from b's hello; b's JOIN names the same feed.
    expect(a.host.feedsOf(id).get(b.signer.publicKey)).toBe(b.replicator.ownFeedKey(id))
    expect(a.replicator.peers().map((p) => p.identity)).toEqual([b.signer.publicKey])
    expect(b.replicator.peers().map((p) => p.identity)).toEqual([a.signer.publicKey])
    expect(a.host.rejected).toEqual([])
    expect(b.host.rejected).toEqual([])
    expect(a.host.misbehavior.concat(b.host.misbehavior)).toEqual([])
  }, 60_000)

  it('entries the host cannot process yet (locked) are offered again later, none skipped', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const b = await world.peer('b')
    const { id } = await startNegotiation(a, [b])
    await waitFor(() => b.host.isMember(id, a.signer.publicKey), 'b to learn the members from GENESIS')

    b.host.unavailable = true
    const callsBefore = b.host.ingestCalls
    await appendNotes(a, id, 1, 3, 'while b is locked')
    await waitFor(() => b.host.ingestCalls > callsBefore, 'b to be offered an entry while locked')
    expect(holds(b, id, a, 2)).toBe(false)

    b.host.unavailable = false
    await appendNotes(a, id, 4, 1, 'after unlock') // the next append drains from the kept cursor
    await waitFor(() => holds(b, id, a, 5), 'every entry of a on b, the locked ones included')
    expect(b.host.entriesOf(id, a.signer.publicKey).map((e) => e.seq).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4])
    expect(b.host.rejected).toEqual([])
  }, 60_000)

  it('appending to a negotiation that was not joined is NOT_FOUND, and oversized own entries are refused', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a', { limits: { maxEntryBytes: 400 } })
    const { id } = await startNegotiation(a, [])
    await expect(a.replicator.append('ab'.repeat(32), new Uint8Array([1]))).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(a.replicator.append(id, new Uint8Array(401))).rejects.toMatchObject({ code: 'TOO_LARGE' })
    await expect(a.replicator.append(id, new Uint8Array(0))).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    // GENESIS is still the only entry: nothing was appended by the refused calls.
    expect(await a.replicator.append(id, new Uint8Array([7]))).toBe(1)
  }, 60_000)
})
