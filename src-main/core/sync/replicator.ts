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
 *
 * Seeders (seeder-link.ts): feeds are encrypted with a key from the topic secret,
 * so a seeder can keep and serve them without reading them. Each negotiation
 * lists the seeders that keep its feeds; the replicator keeps one connection per
 * seeder (by its public key), hands it every feed of those negotiations, and
 * learns the other participants' feeds from the claims in the seeder's directory.
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
import { createClaim, openClaim, sealClaim, verifyClaim, type FeedClaim } from './feed-claim.js'
import { directoryKey, feedEncryptionKey, seederGroup } from './topic-keys.js'
import { SeederLink, type SeededNegotiation, type SeederLinkContext } from './seeder-link.js'
import type { Refusal } from './seeder-protocol.js'
import { isPublicKeyHex } from '../crypto/ed25519.js'
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
  /**
   * Feeds encrypted under a key from the topic secret (default). False only for
   * a negotiation made before encryption (a v1 invite): plaintext, never seeded.
   */
  encrypted?: boolean
  /** Public keys (hex) of the seeders that keep this negotiation's feeds. */
  seeders?: readonly string[]
}

/** Seeders one negotiation may use at most. */
export const MAX_SEEDERS = 16

export interface SeederEvent {
  type: 'connected' | 'disconnected' | 'refused' | 'garbage'
  seeder: string
  /** For 'refused': what the seeder refused; for 'garbage': what was wrong. */
  refusal?: Refusal
  text?: string
}

/** One seeder as the replicator sees it. */
export interface SeederSummary {
  publicKey: string
  connected: boolean
  /** Negotiations it keeps for us. */
  negotiations: string[]
  /** The last refusal it sent on this run, if any. */
  refusal: Refusal | null
}

/** Our own feed of one seeded negotiation: how much of it some seeder holds. */
export interface OwnFeedSeeding {
  negotiation: string
  feedKey: string
  length: number
  /** The most entries any of its seeders was seen to hold, this run or before. */
  held: number
  seeders: string[]
}

export interface SeedingStatus {
  seeders: SeederSummary[]
  feeds: OwnFeedSeeding[]
  /** Every entry of every seeded own feed is held by at least one seeder. */
  allHeld: boolean
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
  seeder: [SeederEvent]
}

interface Negotiation {
  id: string
  own: Hypercore
  ownFeedKey: string
  creatorFeedKey: string | null
  feeds: Map<string, RemoteFeed>
  opening: Map<string, Promise<RemoteFeed | null>>
  discovery: PeerDiscovery | null
  /** Hypercore encryption key of every feed (topic-keys.ts); null for plaintext feeds. */
  encryptionKey: Uint8Array | null
  seeders: Set<string>
  /** The directory on the seeders (topic-keys.ts), and our sealed claim for it. */
  group: Uint8Array | null
  groupHex: string | null
  directoryKey: Uint8Array | null
  claim: Uint8Array | null
  /** Claims read from a directory whose owners we cannot judge yet (no GENESIS). */
  pendingClaims: Map<string, FeedClaim>
  /** Directory entries already opened and judged (hex), so a seeder repeating them costs nothing. */
  seenEntries: Set<string>
}

/** Claims kept per negotiation while its members are unknown. */
const MAX_PENDING_CLAIMS = 64
/** Directory entries remembered as judged, per negotiation. */
const MAX_SEEN_ENTRIES = 1_024

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
  private readonly seederContext: SeederLinkContext
  /** Seeder keys we keep a connection to (Hyperswarm joinPeer), and the live links. */
  private readonly joinedSeeders = new Set<string>()
  private readonly seederLinks = new Map<string, SeederLink>()
  private readonly seederRefusals = new Map<string, Refusal>()

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
    this.seederContext = {
      onEntries: (link, group, entries) => this.onDirectoryEntries(link, group, entries),
      onRefused: (link, refusal) => {
        this.seederRefusals.set(link.seeder, refusal)
        this.emit('seeder', { type: 'refused', seeder: link.seeder, refusal })
      },
      onGarbage: (link, text) => this.emit('seeder', { type: 'garbage', seeder: link.seeder, text }),
      onClosed: (link) => {
        this.noteHeld()
        if (this.seederLinks.get(link.seeder) === link) this.seederLinks.delete(link.seeder)
        if (!this.closing) this.emit('seeder', { type: 'disconnected', seeder: link.seeder })
      },
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
    const encrypted = opts.encrypted ?? true
    const seeders = checkSeeders(encrypted ? (opts.seeders ?? []) : [])
    if (this.negotiations.has(id)) return

    const encryptionKey = encrypted ? feedEncryptionKey(secret) : null
    const own = await this.feedStore.openOwn(id, encryptionKey)
    const group = encrypted ? seederGroup(secret) : null
    const n: Negotiation = {
      id,
      own,
      ownFeedKey: bytesToHex(own.key),
      creatorFeedKey: creator,
      feeds: new Map(),
      opening: new Map(),
      discovery: null,
      encryptionKey,
      seeders: new Set(seeders),
      group,
      groupHex: group === null ? null : bytesToHex(group),
      directoryKey: encrypted ? directoryKey(secret) : null,
      claim: null,
      pendingClaims: new Map(),
      seenEntries: new Set(),
    }
    if (group !== null && n.directoryKey !== null) {
      try {
        n.claim = sealClaim(createClaim(this.opts.signer, id, n.ownFeedKey), n.directoryKey, group)
      } catch {
        // Locked already: the peer is closing; nothing to put.
      }
    }
    this.negotiations.set(id, n)
    for (const feedKey of Object.keys(this.state.feeds(id))) void this.ensureFeed(n, feedKey)
    for (const [owner, feedKey] of this.hostFeeds(id)) this.bind(n, owner, feedKey, null)
    if (creator !== null && creator !== n.ownFeedKey) void this.ensureFeed(n, creator)
    for (const link of this.links) link.openNegotiation(id)
    this.refreshSeeders()
    n.discovery = this.swarm.join(Buffer.from(topic), { server: true, client: true })
    await n.discovery.flushed()
  }

  /**
   * Replaces the seeders that keep a negotiation's feeds (the profile's list
   * changed). Ignored for a negotiation with plaintext feeds: no seeder may hold those.
   */
  setSeeders(negotiation: string, seeders: readonly string[]): void {
    this.live()
    const n = this.negotiation(negotiation)
    if (n.encryptionKey === null) return
    n.seeders = new Set(checkSeeders(seeders))
    this.refreshSeeders()
  }

  seedersOf(negotiation: string): string[] {
    return [...this.negotiation(negotiation).seeders].sort()
  }

  /** What our seeders hold of our own feeds: what the UI shows as "everything you signed has reached a seeder". */
  seeding(): SeedingStatus {
    this.noteHeld()
    const bySeeder = new Map<string, string[]>()
    const feeds: OwnFeedSeeding[] = []
    for (const n of this.negotiations.values()) {
      if (n.seeders.size === 0) continue
      for (const s of n.seeders) bySeeder.set(s, [...(bySeeder.get(s) ?? []), n.id])
      feeds.push({
        negotiation: n.id,
        feedKey: n.ownFeedKey,
        length: n.own.length,
        held: Math.min(n.own.length, this.state.seeded(n.id)),
        seeders: [...n.seeders].sort(),
      })
    }
    const seeders = [...bySeeder.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([publicKey, negotiations]) => ({
        publicKey,
        connected: this.seederLinks.get(publicKey)?.isClosed === false,
        negotiations: negotiations.sort(),
        refusal: this.seederRefusals.get(publicKey) ?? null,
      }))
    return { seeders, feeds, allHeld: feeds.every((f) => f.held >= f.length) }
  }

  /**
   * Waits until some seeder holds every entry of each of our seeded feeds, or
   * `timeoutMs` passes (a clean stop waits here). Resolves with the final status.
   */
  async waitSeeded(timeoutMs: number): Promise<SeedingStatus> {
    const deadline = Date.now() + Math.max(0, timeoutMs)
    let status = this.seeding()
    while (!status.allHeld && !this.closing && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      status = this.seeding()
    }
    this.state.save()
    return status
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

  ownFeedLength(negotiation: string): number {
    return this.negotiation(negotiation).own.length
  }

  /**
   * Empties our feed of a negotiation whose topic secret was lost before any
   * invite could exist (a crash right after create): its blocks are encrypted
   * under a key nobody can derive any more, and nobody can have read them, so
   * they are rewritten under the new secret's key from the stored messages.
   */
  async discardOwnFeed(negotiation: string): Promise<void> {
    this.live()
    const n = this.negotiation(negotiation)
    if (n.own.length > 0) await n.own.truncate(0)
    this.state.setSeeded(n.id, 0)
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
    this.noteHeld()
    this.closing = true
    for (const link of [...this.links]) link.destroy()
    for (const link of [...this.seederLinks.values()]) link.destroy()
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
    const remote = bytesToHex(info.publicKey)
    if (this.joinedSeeders.has(remote)) return this.onSeederConnection(conn, remote)
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
      core = await this.feedStore.openRemote(feedKey, n.encryptionKey)
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
    this.syncSeeders(n)
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
      this.judgeClaims(n, [...n.pendingClaims.values()])
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

  // --- seeders -----------------------------------------------------------

  /** Keeps a connection to every seeder some negotiation uses, and none to the others. */
  private refreshSeeders(): void {
    if (this.closing || !this.swarm) return
    const wanted = new Set<string>()
    for (const n of this.negotiations.values()) for (const s of n.seeders) wanted.add(s)
    for (const s of wanted) {
      if (this.joinedSeeders.has(s)) continue
      this.joinedSeeders.add(s)
      this.swarm.joinPeer(Buffer.from(s, 'hex'))
    }
    for (const s of [...this.joinedSeeders]) {
      if (wanted.has(s)) continue
      this.joinedSeeders.delete(s)
      this.swarm.leavePeer(Buffer.from(s, 'hex'))
      this.seederLinks.get(s)?.destroy()
    }
    for (const n of this.negotiations.values()) this.syncSeeders(n)
  }

  private onSeederConnection(conn: SwarmConnection, seeder: string): void {
    this.seederLinks.get(seeder)?.destroy()
    const link = new SeederLink(conn, seeder, this.seederContext)
    this.seederLinks.set(seeder, link)
    this.seederRefusals.delete(seeder)
    this.emit('seeder', { type: 'connected', seeder })
    for (const n of this.negotiations.values()) if (n.seeders.has(seeder)) link.sync(this.seeded(n))
  }

  /** Hands the negotiation's feeds (ours and every remote one) to its connected seeders. */
  private syncSeeders(n: Negotiation): void {
    if (n.seeders.size === 0 || this.closing) return
    let seeded: SeededNegotiation | null = null
    for (const s of n.seeders) {
      const link = this.seederLinks.get(s)
      if (link === undefined || link.isClosed) continue
      seeded ??= this.seeded(n)
      link.sync(seeded)
    }
  }

  private seeded(n: Negotiation): SeededNegotiation {
    return { id: n.id, group: n.group!, claim: n.claim, cores: [n.own, ...[...n.feeds.values()].map((f) => f.core)] }
  }

  /** Directory entries from a seeder: each counts only if it opens with our key and carries a valid claim. */
  private onDirectoryEntries(link: SeederLink, group: string, entries: Uint8Array[]): void {
    for (const n of this.negotiations.values()) {
      if (n.groupHex !== group || !n.seeders.has(link.seeder) || n.directoryKey === null || n.group === null) continue
      const claims: FeedClaim[] = []
      let unreadable = 0
      for (const entry of entries) {
        const seen = bytesToHex(entry)
        if (n.seenEntries.has(seen)) continue
        if (n.seenEntries.size < MAX_SEEN_ENTRIES) n.seenEntries.add(seen)
        const claim = openClaim(entry, n.directoryKey, n.group)
        if (claim === null || !verifyClaim(claim, n.id)) unreadable++
        else claims.push(claim)
      }
      // A stranger cannot write here (it lacks the group), so garbage means a member or
      // the seeder misbehaves; neither is proven, so it is reported, never charged.
      if (unreadable > 0) this.emit('seeder', { type: 'garbage', seeder: link.seeder, text: `${unreadable} directory entr${unreadable === 1 ? 'y' : 'ies'} of ${n.id.slice(0, 16)} are not valid claims` })
      this.judgeClaims(n, claims)
    }
  }

  /** Binds the feeds of members' claims; keeps the rest while the members are unknown. */
  private judgeClaims(n: Negotiation, claims: FeedClaim[]): void {
    const knowsMembers = this.isMember(n.id, this.opts.signer.publicKey)
    for (const claim of claims) {
      const id = `${claim.identity}:${claim.feedKey}`
      if (claim.feedKey === n.ownFeedKey) {
        n.pendingClaims.delete(id)
        continue
      }
      if (this.isMember(n.id, claim.identity)) {
        n.pendingClaims.delete(id)
        this.bind(n, claim.identity, claim.feedKey, null)
      } else if (knowsMembers) {
        n.pendingClaims.delete(id)
      } else {
        // Before GENESIS: as with hellos, the creator's feed (named by the invite) is
        // bound to its claimant at once; the host accepts GENESIS only from its author.
        if (claim.feedKey === n.creatorFeedKey) this.bind(n, claim.identity, claim.feedKey, null)
        if (n.pendingClaims.size < MAX_PENDING_CLAIMS) n.pendingClaims.set(id, claim)
      }
    }
  }

  /** Remembers, per negotiation, the most of our feed any of its seeders was seen to hold. */
  private noteHeld(): void {
    for (const n of this.negotiations.values()) {
      let held = 0
      for (const s of n.seeders) {
        // A link closing right now still reads what its replication last said.
        const link = this.seederLinks.get(s)
        if (link !== undefined) held = Math.max(held, link.held(n.own))
      }
      if (held > this.state.seeded(n.id)) this.state.setSeeded(n.id, held)
    }
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

/** Distinct valid Ed25519 keys, at most MAX_SEEDERS, sorted. */
function checkSeeders(seeders: readonly string[]): string[] {
  if (!Array.isArray(seeders)) throw TrustError.invalidInput('seeders must be a list of public keys')
  const unique = [...new Set(seeders)]
  if (unique.length > MAX_SEEDERS) throw TrustError.invalidInput(`a negotiation uses at most ${MAX_SEEDERS} seeders`)
  for (const s of unique) if (!isPublicKeyHex(s)) throw TrustError.invalidInput('a seeder key must be a valid Ed25519 public key, 64 lowercase hex chars')
  return unique.sort()
}
