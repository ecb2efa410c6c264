/**
 * The replication layer (DESIGN section 5): a Corestore of negotiation feeds, a
 * Hyperswarm joined on each negotiation's topic, the handshake that gates every
 * connection, and the path from a new remote entry to `host.ingest`.
 *
 * Feed keys travel three ways: the invite names the creator's; a hello names its
 * sender's; after a handshake each side relays the attestations it holds, so a
 * participant's feed reaches peers it never met (feed-attestation.ts). Feeds the
 * host learns from JOIN envelopes are added too. Every remote feed is downloaded
 * whole and re-served to every verified peer of its negotiation.
 */
import { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type Hyperswarm from 'hyperswarm'
import type Hypercore from 'hypercore'
import type { PeerDiscovery, PeerInfo, SwarmConnection } from 'hyperswarm'
import { TrustError } from '../errors.js'
import { bytesToHex, hexToBytes, isHex } from '../crypto/hex.js'
import type { Signer } from '../crypto/signer.js'
import type { Network } from './network.js'
import { FeedStore } from './feeds.js'
import { resolveLimits, type SyncLimits } from './limits.js'
import { TokenBucket } from './token-bucket.js'
import { SyncState } from './sync-state.js'
import { topicFromSecret } from './topic.js'
import { RemoteFeed, type EntryEvent } from './remote-feed.js'
import { PeerLink, type HelloVerdict, type PeerLinkContext, type Rejection } from './peer-link.js'
import { attestationHex, decodeAttestation, verifyAttestation, type FeedAttestation } from './feed-attestation.js'
import type { Hello } from './handshake.js'
import type { MisbehaviorCode, SyncHost } from './sync-host.js'

export interface ReplicatorOptions {
  /** The profile's sync directory: `corestore/` and `sync-state.json` live here. */
  storeDir: string
  network: Network
  signer: Signer
  host: SyncHost
  limits?: Partial<SyncLimits>
  /** Refuse connections from or to these swarm keys (Hyperswarm firewall). */
  firewall?: (remoteSwarmKey: Uint8Array) => boolean
}

export interface JoinOptions {
  negotiation: string
  /** 32 bytes, or 64 lowercase hex chars (as in a decoded invite). */
  topicSecret: string | Uint8Array
  /** From the invite: lets a joiner fetch GENESIS before it knows who the members are. */
  creatorFeedKey?: string
}

export interface PeerEvent {
  type: 'connected' | 'disconnected'
  negotiation: string
  identity: string
}

export interface RejectedPeerEvent {
  negotiation: string | null
  identity: string | null
  reason: string
  swarmKey: string
}

export interface PeerSummary {
  identity: string
  swarmKey: string
  negotiations: string[]
}

export interface ReplicatorEvents {
  peer: [PeerEvent]
  entry: [EntryEvent]
  'rejected-peer': [RejectedPeerEvent]
}

interface Negotiation {
  id: string
  own: Hypercore
  ownFeedKey: string
  creatorFeedKey: string | null
  feeds: Map<string, RemoteFeed>
  opening: Map<string, Promise<RemoteFeed | null>>
  discovery: PeerDiscovery | null
}

export class Replicator extends EventEmitter<ReplicatorEvents> {
  readonly limits: SyncLimits
  private readonly opts: ReplicatorOptions
  private readonly feedStore: FeedStore
  private readonly state: SyncState
  private readonly negotiations = new Map<string, Negotiation>()
  private readonly links = new Set<PeerLink>()
  private readonly buckets = new Map<string, TokenBucket>()
  private readonly paused = new Set<string>()
  private swarm: Hyperswarm | null = null
  private opened = false
  private closing = false
  private readonly rejudgeQueued = new Set<string>()
  private readonly linkContext: PeerLinkContext

  constructor(opts: ReplicatorOptions) {
    super()
    if (typeof opts.storeDir !== 'string' || opts.storeDir === '') throw TrustError.invalidInput('storeDir is required')
    this.opts = opts
    this.limits = resolveLimits(opts.limits)
    mkdirSync(opts.storeDir, { recursive: true })
    this.state = SyncState.load(join(opts.storeDir, 'sync-state.json'))
    this.feedStore = new FeedStore(join(opts.storeDir, 'corestore'))
    this.linkContext = {
      signer: opts.signer,
      handshakeTimeoutMs: this.limits.handshakeTimeoutMs,
      maxAnnounced: this.limits.maxFeedsPerNegotiation,
      joined: (id) => this.negotiations.has(id),
      ownFeedKey: (id) => this.ownFeedKey(id),
      judge: (link, id, hello, attestation) => this.judge(link, id, hello, attestation),
      onVerified: (link, id, hello) => this.onVerified(link, id, hello),
      onAnnouncement: (link, id, list) => this.onAnnouncement(link, id, list),
      onEarlyAnnouncement: (_link, id, list) => {
        const n = this.negotiations.get(id)
        if (n) this.onEarlyAnnouncement(n, list)
      },
      onRejected: (link, rejection) => this.onRejected(link, rejection),
      onClosed: (link) => this.onLinkClosed(link),
    }
  }

  /** This replicator's Hyperswarm key (not the identity: it is fresh on every open). */
  get swarmKey(): string {
    if (!this.swarm) throw new TrustError('CLOSED', 'the replicator is not open')
    return bytesToHex(this.swarm.keyPair.publicKey)
  }

  async open(): Promise<void> {
    if (this.opened) return
    this.live()
    await this.feedStore.open()
    const firewall = this.opts.firewall
    this.swarm = this.opts.network.createSwarm(firewall ? { firewall } : {})
    this.swarm.on('connection', (conn: SwarmConnection, info: PeerInfo) => this.onConnection(conn, info))
    this.opened = true
  }

  async joinNegotiation(opts: JoinOptions): Promise<void> {
    this.live()
    if (!this.opened || !this.swarm) throw new TrustError('CLOSED', 'open() the replicator first')
    const id = opts.negotiation
    if (!isHex(id, 32)) throw TrustError.invalidInput('a negotiation id is 64 lowercase hex chars')
    const secret = typeof opts.topicSecret === 'string' ? hexToBytes(opts.topicSecret, 32, 'topic secret') : opts.topicSecret
    const topic = topicFromSecret(secret)
    const creator = opts.creatorFeedKey ?? null
    if (creator !== null && !isHex(creator, 32)) throw TrustError.invalidInput('a feed key is 64 lowercase hex chars')
    if (this.negotiations.has(id)) return

    const own = await this.feedStore.openOwn(id)
    const n: Negotiation = {
      id,
      own,
      ownFeedKey: bytesToHex(own.key),
      creatorFeedKey: creator,
      feeds: new Map(),
      opening: new Map(),
      discovery: null,
    }
    this.negotiations.set(id, n)
    for (const feedKey of Object.keys(this.state.feeds(id))) void this.ensureFeed(n, feedKey)
    for (const [owner, feedKey] of this.hostFeeds(id)) this.bind(n, owner, feedKey, null)
    if (creator !== null && creator !== n.ownFeedKey) void this.ensureFeed(n, creator)
    for (const link of this.links) link.openNegotiation(id)
    n.discovery = this.swarm.join(Buffer.from(topic), { server: true, client: true })
    await n.discovery.flushed()
  }

  /** Appends exact bytes to our own feed of the negotiation; returns the entry's index. */
  async append(negotiation: string, bytes: Uint8Array): Promise<number> {
    this.live()
    const n = this.negotiation(negotiation)
    if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw TrustError.invalidInput('an entry is a non-empty byte array')
    if (bytes.length > this.limits.maxEntryBytes) throw TrustError.tooLarge('the entry', bytes.length, this.limits.maxEntryBytes)
    if (n.own.length >= this.limits.maxFeedLength) {
      throw new TrustError('TOO_LARGE', `the feed already holds ${n.own.length} entries, the limit is ${this.limits.maxFeedLength}`)
    }
    const { length } = await n.own.append(Buffer.from(bytes))
    return length - 1
  }

  ownFeedKey(negotiation: string): string {
    return this.negotiation(negotiation).ownFeedKey
  }

  /** Binds a feed to its owner (as a JOIN names it) and replicates it. */
  addRemoteFeed(negotiation: string, owner: string, feedKey: string): void {
    this.live()
    if (!isHex(owner, 32) || !isHex(feedKey, 32)) throw TrustError.invalidInput('owner and feed key are 64 lowercase hex chars each')
    this.bind(this.negotiation(negotiation), owner, feedKey, null)
  }

  peers(): PeerSummary[] {
    const out: PeerSummary[] = []
    for (const link of this.links) {
      const byIdentity = new Map<string, string[]>()
      for (const [negotiation, hello] of link.verified) {
        byIdentity.set(hello.identity, [...(byIdentity.get(hello.identity) ?? []), negotiation])
      }
      for (const [identity, negotiations] of byIdentity) out.push({ identity, swarmKey: link.swarmKey, negotiations })
    }
    return out
  }

  async close(): Promise<void> {
    if (this.closing) return
    this.closing = true
    for (const link of [...this.links]) link.destroy()
    if (this.swarm) await this.swarm.destroy().catch(() => {})
    for (const n of this.negotiations.values()) {
      await Promise.allSettled(n.opening.values())
      for (const feed of n.feeds.values()) await feed.close()
      await n.own.close().catch(() => {})
    }
    await this.feedStore.close().catch(() => {})
    this.state.save()
  }

  // --- connections -------------------------------------------------------

  private onConnection(conn: SwarmConnection, info: PeerInfo): void {
    if (this.closing) {
      conn.destroy()
      return
    }
    const link = new PeerLink(conn, info, this.linkContext)
    this.links.add(link)
    for (const id of this.negotiations.keys()) link.openNegotiation(id)
  }

  private judge(link: PeerLink, id: string, hello: Hello, attestation: FeedAttestation): HelloVerdict {
    const n = this.negotiations.get(id)
    if (!n) return 'not-member'
    if (this.isMember(id, hello.identity)) return 'member'
    // The host knows the negotiation once it knows we are in it: then "no" is final.
    if (this.isMember(id, this.opts.signer.publicKey)) return 'not-member'
    // A joiner before GENESIS: only the creator's feed, named by the invite
    // (which already grants reading it), is replicated until GENESIS tells who
    // the members are. A claim to it binds the claimant; the host rejects
    // GENESIS from anyone but its author, so a false claim gains nothing.
    const creator = n.creatorFeedKey
    if (creator !== null) {
      if (hello.feedKey === creator) this.bind(n, hello.identity, creator, attestation)
      void this.ensureFeed(n, creator).then((feed) => feed && link.attach(feed.core))
    }
    return 'pending'
  }

  private onEarlyAnnouncement(n: Negotiation, list: FeedAttestation[]): void {
    if (n.creatorFeedKey === null || this.isMember(n.id, this.opts.signer.publicKey)) return
    for (const a of list) {
      if (a.feedKey === n.creatorFeedKey && verifyAttestation(a, n.id)) this.bind(n, a.identity, a.feedKey, a)
    }
  }

  private onVerified(link: PeerLink, id: string, hello: Hello): void {
    const n = this.negotiations.get(id)
    if (!n) return
    this.bind(n, hello.identity, hello.feedKey, { ...hello, handshakeHash: Uint8Array.from(link.conn.handshakeHash) })
    link.attach(n.own)
    for (const feed of n.feeds.values()) link.attach(feed.core)
    link.announce(id, this.attestations(n))
    this.emit('peer', { type: 'connected', negotiation: id, identity: hello.identity })
  }

  private onAnnouncement(link: PeerLink, id: string, list: FeedAttestation[]): void {
    const n = this.negotiations.get(id)
    if (!n) return
    for (const a of list) {
      if (a.feedKey === n.ownFeedKey) continue
      if (!verifyAttestation(a, id) || !this.isMember(id, a.identity)) {
        const sender = link.verified.get(id)?.identity ?? null
        link.reject({ negotiation: id, identity: sender, code: 'BAD_ANNOUNCEMENT', text: 'an announced feed attestation is not signed by a member', ban: true, record: true })
        return
      }
      this.bind(n, a.identity, a.feedKey, a)
    }
  }

  private onRejected(link: PeerLink, r: Rejection): void {
    const reason = `${r.code}: ${r.text}`
    if (r.record) this.misbehavior(r.identity, r.negotiation, reason)
    this.emit('rejected-peer', { negotiation: r.negotiation, identity: r.identity, reason, swarmKey: link.swarmKey })
  }

  private onLinkClosed(link: PeerLink): void {
    this.links.delete(link)
    if (this.closing) return
    for (const [negotiation, hello] of link.verified) {
      this.emit('peer', { type: 'disconnected', negotiation, identity: hello.identity })
    }
  }

  // --- feeds -------------------------------------------------------------

  /** Records (owner, feed) for the negotiation, within the limits; opens and relays it. */
  private bind(n: Negotiation, owner: string, feedKey: string, attestation: FeedAttestation | null): void {
    if (feedKey === n.ownFeedKey) return
    const feeds = this.state.feeds(n.id)
    const existing = feeds[feedKey]?.bindings[owner]
    if (existing) {
      if (attestation && existing.attestation === null) {
        existing.attestation = attestationHex(attestation)
        this.state.markDirty()
        this.announceToAll(n, [attestation])
      }
      return
    }
    let total = 0
    let ofOwner = 0
    for (const f of Object.values(feeds)) {
      for (const o of Object.keys(f.bindings)) {
        total++
        if (o === owner) ofOwner++
      }
    }
    if (total >= this.limits.maxFeedsPerNegotiation || ofOwner >= this.limits.maxFeedsPerOwner) {
      // Only a signed claim is the owner's fault; a host-supplied one is not.
      if (attestation) this.misbehavior(owner, n.id, `TOO_MANY_FEEDS: ${owner} named more feeds than the limits allow`)
      return
    }
    this.state.feed(n.id, feedKey).bindings[owner] = {
      cursor: 0,
      blocked: null,
      attestation: attestation ? attestationHex(attestation) : null,
    }
    this.state.markDirty()
    this.state.save()
    if (attestation) this.announceToAll(n, [attestation])
    void this.ensureFeed(n, feedKey).then((feed) => feed?.drain())
  }

  private ensureFeed(n: Negotiation, feedKey: string): Promise<RemoteFeed | null> {
    const open = n.feeds.get(feedKey)
    if (open) return Promise.resolve(open)
    const pending = n.opening.get(feedKey)
    if (pending) return pending
    const promise = this.openFeed(n, feedKey).finally(() => n.opening.delete(feedKey))
    n.opening.set(feedKey, promise)
    return promise
  }

  private async openFeed(n: Negotiation, feedKey: string): Promise<RemoteFeed | null> {
    if (this.closing) return null
    let core: Hypercore
    try {
      core = await this.feedStore.openRemote(feedKey)
    } catch {
      return null // closing, or a frozen store: nothing to replicate
    }
    if (this.closing) {
      await core.close().catch(() => {})
      return null
    }
    const feed = new RemoteFeed(core, feedKey, {
      negotiation: n.id,
      host: this.opts.host,
      limits: this.limits,
      state: this.state,
      bucketFor: (owner) => this.bucketFor(owner),
      isPaused: (owner) => this.paused.has(owner),
      onEntry: (e) => this.onEntry(n, e),
      onLearned: (owner, key) => this.bind(n, owner, key, null),
      onLimit: (owner, code, text) => this.onLimit(n, owner, code, text),
    })
    n.feeds.set(feedKey, feed)
    for (const link of this.links) if (link.verified.has(n.id)) link.attach(core)
    void feed.drain()
    return feed
  }

  private onEntry(n: Negotiation, e: EntryEvent): void {
    this.emit('entry', e)
    // What the host just accepted may be the GENESIS that settles pending hellos.
    if (!e.accepted || this.rejudgeQueued.has(n.id)) return
    this.rejudgeQueued.add(n.id)
    queueMicrotask(() => {
      this.rejudgeQueued.delete(n.id)
      for (const link of this.links) {
        const hello = link.pending.get(n.id)
        if (hello) link.judge(n.id, hello)
      }
    })
  }

  private onLimit(n: Negotiation, owner: string, code: MisbehaviorCode, text: string): void {
    if (code === 'RATE_LIMITED') this.paused.add(owner)
    const reason = `${code}: ${text}`
    this.misbehavior(owner, n.id, reason)
    for (const link of [...this.links]) {
      if (link.verified.get(n.id)?.identity !== owner) continue
      link.reject({ negotiation: n.id, identity: owner, code, text, ban: true, record: false })
    }
  }

  private attestations(n: Negotiation): FeedAttestation[] {
    const out: FeedAttestation[] = []
    for (const f of Object.values(this.state.feeds(n.id))) {
      for (const b of Object.values(f.bindings)) {
        if (b.attestation !== null) out.push(decodeAttestation(hexToBytes(b.attestation)))
      }
    }
    return out
  }

  private announceToAll(n: Negotiation, list: FeedAttestation[]): void {
    for (const link of this.links) link.announce(n.id, list)
  }

  // --- helpers -----------------------------------------------------------

  private bucketFor(owner: string): TokenBucket {
    let bucket = this.buckets.get(owner)
    if (!bucket) {
      bucket = new TokenBucket({ ratePerSecond: this.limits.entriesPerSecond, burst: this.limits.entryBurst })
      this.buckets.set(owner, bucket)
    }
    return bucket
  }

  private isMember(negotiation: string, identity: string): boolean {
    try {
      return this.opts.host.isMember(negotiation, identity) === true
    } catch {
      return false
    }
  }

  private hostFeeds(negotiation: string): [string, string][] {
    try {
      return [...this.opts.host.feedsOf(negotiation)].filter(([o, k]) => isHex(o, 32) && isHex(k, 32))
    } catch {
      return []
    }
  }

  private misbehavior(peer: string | null, negotiation: string | null, reason: string): void {
    try {
      this.opts.host.onMisbehavior({ peer, negotiation, reason })
    } catch {
      // The host must not throw; the peer is dealt with either way.
    }
  }

  private negotiation(id: string): Negotiation {
    const n = this.negotiations.get(id)
    if (!n) throw TrustError.notFound(`negotiation ${String(id).slice(0, 16)} (not joined)`)
    return n
  }

  private live(): void {
    if (this.closing) throw new TrustError('CLOSED', 'the replicator is closed')
  }
}
