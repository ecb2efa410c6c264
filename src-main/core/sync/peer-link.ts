/**
 * One swarm connection and its handshake channels (DESIGN section 5), one per
 * negotiation both sides joined. Nothing of a negotiation is replicated on a
 * connection before the remote's hello for it has been checked: signature over
 * this connection's handshake hash, then membership. Feeds are attached per
 * core to the connection's Protomux (never Corestore.replicate, which would
 * serve any core of the store to anyone who names its key).
 */
import c from 'compact-encoding'
import Hypercore from 'hypercore'
import type Protomux from 'protomux'
import type { ProtomuxChannel } from 'protomux'
import type { PeerInfo, SwarmConnection } from 'hyperswarm'
import { bytesToHex } from '../crypto/hex.js'
import type { Signer } from '../crypto/signer.js'
import { createHello, decodeHello, HANDSHAKE_PROTOCOL, verifyHello, type Hello } from './handshake.js'
import { decodeAttestationList, encodeAttestationList, type FeedAttestation } from './feed-attestation.js'
import type { MisbehaviorCode } from './sync-host.js'

export interface Rejection {
  negotiation: string | null
  /** The remote identity when its signature proved it, else null. */
  identity: string | null
  code: MisbehaviorCode
  text: string
  /** Proven misbehavior bans the swarm key for this session; an unknown membership does not. */
  ban: boolean
  /** False when the fault may be ours (we could not tell membership yet): no MISBEHAVIOR then. */
  record: boolean
}

/** Announcements kept per negotiation while the sender is pending. */
const MAX_DEFERRED = 8
/** Hellos one connection may send (a channel can be closed and reopened): each costs a verify. */
const MAX_HELLOS = 32

export type HelloVerdict = 'member' | 'not-member' | 'pending'

export interface PeerLinkContext {
  readonly signer: Signer
  readonly handshakeTimeoutMs: number
  readonly maxAnnounced: number
  joined(negotiation: string): boolean
  ownFeedKey(negotiation: string): string
  /** Decides membership; 'pending' while the host does not know the negotiation yet. */
  judge(link: PeerLink, negotiation: string, hello: Hello, attestation: FeedAttestation): HelloVerdict
  onVerified(link: PeerLink, negotiation: string, hello: Hello): void
  onAnnouncement(link: PeerLink, negotiation: string, list: FeedAttestation[]): void
  /** Attestations from a peer still pending: only the creator feed's may be used. */
  onEarlyAnnouncement(link: PeerLink, negotiation: string, list: FeedAttestation[]): void
  onRejected(link: PeerLink, rejection: Rejection): void
  onClosed(link: PeerLink): void
}

export class PeerLink {
  readonly conn: SwarmConnection
  readonly mux: Protomux
  readonly swarmKey: string
  /** Negotiation -> the remote's checked hello, once it is a member. */
  readonly verified = new Map<string, Hello>()
  /** Negotiation -> a hello with a good signature whose membership the host cannot tell yet. */
  readonly pending = new Map<string, Hello>()
  private readonly info: PeerInfo
  private readonly ctx: PeerLinkContext
  private readonly channels = new Map<string, ProtomuxChannel>()
  private readonly attached = new Set<string>()
  private readonly deferred = new Map<string, Buffer[]>()
  private timer: NodeJS.Timeout | null
  private closed = false
  private hellos = 0

  constructor(conn: SwarmConnection, info: PeerInfo, ctx: PeerLinkContext) {
    this.conn = conn
    this.info = info
    this.ctx = ctx
    this.swarmKey = bytesToHex(conn.remotePublicKey)
    Hypercore.createProtocolStream(conn)
    this.mux = Hypercore.getProtocolMuxer(conn)
    conn.on('error', () => {}) // a reset by the remote is not our error
    conn.once('close', () => this.onClose())
    // The remote may join a negotiation after this connection exists.
    this.mux.pair({ protocol: HANDSHAKE_PROTOCOL }, (id) => {
      if (id && id.length === 32) this.openNegotiation(bytesToHex(id))
    })
    this.timer = setTimeout(() => this.onTimeout(), ctx.handshakeTimeoutMs)
    this.timer.unref?.()
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Opens the handshake channel for a negotiation we joined and sends our hello. */
  openNegotiation(negotiation: string): void {
    if (this.closed || this.channels.has(negotiation) || !this.ctx.joined(negotiation)) return
    const channel = this.mux.createChannel({
      protocol: HANDSHAKE_PROTOCOL,
      id: Buffer.from(negotiation, 'hex'),
      handshake: c.raw,
      messages: [{ encoding: c.raw, onmessage: (m) => this.onAnnouncement(negotiation, m) }],
      onopen: (hello) => this.onHello(negotiation, hello),
      onclose: () => {
        if (this.channels.get(negotiation) === channel) this.channels.delete(negotiation)
      },
    })
    if (channel === null) return
    this.channels.set(negotiation, channel)
    const hello = createHello(this.ctx.signer, this.conn.handshakeHash, negotiation, this.ctx.ownFeedKey(negotiation))
    channel.open(Buffer.from(hello))
  }

  private onHello(negotiation: string, bytes: Buffer): void {
    if (this.closed) return
    if (++this.hellos > MAX_HELLOS) {
      return this.reject({ negotiation, identity: null, code: 'BAD_HANDSHAKE', text: `more than ${MAX_HELLOS} hellos on one connection`, ban: true, record: true })
    }
    let hello: Hello
    try {
      hello = decodeHello(bytes)
    } catch {
      return this.reject({ negotiation, identity: null, code: 'BAD_HANDSHAKE', text: `the hello is ${bytes.length} bytes, not 128`, ban: true, record: true })
    }
    if (!verifyHello(hello, this.conn.handshakeHash, negotiation)) {
      return this.reject({ negotiation, identity: null, code: 'BAD_HANDSHAKE', text: 'the hello signature does not cover this connection (forged, or replayed from another one)', ban: true, record: true })
    }
    this.judge(negotiation, hello)
  }

  /** Runs the membership decision; called again for pending hellos when the host learns more. */
  judge(negotiation: string, hello: Hello): void {
    if (this.closed || this.verified.has(negotiation)) return
    const attestation = { ...hello, handshakeHash: Uint8Array.from(this.conn.handshakeHash) }
    const verdict = this.ctx.judge(this, negotiation, hello, attestation)
    if (verdict === 'not-member') {
      this.pending.delete(negotiation)
      return this.reject({ negotiation, identity: hello.identity, code: 'NOT_A_MEMBER', text: `${hello.identity} is not a participant or arbiter of ${negotiation}`, ban: true, record: true })
    }
    if (verdict === 'pending') {
      this.pending.set(negotiation, hello)
      return
    }
    this.pending.delete(negotiation)
    this.verified.set(negotiation, hello)
    this.ctx.onVerified(this, negotiation, hello)
    const deferred = this.deferred.get(negotiation) ?? []
    this.deferred.delete(negotiation)
    for (const bytes of deferred) this.onAnnouncement(negotiation, bytes)
  }

  private onAnnouncement(negotiation: string, bytes: Buffer): void {
    if (this.closed) return
    const from = this.verified.get(negotiation)
    if (from === undefined) {
      // Sent by a peer we cannot judge yet (we lack GENESIS): keep a few to replay
      // once it is verified, and let the creator's attestation through now.
      const deferred = this.deferred.get(negotiation) ?? []
      if (!this.pending.has(negotiation) || deferred.length >= MAX_DEFERRED) return
      deferred.push(bytes)
      this.deferred.set(negotiation, deferred)
      try {
        this.ctx.onEarlyAnnouncement(this, negotiation, decodeAttestationList(bytes, this.ctx.maxAnnounced))
      } catch {
        // judged when replayed
      }
      return
    }
    let list: FeedAttestation[]
    try {
      list = decodeAttestationList(bytes, this.ctx.maxAnnounced)
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err)
      return this.reject({ negotiation, identity: from.identity, code: 'BAD_ANNOUNCEMENT', text, ban: true, record: true })
    }
    this.ctx.onAnnouncement(this, negotiation, list)
  }

  /** Sends feed attestations on a verified negotiation's channel. */
  announce(negotiation: string, list: FeedAttestation[]): void {
    const channel = this.channels.get(negotiation)
    if (this.closed || list.length === 0 || !channel || !this.verified.has(negotiation)) return
    for (let i = 0; i < list.length; i += this.ctx.maxAnnounced) {
      channel.messages[0]?.send(Buffer.from(encodeAttestationList(list.slice(i, i + this.ctx.maxAnnounced))))
    }
  }

  /** Replicates a core on this connection, once. */
  attach(core: Hypercore): void {
    const id = bytesToHex(core.discoveryKey)
    if (this.closed || this.attached.has(id)) return
    this.attached.add(id)
    core.replicate(this.mux)
  }

  reject(rejection: Rejection): void {
    if (this.closed) return
    if (rejection.ban) this.info.ban(true)
    this.ctx.onRejected(this, rejection)
    this.destroy()
  }

  private onTimeout(): void {
    this.timer = null
    if (this.closed || this.verified.size > 0) return
    const unknown = this.pending.size > 0
    this.reject({
      negotiation: unknown ? ([...this.pending.keys()][0] ?? null) : null,
      identity: null,
      code: 'HANDSHAKE_TIMEOUT',
      text: unknown
        ? `no membership known for the remote after ${this.ctx.handshakeTimeoutMs} ms`
        : `no valid handshake within ${this.ctx.handshakeTimeoutMs} ms`,
      ban: false,
      record: !unknown,
    })
  }

  destroy(): void {
    if (this.closed) return
    this.conn.destroy()
    this.onClose()
  }

  private onClose(): void {
    if (this.closed) return
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.ctx.onClosed(this)
  }
}
