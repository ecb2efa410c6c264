/**
 * Encrypted feeds (DESIGN section 5): every feed of a negotiation is encrypted
 * with Hypercore's block encryption under a key from the invite's topic secret,
 * so the bytes on disk (and on the wire, and at a seeder) are not the envelopes,
 * while the peers that hold the invite read them unchanged. A negotiation made
 * before encryption (a v1 invite) keeps plaintext feeds and never uses a seeder.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { FeedStore } from '../../src-main/core/sync/feeds.js'
import { createTopicSecret, decodeInvite, encodeInvite, feedEncryptionKey } from '../../src-main/core/sync/index.js'
import { makeEntry, makeGenesis } from '../fixtures/sync-host.js'
import { holds, startNegotiation, SyncWorld, waitFor, type TestPeer } from '../fixtures/sync-peers.js'

let world: SyncWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 30_000)

/** Block 0 of `feedKey` as stored in the peer's corestore, read with or without a key (the peer must be stopped). */
async function rawBlock(peer: TestPeer, feedKey: string, key: Uint8Array | null): Promise<Buffer | null> {
  const store = new FeedStore(join(peer.dir, 'corestore'))
  await store.open()
  try {
    const core = await store.openRemote(feedKey, key)
    const block = await core.get(0, { wait: false })
    await core.close()
    return block
  } finally {
    await store.close()
  }
}

describe('feed encryption', () => {
  it('feeds are encrypted under the key from the topic secret; members read the envelopes unchanged', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const b = await world.peer('b')
    const { id, invite } = await startNegotiation(a, [b])
    await waitFor(() => holds(b, id, a, 1), "b to hold a's GENESIS")
    const genesis = b.host.entriesOf(id, a.signer.publicKey)[0]!
    expect(genesis.hash).toBe(id)
    const { topicSecret, creatorFeedKey } = decodeInvite(invite)
    await world.stop(b)
    const blind = await rawBlock(b, creatorFeedKey, null)
    expect(blind).not.toBeNull()
    expect(blind!.includes(Buffer.from('"GENESIS"'))).toBe(false)
    expect(blind!.includes(Buffer.from(a.signer.publicKey))).toBe(false)
    const read = await rawBlock(b, creatorFeedKey, feedEncryptionKey(topicSecret))
    expect(read!.toString('utf8')).toContain('"GENESIS"')
    // Another negotiation's key reads noise, not this one's envelopes.
    const other = await rawBlock(b, creatorFeedKey, feedEncryptionKey(createTopicSecret()))
    expect(other!.equals(read!)).toBe(false)
  }, 60_000)

  it('a negotiation with plaintext feeds (a v1 invite) still replicates, and is never handed to a seeder', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const b = await world.peer('b')
    const genesis = makeGenesis(a.signer, [a.signer.publicKey, b.signer.publicKey])
    a.host.members.set(genesis.id, new Set([a.signer.publicKey, b.signer.publicKey]))
    const topicSecret = bytesToHex(createTopicSecret())
    const seeder = bytesToHex(generateKeyPair().publicKey)
    const aJoin = { negotiation: genesis.id, topicSecret, encrypted: false, seeders: [seeder] }
    a.joins.push(aJoin)
    await a.replicator.joinNegotiation(aJoin)
    await a.replicator.append(genesis.id, genesis.bytes)
    const invite = encodeInvite({ negotiation: genesis.id, topicSecret, creatorFeedKey: a.replicator.ownFeedKey(genesis.id), encrypted: false })
    const decoded = decodeInvite(invite)
    expect(decoded).toMatchObject({ encrypted: false, seeders: [] })
    b.joins.push(decoded)
    await b.replicator.joinNegotiation(decoded)
    const bFeed = b.replicator.ownFeedKey(genesis.id)
    await b.replicator.append(genesis.id, makeEntry(b.signer, { negotiation: genesis.id, seq: 0, type: 'JOIN', body: { feed: bFeed } }))
    await waitFor(() => holds(b, genesis.id, a, 1) && holds(a, genesis.id, b, 1), 'both feeds on both sides')

    // The seeder named at join and any set later are ignored: plaintext never leaves for a seeder.
    a.replicator.setSeeders(genesis.id, [seeder])
    expect(a.replicator.seedersOf(genesis.id)).toEqual([])
    expect(a.replicator.seeding()).toEqual({ seeders: [], feeds: [], allHeld: true })

    await world.stop(a)
    const raw = await rawBlock(a, bFeed, null)
    expect(raw!.toString('utf8')).toContain('"JOIN"')
  }, 60_000)
})
