/**
 * A counterparty rewrites what it signed (DESIGN section 5): it truncates its
 * own feed and appends different entries at the same indexes. The reader
 * follows the fork, reports equivocation, keeps the first version and hands
 * the rewritten entries to the host too, so both envelopes of one (author, seq)
 * are held. The cheat is done the way a modified client would: on its own store.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FeedStore } from '../../src-main/core/sync/feeds.js'
import { decodeInvite, feedEncryptionKey } from '../../src-main/core/sync/index.js'
import { makeEntry } from '../fixtures/sync-host.js'
import { appendNotes, holds, startNegotiation, SyncWorld, waitFor, type TestPeer } from '../fixtures/sync-peers.js'

let world: SyncWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 30_000)

/** Closes m, rewrites its feed from index 2 on its own store (encrypted, as every feed is), restarts it. */
async function rewrite(w: SyncWorld, m: TestPeer, id: string, invite: string): Promise<void> {
  await w.stop(m)
  const store = new FeedStore(join(m.dir, 'corestore'))
  await store.open()
  const feed = await store.openOwn(id, feedEncryptionKey(decodeInvite(invite).topicSecret))
  await feed.truncate(2)
  for (let seq = 2; seq <= 4; seq++) {
    await feed.append(Buffer.from(makeEntry(m.signer, { negotiation: id, seq, type: 'NOTE', body: { text: `second ${seq}` } })))
  }
  expect(feed.fork).toBe(1)
  await feed.close()
  await store.close()
  await w.start(m)
}

describe('truncate-and-rewrite by a counterparty', () => {
  it('is reported as equivocation, and both versions reach the host', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const m = await world.peer('m')
    const { id, invite } = await startNegotiation(a, [m])
    await appendNotes(m, id, 1, 3, 'first') // m's feed: JOIN, first 1..3
    await waitFor(() => holds(a, id, m, 4), 'a to hold the first version')
    const firstVersion = a.host.entriesOf(id, m.signer.publicKey).map((e) => e.hash)

    await rewrite(world, m, id, invite)

    await waitFor(() => holds(a, id, m, 5) && a.host.equivocations.length > 0, 'a to follow the fork')
    expect(a.host.equivocations[0]).toMatchObject({
      negotiation: id,
      owner: m.signer.publicKey,
      feedKey: m.replicator.ownFeedKey(id),
      fork: 1,
      keptLength: 2,
      previousLength: 4,
    })
    const held = a.host.entriesOf(id, m.signer.publicKey)
    // Nothing already ingested was rolled back...
    for (const hash of firstVersion) expect(held.map((e) => e.hash)).toContain(hash)
    // ...and seq 2 and 3 now exist in two signed versions: the fold's EQUIVOCATION.
    for (const seq of [2, 3]) {
      const versions = held.filter((e) => e.seq === seq)
      expect(versions.map((e) => (e.body as { text: string }).text).sort()).toEqual([`first ${seq}`, `second ${seq}`])
    }
    expect(a.host.rejected.map((r) => [r.entry.index, r.reason])).toEqual([
      [2, 'EQUIVOCATION'],
      [3, 'EQUIVOCATION'],
    ])
  }, 90_000)

  it('reaches a peer that only ever got the feed through a relay', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const b = await world.peer('b')
    const m = await world.peer('m')
    b.blocked.add(m.replicator.swarmKey)
    m.blocked.add(b.replicator.swarmKey)
    const { id, invite } = await startNegotiation(a, [b, m])
    await appendNotes(m, id, 1, 3, 'first')
    await waitFor(() => holds(b, id, m, 4), "b to hold m's first version, relayed by a")

    // m's swarm key changes on restart; m's own firewall (kept) still refuses b's.
    await rewrite(world, m, id, invite)

    await waitFor(() => b.host.equivocations.length > 0 && b.host.entriesOf(id, m.signer.publicKey).length === 7, 'b to see both versions')
    expect(b.host.equivocations[0]).toMatchObject({ owner: m.signer.publicKey, keptLength: 2, previousLength: 4, fork: 1 })
    expect(b.replicator.peers().map((p) => p.identity)).toEqual([a.signer.publicKey])
  }, 90_000)
})
