/**
 * Handshake gating (DESIGN section 5): nothing is replicated to a peer whose
 * hello is not a member's signature over this very connection. Hostile peers
 * here are raw Hyperswarm + Protomux clients speaking the wire format by hand.
 */
import { afterEach, describe, expect, it } from 'vitest'
import c from 'compact-encoding'
import Hypercore from 'hypercore'
import type { SwarmConnection } from 'hyperswarm'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { createSigner } from '../../src-main/core/crypto/signer.js'
import { createHello, HANDSHAKE_PROTOCOL } from '../../src-main/core/sync/handshake.js'
import { decodeInvite, topicFromSecret, type RejectedPeerEvent, type PeerEvent } from '../../src-main/core/sync/index.js'
import { hexToBytes } from '../../src-main/core/crypto/hex.js'
import { joinFromInvite, startNegotiation, SyncWorld, waitFor } from '../fixtures/sync-peers.js'

let world: SyncWorld | null = null

afterEach(async () => {
  await world?.close()
  world = null
}, 30_000)

/** A raw swarm on the negotiation topic; resolves with its first connection. */
async function rawConnection(w: SyncWorld, invite: string): Promise<SwarmConnection> {
  const swarm = w.network.createSwarm()
  const conn = new Promise<SwarmConnection>((resolve) => swarm.once('connection', (s: SwarmConnection) => resolve(s)))
  swarm.join(Buffer.from(topicFromSecret(hexToBytes(decodeInvite(invite).topicSecret))), { server: false, client: true })
  const s = await conn
  s.on('error', () => {})
  return s
}

/** Opens the handshake channel on a raw connection; `hello` is sent as the channel's open message. */
function openChannel(conn: SwarmConnection, negotiation: string, hello: Uint8Array): void {
  Hypercore.createProtocolStream(conn)
  const mux = Hypercore.getProtocolMuxer(conn)
  const channel = mux.createChannel({ protocol: HANDSHAKE_PROTOCOL, id: Buffer.from(negotiation, 'hex'), handshake: c.raw })
  channel?.open(Buffer.from(hello))
}

function closed(conn: SwarmConnection): Promise<void> {
  return new Promise((resolve) => (conn.destroyed ? resolve() : conn.once('close', () => resolve())))
}

describe('handshake', () => {
  it('a non-member is disconnected with NOT_A_MEMBER recorded, and gets nothing', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const m = await world.peer('m')
    const rejected: RejectedPeerEvent[] = []
    a.replicator.on('rejected-peer', (e) => rejected.push(e))
    const { id, invite } = await startNegotiation(a, [])
    // m holds the invite (it leaked) but GENESIS does not name it.
    await joinFromInvite(m, invite)

    await waitFor(() => rejected.length > 0, 'a to reject m')
    expect(rejected[0]).toMatchObject({ negotiation: id, identity: m.signer.publicKey })
    expect(rejected[0]?.reason).toMatch(/^NOT_A_MEMBER: /)
    expect(a.host.misbehavior).toContainEqual({ peer: m.signer.publicKey, negotiation: id, reason: rejected[0]?.reason })
    expect(a.replicator.peers()).toEqual([])
    expect(m.host.stored).toEqual([]) // not even GENESIS was served
    expect(a.host.stored).toEqual([])
  }, 60_000)

  it('a hello signed for another connection is refused; on its own connection the same hello is accepted', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a')
    const member = createSigner(generateKeyPair().secretKey) // a member whose signature the attacker obtained
    const { id, invite } = await startNegotiation(a, [], [member.publicKey])
    const events: RejectedPeerEvent[] = []
    const peers: PeerEvent[] = []
    a.replicator.on('rejected-peer', (e) => events.push(e))
    a.replicator.on('peer', (e) => peers.push(e))
    const feed = bytesToHex(new Uint8Array(32).fill(9))

    const first = await rawConnection(world, invite)
    const second = await rawConnection(world, invite)
    expect(bytesToHex(first.handshakeHash)).not.toBe(bytesToHex(second.handshakeHash))
    const helloForFirst = createHello(member, first.handshakeHash, id, feed)

    openChannel(second, id, helloForFirst) // replayed on the wrong connection
    await closed(second)
    await waitFor(() => events.length === 1, 'the rejection event')
    expect(events[0]?.reason).toMatch(/^BAD_HANDSHAKE: .*replayed/)
    expect(events[0]?.identity).toBeNull() // an unproven identity is never blamed
    expect(a.host.misbehavior).toEqual([{ peer: null, negotiation: id, reason: events[0]?.reason }])

    openChannel(first, id, helloForFirst)
    await waitFor(() => peers.length === 1, 'the member to be accepted on its own connection')
    expect(peers[0]).toEqual({ type: 'connected', negotiation: id, identity: member.publicKey })
    member.wipe()
  }, 60_000)

  it('a malformed hello is BAD_HANDSHAKE and a silent peer is dropped after the timeout', async () => {
    world = await SyncWorld.create()
    const a = await world.peer('a', { limits: { handshakeTimeoutMs: 1_500 } })
    const { id, invite } = await startNegotiation(a, [])
    const events: RejectedPeerEvent[] = []
    a.replicator.on('rejected-peer', (e) => events.push(e))

    const short = await rawConnection(world, invite)
    openChannel(short, id, new Uint8Array(127))
    await closed(short)
    const silent = await rawConnection(world, invite)
    await closed(silent)

    await waitFor(() => events.length === 2, 'both rejections')
    expect(events.map((e) => e.reason.split(':')[0])).toEqual(['BAD_HANDSHAKE', 'HANDSHAKE_TIMEOUT'])
    expect(a.host.misbehavior.map((e) => e.reason.split(':')[0])).toEqual(['BAD_HANDSHAKE', 'HANDSHAKE_TIMEOUT'])
    expect(a.host.misbehavior.every((e) => e.peer === null)).toBe(true)
  }, 60_000)
})
