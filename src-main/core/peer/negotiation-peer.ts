/**
 * One profile on the network (DESIGN sections 4 and 5): its negotiation service
 * and its replicator, joined. Every action is signed and stored by the service
 * first (durable), then appended to our feed; every feed entry from others goes
 * through the service's ingest (sync-host.ts). The topic secret of every
 * negotiation is stored, so a restart rejoins them all and appends whatever a
 * crash left out of our feed.
 */
import { EventEmitter } from 'node:events'
import { TrustError } from '../errors.js'
import { bytesToHex } from '../crypto/hex.js'
import type { Signer } from '../crypto/signer.js'
import type { Db } from '../store/database.js'
import { MessageStore } from '../store/messages.js'
import { ReceiptChain } from '../receipts/receipt-chain.js'
import { NegotiationService } from '../negotiation/negotiation-service.js'
import type { ActionResult, CreateInput, NegotiationServiceEvent, NegotiationSummary, NegotiationView } from '../negotiation/index.js'
import type { NegotiationState } from '../protocol/fold/state.js'
import {
  Replicator,
  createTopicSecret,
  decodeInvite,
  type EntryEvent,
  type Network,
  type PeerEvent,
  type RejectedPeerEvent,
  type SeederEvent,
  type SeedingStatus,
  type SyncLimits,
} from '../sync/index.js'
import { NegotiationSeeders } from './negotiation-seeders.js'
import { OwnFeedWriter, type OwnMessage } from './own-feed-writer.js'
import { PeerRecords, type FeedForkRow, type IncidentRow } from './peer-records.js'
import { ServiceSyncHost } from './sync-host.js'

export interface NegotiationPeerOptions {
  /** The profile's database (migrations up to 004); the caller opens and closes it. */
  db: Db
  /**
   * The profile's identity; it must be unlocked while the peer runs. An
   * IdentityService (with onChange) closes the peer when it locks: received
   * envelopes get signed receipts, so nothing can be ingested while locked.
   */
  identity: { signer(): Signer; onChange?: (listener: (e: { state: string }) => void) => () => void }
  network: Network
  /** The profile's sync directory (Corestore and the replicator's state file). */
  syncDir: string
  now?: () => number
  limits?: Partial<SyncLimits>
  /** Refuse connections from or to these swarm keys (tests: peers that must never meet). */
  firewall?: (remoteSwarmKey: Uint8Array) => boolean
  /** How long join() waits for the GENESIS from the creator's feed. Default 30 s. */
  joinTimeoutMs?: number
  /** Negotiations whose fold stays in memory (NegotiationService). */
  cacheSize?: number
  /** Called before the peer rejoins its negotiations: attach listeners here to miss no event of the catch-up. */
  listen?: (peer: NegotiationPeer) => void
}

export type NegotiationEvent = Extract<NegotiationServiceEvent, { type: 'negotiation' }>
export type MessageEvent = Extract<NegotiationServiceEvent, { type: 'message' }>
export type EvidenceEvent =
  | { kind: 'fork'; negotiation: string; owner: string; feedKey: string; note: string }
  | { kind: 'misbehavior'; negotiation: string | null; peer: string | null; reason: string }

export interface NegotiationPeerEvents {
  negotiation: [NegotiationEvent]
  message: [MessageEvent]
  peer: [PeerEvent]
  'rejected-peer': [RejectedPeerEvent]
  evidence: [EvidenceEvent]
  /** Every feed entry handed to the service, with its verdict. */
  entry: [EntryEvent]
  /** The peer went offline by itself (the identity was locked); open a new one after unlock. */
  closed: [{ reason: string }]
  /** A seeder connected, disconnected, refused a request or sent garbage. */
  seeder: [SeederEvent]
}

export interface CreatedNegotiation {
  negotiation: string
  invite: string
  state: NegotiationState
}

interface JoinWaiter {
  resolve(state: NegotiationState): void
  reject(err: TrustError): void
}

const DEFAULT_JOIN_TIMEOUT_MS = 30_000
/** How long a clean stop waits for the seeders to hold what we signed (DESIGN section 5). */
export const DEFAULT_SEED_WAIT_MS = 10_000
/** Negotiations rejoined at once on open: each join announces on the DHT. */
const REJOIN_CONCURRENCY = 16

export class NegotiationPeer extends EventEmitter<NegotiationPeerEvents> {
  readonly publicKey: string
  readonly service: NegotiationService
  readonly replicator: Replicator
  private readonly opts: NegotiationPeerOptions
  private readonly now: () => number
  private readonly records: PeerRecords
  private readonly messages: MessageStore
  private readonly host: ServiceSyncHost
  private readonly writer: OwnFeedWriter
  private readonly seeders: NegotiationSeeders
  /** Negotiations whose JOIN we still owe, and who waits for it. */
  private readonly joining = new Map<string, JoinWaiter[]>()
  private readonly finishing = new Set<string>()
  private closed = false

  private constructor(opts: NegotiationPeerOptions, publicKey: string) {
    super()
    this.opts = opts
    this.publicKey = publicKey
    this.now = opts.now ?? Date.now
    this.records = new PeerRecords(opts.db)
    this.seeders = new NegotiationSeeders(opts.db)
    this.messages = new MessageStore(opts.db)
    this.service = new NegotiationService({
      db: opts.db,
      identity: opts.identity,
      receipts: new ReceiptChain(opts.db, publicKey),
      now: this.now,
      onEvent: (e) => this.onServiceEvent(e),
      ...(opts.cacheSize === undefined ? {} : { cacheSize: opts.cacheSize }),
    })
    this.host = new ServiceSyncHost({
      db: opts.db,
      records: this.records,
      ingest: (bytes, o) => this.service.ingest(bytes, o),
      together: (run) => this.service.ingestTogether(run),
      now: this.now,
      onEvidence: (e) =>
        this.emit(
          'evidence',
          e.kind === 'fork'
            ? { kind: 'fork', negotiation: e.evidence.negotiation, owner: e.evidence.owner, feedKey: e.evidence.feedKey, note: e.evidence.note }
            : { kind: 'misbehavior', negotiation: e.event.negotiation, peer: e.event.peer, reason: e.event.reason },
        ),
    })
    // The replicator signs handshakes through the identity on every use, so a
    // locked identity signs nothing and no key is copied here.
    const signer: Signer = {
      publicKey,
      signCanonical: (domain, value) => opts.identity.signer().signCanonical(domain, value),
      signBytes: (message) => opts.identity.signer().signBytes(message),
    }
    this.replicator = new Replicator({
      storeDir: opts.syncDir,
      network: opts.network,
      signer,
      host: this.host,
      ...(opts.limits === undefined ? {} : { limits: opts.limits }),
      ...(opts.firewall === undefined ? {} : { firewall: opts.firewall }),
    })
    this.writer = new OwnFeedWriter(this.replicator, (id) => this.ownStored(id))
    this.replicator.on('peer', (e) => this.emit('peer', e))
    this.replicator.on('rejected-peer', (e) => this.emit('rejected-peer', e))
    this.replicator.on('seeder', (e) => this.emit('seeder', e))
    this.replicator.on('entry', (e) => this.onEntry(e))
    this.unsubscribe =
      opts.identity.onChange?.((e) => {
        if (e.state !== 'locked' || this.closed) return
        // Stop replicating at once: every entry ingested while locked would be refused.
        void this.close().then(() => this.emit('closed', { reason: 'LOCKED' }))
      }) ?? null
  }

  private readonly unsubscribe: (() => void) | null

  /** Opens the peer and rejoins every negotiation it replicates. Throws LOCKED if the identity is locked. */
  static async open(opts: NegotiationPeerOptions): Promise<NegotiationPeer> {
    const publicKey = opts.identity.signer().publicKey
    const peer = new NegotiationPeer(opts, publicKey)
    opts.listen?.(peer)
    try {
      await peer.start()
    } catch (err) {
      await peer.close().catch(() => {})
      throw TrustError.from(err)
    }
    return peer
  }

  private async start(): Promise<void> {
    await this.replicator.open()
    await this.adoptOrphans()
    const rows = this.records.active()
    for (let i = 0; i < rows.length; i += REJOIN_CONCURRENCY) {
      await Promise.all(
        rows.slice(i, i + REJOIN_CONCURRENCY).map(async (row) => {
          if (row.state === 'joining') this.joining.set(row.negotiation, this.joining.get(row.negotiation) ?? [])
          await this.replicator.joinNegotiation({ ...row, seeders: this.seeders.of(row) })
          if (row.state === 'joined') await this.writer.flush(row.negotiation)
          else void this.finishJoin(row.negotiation)
        }),
      )
    }
  }

  /**
   * A negotiation we created whose topic secret was never stored (a crash right
   * after create): no invite for it can exist yet, so a fresh secret is safe.
   */
  private async adoptOrphans(): Promise<void> {
    for (const n of this.service.list()) {
      if (n.participants[0] !== this.publicKey || this.records.get(n.negotiation) !== undefined) continue
      const topicSecret = bytesToHex(createTopicSecret())
      const seeders = this.seeders.of({ negotiation: n.negotiation, encrypted: true })
      await this.replicator.joinNegotiation({ negotiation: n.negotiation, topicSecret, encrypted: true, seeders })
      // What the feed holds was encrypted under the lost secret: the writer rewrites it from the store.
      await this.replicator.discardOwnFeed(n.negotiation)
      const creatorFeedKey = this.replicator.ownFeedKey(n.negotiation)
      this.records.remember({ negotiation: n.negotiation, topicSecret, creatorFeedKey, state: 'joined', at: this.iso(), encrypted: true })
    }
  }

  // ---- creating and joining -----------------------------------------------

  /** Signs GENESIS, makes it entry 0 of our feed, joins the topic; returns the invite to hand out. */
  async create(input: CreateInput): Promise<CreatedNegotiation> {
    this.live()
    const created = this.service.create(input)
    const id = created.negotiation
    const topicSecret = bytesToHex(createTopicSecret())
    const seeders = this.seeders.of({ negotiation: id, encrypted: true })
    await this.replicator.joinNegotiation({ negotiation: id, topicSecret, encrypted: true, seeders })
    const creatorFeedKey = this.replicator.ownFeedKey(id)
    this.records.remember({ negotiation: id, topicSecret, creatorFeedKey, state: 'joined', at: this.iso(), encrypted: true })
    await this.writer.flush(id, { seq: 0, bytes: created.genesis.bytes })
    return { negotiation: id, invite: this.invite(id), state: created.state }
  }

  /** The invite of a negotiation this peer replicates (any member may hand it on), naming its seeders. */
  invite(negotiation: string): string {
    const row = this.records.get(negotiation)
    if (row === undefined || row.state === 'refused') throw TrustError.notFound(`negotiation ${String(negotiation).slice(0, 16)}`)
    return this.seeders.invite(row)
  }

  /** The profile's seeder list changed: every encrypted negotiation now uses the new set. */
  refreshSeeders(): void {
    this.live()
    for (const row of this.records.active()) {
      if (row.encrypted) this.replicator.setSeeders(row.negotiation, this.seeders.of(row))
    }
  }

  /** What our seeders hold of what we signed. */
  seeding(): SeedingStatus {
    return this.replicator.seeding()
  }

  /**
   * Joins by invite: fetches GENESIS from the creator's feed, checks we are named
   * in it (participant or arbiter), then appends our JOIN naming our feed.
   * BAD_INVITE for a malformed invite; ILLEGAL_ACTION when GENESIS does not name
   * us; NETWORK when GENESIS does not arrive in time (the join goes on in the
   * background and completes when it does, also after a restart).
   */
  async join(invite: string): Promise<NegotiationState> {
    this.live()
    const inv = decodeInvite(invite)
    const id = inv.negotiation
    const row = this.records.get(id)
    if (row?.state === 'refused') throw notNamed(id, this.publicKey)
    if (row?.state === 'joined') return this.service.get(id)
    const fresh = this.records.remember({
      negotiation: id,
      topicSecret: inv.topicSecret,
      creatorFeedKey: inv.creatorFeedKey,
      state: 'joining',
      at: this.iso(),
      encrypted: inv.encrypted,
    })
    // The invite's seeders hold the creator's feed: they are how we join while the creator is offline.
    if (fresh && inv.encrypted) this.seeders.store.setForNegotiation(id, inv.seeders)
    const stored = this.records.get(id)!
    if (!this.joining.has(id)) this.joining.set(id, [])
    const done = new Promise<NegotiationState>((resolve, reject) => this.joining.get(id)!.push({ resolve, reject }))
    done.catch(() => undefined) // a close while the lines below still run rejects it before the race below listens
    await this.replicator.joinNegotiation({ ...stored, seeders: this.seeders.of(stored) })
    void this.finishJoin(id)
    const timeoutMs = this.opts.joinTimeoutMs ?? DEFAULT_JOIN_TIMEOUT_MS
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TrustError('NETWORK', `no GENESIS of ${id.slice(0, 16)} from the creator's feed within ${timeoutMs} ms; still trying`)),
        timeoutMs,
      )
    })
    try {
      return await Promise.race([done, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Sends our JOIN once GENESIS is here; idempotent, one run at a time per negotiation. */
  private async finishJoin(id: string): Promise<void> {
    if (this.closed || !this.joining.has(id) || this.finishing.has(id) || !this.host.membersOf(id).size) return
    this.finishing.add(id)
    try {
      if (!this.host.isMember(id, this.publicKey)) return this.refuse(id)
      let state: NegotiationState = this.service.get(id)
      const joined = state.joined.includes(this.publicKey) || state.arbitersJoined.includes(this.publicKey)
      // 'joined' first: listeners of the JOIN's own events may act on the negotiation at once.
      this.records.setState(id, 'joined')
      if (!joined) {
        try {
          state = this.service.join({ negotiation: id, feed: this.replicator.ownFeedKey(id) }).state
        } catch (err) {
          this.records.setState(id, 'joining')
          throw err
        }
      }
      const waiters = this.joining.get(id) ?? []
      this.joining.delete(id)
      await this.writer.flush(id)
      for (const w of waiters) w.resolve(state)
    } catch (err) {
      const waiters = this.joining.get(id) ?? []
      this.joining.set(id, [])
      for (const w of waiters) w.reject(TrustError.from(err))
    } finally {
      this.finishing.delete(id)
    }
  }

  private refuse(id: string): void {
    const err = notNamed(id, this.publicKey)
    this.records.setState(id, 'refused', 'NOT_PARTICIPANT')
    const waiters = this.joining.get(id) ?? []
    this.joining.delete(id)
    for (const w of waiters) w.reject(err)
  }

  // ---- actions --------------------------------------------------------------

  offer(p: { negotiation: string; changes: unknown[]; note?: string }): Promise<ActionResult> {
    return this.act(p.negotiation, () => this.service.offer(p))
  }

  lock(p: { negotiation: string; clause: string }): Promise<ActionResult> {
    return this.act(p.negotiation, () => this.service.lock(p))
  }

  accept(p: { negotiation: string; termsHash: string }): Promise<ActionResult> {
    return this.act(p.negotiation, () => this.service.accept(p))
  }

  finalize(p: { negotiation: string; termsHash: string }): Promise<ActionResult> {
    return this.act(p.negotiation, () => this.service.finalize(p))
  }

  withdraw(p: { negotiation: string; reason?: string }): Promise<ActionResult> {
    return this.act(p.negotiation, () => this.service.withdraw(p))
  }

  dispute(p: { negotiation: string; reason: string; evidence?: string }): Promise<ActionResult> {
    return this.act(p.negotiation, () => this.service.dispute(p))
  }

  decide(p: { negotiation: string; dispute?: string; outcome: 'upheld' | 'rejected'; remedy?: string }): Promise<ActionResult> {
    return this.act(p.negotiation, () => this.service.decide(p))
  }

  resolve(p: { negotiation: string; dispute?: string; settlement: string }): Promise<ActionResult> {
    return this.act(p.negotiation, () => this.service.resolve(p))
  }

  /** Signs and stores through the service (which refuses before signing), then appends to our feed. */
  private async act(negotiation: unknown, action: () => ActionResult): Promise<ActionResult> {
    this.live()
    const id = String(negotiation)
    const row = this.records.get(id)
    if (row === undefined || row.state === 'refused') throw TrustError.notFound(`negotiation ${id.slice(0, 16)} (not joined on this peer)`)
    if (row.state === 'joining') throw TrustError.illegal('the join of this negotiation is not complete yet: its GENESIS has not arrived')
    const result = action()
    const tip = result.state.feeds[this.publicKey]
    const latest: OwnMessage | undefined = tip?.tip === result.hash ? { seq: tip.nextSeq - 1, bytes: result.bytes } : undefined
    await this.writer.flush(id, latest)
    return result
  }

  // ---- queries --------------------------------------------------------------

  get(negotiation: string): NegotiationView {
    return this.service.get(negotiation)
  }

  list(): NegotiationSummary[] {
    return this.service.list()
  }

  /** Forked or truncated feeds seen in a negotiation (equivocation evidence). */
  forks(negotiation: string): FeedForkRow[] {
    return this.records.forks(negotiation)
  }

  /** Peers the replication layer rejected, with their reasons. */
  incidents(): IncidentRow[] {
    return this.records.incidents()
  }

  /**
   * Closes the peer. `seedWaitMs` (a clean stop: SIGTERM, quitting the app) first
   * waits up to that long for the seeders to hold our latest entries; a lock
   * closes at once.
   */
  async close(opts: { seedWaitMs?: number } = {}): Promise<SeedingStatus | null> {
    if (this.closed) return null
    this.closed = true
    this.unsubscribe?.()
    await this.writer.idle()
    const seeded = (opts.seedWaitMs ?? 0) > 0 ? await this.replicator.waitSeeded(opts.seedWaitMs ?? 0) : null
    await this.replicator.close()
    for (const [, waiters] of this.joining) for (const w of waiters) w.reject(new TrustError('CLOSED', 'the peer was closed'))
    this.joining.clear()
    return seeded
  }

  // ---- internals ------------------------------------------------------------

  private onEntry(e: EntryEvent): void {
    this.emit('entry', e)
    if (!this.joining.has(e.negotiation)) return
    if (e.accepted) void this.finishJoin(e.negotiation)
    // The service refuses to store a GENESIS that does not name us: entry 0 of the
    // creator's feed is that GENESIS (its hash is the negotiation id we asked for).
    else if (e.index === 0 && e.reason === 'NOT_PARTICIPANT') this.refuse(e.negotiation)
  }

  private onServiceEvent(e: NegotiationServiceEvent): void {
    if (e.type === 'negotiation') this.emit('negotiation', e)
    else this.emit('message', e)
  }

  private ownStored(id: string): OwnMessage[] {
    return this.messages
      .forNegotiation(id)
      .filter((m) => m.author === this.publicKey)
      .sort((a, b) => a.seq - b.seq)
      .map((m) => ({ seq: m.seq, bytes: m.bytes }))
  }

  private live(): void {
    if (this.closed) throw new TrustError('CLOSED', 'the peer is closed')
  }

  private iso(): string {
    return new Date(this.now()).toISOString()
  }
}

function notNamed(id: string, me: string): TrustError {
  return TrustError.illegal(`the GENESIS of negotiation ${id.slice(0, 16)} does not name ${me.slice(0, 16)} as a participant or arbiter`, {
    reason: 'NOT_PARTICIPANT',
  })
}
