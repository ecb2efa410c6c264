/**
 * One connection to a seeder (DESIGN section 5). A seeder is a blind peer: it
 * keeps and serves the feeds it is asked to keep and cannot read them (they are
 * encrypted). On this connection we:
 * - attach each feed of the negotiations it keeps for us (Hypercore replication,
 *   feed by feed, never Corestore-wide), so it can download them and serve them back;
 * - ask it to keep them, with blind-peer's `cores` message (blind-peer-muxer);
 * - put our sealed feed claim in each negotiation's directory and get the others'
 *   (seeder-protocol.ts), which is how participants who are never online together
 *   learn each other's feeds.
 * Whatever the seeder sends is checked by the replicator: Hypercore verifies every
 * block against its writer's signature, and a directory entry counts only if it
 * opens with the directory key and carries a valid claim.
 */
import c from 'compact-encoding'
import Hypercore from 'hypercore'
import BlindPeerMuxer from 'blind-peer-muxer'
import type Protomux from 'protomux'
import type { ProtomuxChannel } from 'protomux'
import type { SwarmConnection } from 'hyperswarm'
import { bytesToHex } from '../crypto/hex.js'
import { TokenBucket } from './token-bucket.js'
import {
  SEEDER_PROTOCOL,
  decodeEntries,
  decodeRefused,
  encodeGet,
  encodePut,
  type Refusal,
} from './seeder-protocol.js'

/** What the link is asked to do for one negotiation. */
export interface SeededNegotiation {
  id: string
  /** The directory name (topic-keys.ts). */
  group: Uint8Array
  /** Our sealed claim, or null when we have none to put (it could not be signed). */
  claim: Uint8Array | null
  /** Our feed and every remote feed of the negotiation. */
  cores: readonly Hypercore[]
}

export interface SeederLinkContext {
  onEntries(link: SeederLink, group: string, entries: Uint8Array[]): void
  onRefused(link: SeederLink, refusal: Refusal): void
  /** The seeder sent what is not the protocol: the link is dropped. */
  onGarbage(link: SeederLink, text: string): void
  onClosed(link: SeederLink): void
}

/** Cores named in one `cores` message at most (the seeder refuses longer ones). */
export const MAX_CORES_PER_REQUEST = 64
/** Messages a seeder may send us (each can cost 64 decryptions and signature checks): rate and burst. */
const INCOMING_PER_SECOND = 20
const INCOMING_BURST = 200

export class SeederLink {
  readonly seeder: string
  readonly conn: SwarmConnection
  private readonly mux: Protomux
  private readonly ctx: SeederLinkContext
  private readonly keep: BlindPeerMuxer
  private readonly directory: ProtomuxChannel | null
  /** Discovery keys (hex) of the cores attached here. */
  private readonly attached = new Set<string>()
  /** Feed keys (hex) the seeder was asked to keep on this connection. */
  private readonly asked = new Set<string>()
  private readonly groupsPut = new Set<string>()
  private readonly groupsGot = new Set<string>()
  /** Directory messages waiting for the channel to open. */
  private readonly queued: { type: 0 | 1; bytes: Uint8Array }[] = []
  private readonly incoming = new TokenBucket({ ratePerSecond: INCOMING_PER_SECOND, burst: INCOMING_BURST })
  private opened = false
  private closed = false

  constructor(conn: SwarmConnection, seeder: string, ctx: SeederLinkContext) {
    this.conn = conn
    this.seeder = seeder
    this.ctx = ctx
    Hypercore.createProtocolStream(conn)
    this.mux = Hypercore.getProtocolMuxer(conn)
    conn.on('error', () => {}) // a reset by the seeder is not our error
    conn.once('close', () => this.onClose())
    this.keep = new BlindPeerMuxer(conn, {})
    this.directory = this.mux.createChannel({
      protocol: SEEDER_PROTOCOL,
      messages: [
        { encoding: c.raw, onmessage: () => this.garbage('a seeder sent a put') },
        { encoding: c.raw, onmessage: () => this.garbage('a seeder sent a get') },
        { encoding: c.raw, onmessage: (m) => this.onEntries(m) },
        { encoding: c.raw, onmessage: (m) => this.onRefused(m) },
      ],
      onopen: () => this.onOpen(),
      onclose: () => {
        this.opened = false
      },
    })
    this.directory?.open()
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Attaches the negotiation's feeds, asks the seeder to keep the new ones, puts our claim and gets the others'. */
  sync(n: SeededNegotiation): void {
    if (this.closed) return
    const fresh: Hypercore[] = []
    for (const core of n.cores) {
      this.attach(core)
      const key = bytesToHex(core.key)
      if (!this.asked.has(key)) {
        this.asked.add(key)
        fresh.push(core)
      }
    }
    for (let i = 0; i < fresh.length; i += MAX_CORES_PER_REQUEST) {
      const cores = fresh.slice(i, i + MAX_CORES_PER_REQUEST).map((core) => ({ key: core.key, length: core.length }))
      this.keep.addCores({ cores, referrer: null, priority: 1, announce: false })
    }
    const group = bytesToHex(n.group)
    if (n.claim !== null && !this.groupsPut.has(group)) {
      this.groupsPut.add(group)
      this.send(0, encodePut(n.group, n.claim))
    }
    if (!this.groupsGot.has(group)) {
      this.groupsGot.add(group)
      this.send(1, encodeGet(n.group))
    }
  }

  /**
   * How many entries of `core` the seeder holds from the start without a gap, as
   * its replication tells us (Hypercore's remote bitfield); 0 when it has none.
   */
  held(core: Hypercore): number {
    let best = 0
    for (const peer of core.peers) {
      if (peer.remotePublicKey !== undefined && bytesToHex(peer.remotePublicKey) === this.seeder) {
        best = Math.max(best, peer.remoteContiguousLength)
      }
    }
    return best
  }

  destroy(): void {
    if (this.closed) return
    this.conn.destroy()
    this.onClose()
  }

  private attach(core: Hypercore): void {
    const id = bytesToHex(core.discoveryKey)
    if (this.attached.has(id)) return
    this.attached.add(id)
    core.replicate(this.mux)
  }

  private send(type: 0 | 1, bytes: Uint8Array): void {
    if (!this.opened) {
      this.queued.push({ type, bytes })
      return
    }
    this.directory?.messages[type]?.send(Buffer.from(bytes))
  }

  private onOpen(): void {
    this.opened = true
    for (const m of this.queued.splice(0)) this.send(m.type, m.bytes)
  }

  private onEntries(bytes: Buffer): void {
    if (this.closed) return
    if (!this.incoming.take()) return this.garbage('a seeder sent directory messages faster than it is ever asked to')
    let decoded: { group: Uint8Array; entries: Uint8Array[] }
    try {
      decoded = decodeEntries(bytes)
    } catch (err) {
      return this.garbage(`a malformed entries message: ${err instanceof Error ? err.message : String(err)}`)
    }
    this.ctx.onEntries(this, bytesToHex(decoded.group), decoded.entries)
  }

  private onRefused(bytes: Buffer): void {
    if (this.closed) return
    if (!this.incoming.take()) return this.garbage('a seeder sent refusals faster than it is ever asked to')
    let refusal: Refusal
    try {
      refusal = decodeRefused(bytes)
    } catch (err) {
      return this.garbage(`a malformed refusal: ${err instanceof Error ? err.message : String(err)}`)
    }
    this.ctx.onRefused(this, refusal)
  }

  private garbage(text: string): void {
    if (this.closed) return
    this.ctx.onGarbage(this, text)
    this.destroy()
  }

  private onClose(): void {
    if (this.closed) return
    this.closed = true
    this.queued.length = 0
    this.ctx.onClosed(this)
  }
}
