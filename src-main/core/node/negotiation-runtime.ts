/**
 * The part of a node that exists once the profile has an identity: the receipt
 * chain (DESIGN section 7) and the negotiation peer (sections 4, 5). The peer runs
 * only while the identity is unlocked: its handshakes, actions and even ingest
 * (receipts are signed) need the key, and a lock must wipe it (section 2). So a
 * lock stops the peer first and an unlock starts it again from disk, where it
 * rejoins every negotiation and resumes each feed at its stored cursor. While
 * locked, reads go to a service of their own over the same store.
 */
import type { TrustEvent } from '../../api.js'
import { TrustError } from '../errors.js'
import type { Signer } from '../crypto/signer.js'
import { exportBundle } from '../bundle/export-bundle.js'
import type { Bundle } from '../bundle/bundle.js'
import type { IdentityService } from '../identity/index.js'
import type { Clock } from '../jobs/clock.js'
import { NegotiationService, type ActionResult, type CreateInput } from '../negotiation/index.js'
import { DEFAULT_SEED_WAIT_MS, NegotiationPeer, PeerRecords } from '../peer/index.js'
import { NegotiationSeeders } from '../peer/negotiation-seeders.js'
import { ReceiptChain } from '../receipts/index.js'
import { listContacts } from '../store/contacts.js'
import type { Db } from '../store/database.js'
import { MessageStore } from '../store/messages.js'
import type { Network, SeedingStatus } from '../sync/index.js'
import { refusalJson } from './seeders-api.js'
import type { Logger } from '../telemetry/logger.js'
import type { Metrics } from '../telemetry/metrics.js'
import type { ConnectedPeer } from './network-api.js'
import type { JobBodies } from './node-jobs.js'
import { NodeObserver } from './observe.js'
import type { ProfilePaths } from './profile-paths.js'

export interface RuntimeOptions {
  db: Db
  identity: IdentityService
  network: Network
  paths: ProfilePaths
  clock: Clock
  logger: Logger
  metrics: Metrics
  emit(event: TrustEvent): void
  /** How long negotiations.join waits for GENESIS before answering NETWORK (the join goes on). */
  joinTimeoutMs?: number
  /** How long closing waits for the seeders to hold what we signed (DESIGN section 5). Default 10 s. */
  seedWaitMs?: number
}

export type ActionKind = 'offer' | 'lock' | 'accept' | 'finalize' | 'withdraw' | 'dispute' | 'decide' | 'resolve'

/** What the API layer needs from a running peer. */
export interface RunningPeer {
  create(input: CreateInput): Promise<{ negotiation: string; invite: string }>
  join(invite: string): Promise<{ negotiation: string }>
  act(kind: ActionKind, params: { negotiation: string } & Record<string, unknown>): Promise<ActionResult>
}

const OPEN = new Set(['INITIATED', 'NEGOTIATING', 'CONSENSUS_REACHED'])


export class NegotiationRuntime {
  private chain: ReceiptChain | null = null
  private readService: NegotiationService | null = null
  private running: NegotiationPeer | null = null
  private starting: Promise<NegotiationPeer> | null = null
  /** Start and stop run one after the other, never interleaved. */
  private transition: Promise<unknown> = Promise.resolve()
  private closed = false
  private readonly observer: NodeObserver

  constructor(private readonly o: RuntimeOptions) {
    this.observer = new NodeObserver({
      logger: o.logger,
      metrics: o.metrics,
      emit: o.emit,
      statusOf: (id) => this.service().list().find((n) => n.negotiation === id)?.status,
      startedAt: (id) => {
        const genesis = this.service().get(id).timeline.find((m) => m.type === 'GENESIS')
        return genesis === undefined ? undefined : Date.parse(genesis.time)
      },
      activeCount: () => this.service().list().filter((n) => OPEN.has(n.status)).length,
      now: () => o.clock.now(),
    })
  }

  now(): number {
    return this.o.clock.now()
  }

  /** The receipt chain of this profile's identity; NO_IDENTITY before there is one. */
  receipts(): ReceiptChain {
    const key = this.publicKey()
    if (this.chain === null || this.chain.publicKey !== key) this.chain = new ReceiptChain(this.o.db, key)
    return this.chain
  }

  signerOrNull(): Signer | null {
    try {
      return this.o.identity.signer()
    } catch {
      return null
    }
  }

  /** For reads: the running peer's service, else one over the same store (it can sign nothing while locked). */
  service(): NegotiationService {
    this.live()
    if (this.running !== null) return this.running.service
    const key = this.publicKey()
    this.readService ??= new NegotiationService({
      db: this.o.db,
      identity: { signer: () => this.o.identity.signer() },
      receipts: new ReceiptChain(this.o.db, key),
      now: () => this.o.clock.now(),
    })
    return this.readService
  }

  /** The running peer for actions: LOCKED while locked, NO_IDENTITY without an identity. */
  async peer(): Promise<RunningPeer> {
    this.live()
    this.publicKey()
    if (this.signerOrNull() === null) throw TrustError.locked()
    const peer = this.running ?? (await (this.starting ?? this.start()))
    return {
      create: async (input) => {
        const created = await peer.create(input)
        this.observer.created(created.negotiation, 'created')
        return { negotiation: created.negotiation, invite: created.invite }
      },
      join: async (invite) => {
        const state = await peer.join(invite)
        this.observer.created(state.negotiation, 'joined')
        return { negotiation: state.negotiation }
      },
      act: (kind, params) => (peer[kind] as (p: unknown) => Promise<ActionResult>).call(peer, params),
    }
  }

  /** The invite of a negotiation this profile replicates (works while locked: nothing is signed). */
  invite(negotiation: string): string {
    this.live()
    if (this.running !== null) return this.running.invite(negotiation)
    const row = new PeerRecords(this.o.db).get(negotiation)
    if (row === undefined || row.state === 'refused') throw TrustError.notFound(`negotiation ${negotiation.slice(0, 16)} on this profile`)
    return new NegotiationSeeders(this.o.db).invite(row)
  }

  /** What the running peer's seeders hold right now; null while it is offline. */
  seeding(): SeedingStatus | null {
    return this.running === null ? null : this.running.seeding()
  }

  /** The profile's seeder list changed: the running peer uses the new one at once. */
  seedersChanged(): void {
    if (this.running === null) return
    try {
      this.running.refreshSeeders()
    } catch (err) {
      this.o.logger.warn({ err }, 'the seeder list could not be applied to the running peer')
    }
  }

  /** The agreement bundle (DESIGN section 10): every correctly signed envelope, the names we know, our state as the claim. */
  exportBundle(negotiation: string): Bundle {
    const view = this.service().get(negotiation)
    if (view.status === undefined) throw new TrustError('INVALID_NEGOTIATION', `negotiation ${negotiation} is invalid`)
    // A badly signed envelope is kept as evidence locally, but it is not part of the agreement.
    const envelopes = new MessageStore(this.o.db)
      .forNegotiation(negotiation)
      .filter((m) => m.sigValid)
      .map((m) => m.bytes)
    const names: Record<string, string> = {}
    for (const c of listContacts(this.o.db)) names[c.publicKey] = c.name
    const me = this.o.identity.status()
    if (me.publicKey !== undefined && me.name !== undefined) names[me.publicKey] = me.name
    return exportBundle({ negotiation, envelopes, names, state: { status: view.status, termsHash: view.termsHash, bindingHash: view.bindingHash } })
  }

  peers(): ConnectedPeer[] {
    if (this.running === null) return []
    return this.running.replicator.peers().map((p) => ({ identity: p.identity, negotiations: [...p.negotiations] }))
  }

  /** Starts the peer on unlock; stops it on lock (before the key is wiped, when the lock comes through the API). */
  onIdentityChange(unlocked: boolean): void {
    if (this.closed) return
    if (unlocked) void this.start().catch((err: unknown) => this.o.logger.error({ err }, 'the peer did not start'))
    else void this.stop()
  }

  jobBodies(): JobBodies {
    return {
      timeout: (now) => this.withPeer((peer) => `expired ${peer.service.expireDue(now).length}`),
      appeal: (now) => this.withPeer((peer) => `lapsed ${peer.service.lapseDue(now).length}`),
      checkpoint: () => {
        const signer = this.signerOrNull()
        if (signer === null) return 'locked'
        const chain = this.receipts()
        if (chain.size() === 0) return 'no receipts yet'
        chain.checkpoint(signer)
        return `checkpoint at ${chain.size()}`
      },
    }
  }

  /**
   * Stops the peer (the network, the feeds); the store stays open. A clean stop
   * (`seedWaitMs`) first waits for the seeders to hold what we signed; a lock does not.
   */
  stop(opts: { seedWaitMs?: number } = {}): Promise<void> {
    const run = this.transition.then(async () => {
      const peer = this.running ?? (this.starting ? await this.starting.catch(() => null) : null)
      this.running = null
      this.starting = null
      this.observer.reset()
      if (peer !== null) {
        const seeded = await peer.close(opts.seedWaitMs === undefined ? {} : { seedWaitMs: opts.seedWaitMs })
        if (seeded !== null) {
          const pending = seeded.feeds.reduce((sum, f) => sum + Math.max(0, f.length - f.held), 0)
          this.o.logger[seeded.allHeld ? 'info' : 'warn']({ pending, feeds: seeded.feeds.length }, seeded.allHeld ? 'everything signed has reached a seeder' : 'stopped before the seeders held everything signed')
        }
        this.o.metrics.connectedPeers.set(0)
        this.o.logger.info('peer stopped')
      }
    })
    this.transition = run.catch(() => undefined)
    return run
  }

  async close(): Promise<void> {
    await this.stop({ seedWaitMs: this.o.seedWaitMs ?? DEFAULT_SEED_WAIT_MS })
    this.closed = true
  }

  private start(): Promise<NegotiationPeer> {
    if (this.running !== null) return Promise.resolve(this.running)
    if (this.starting !== null) return this.starting
    const starting = this.transition.then(async () => {
      this.live()
      const peer = await NegotiationPeer.open({
        db: this.o.db,
        identity: this.o.identity,
        network: this.o.network,
        syncDir: this.o.paths.sync,
        now: () => this.o.clock.now(),
        ...(this.o.joinTimeoutMs === undefined ? {} : { joinTimeoutMs: this.o.joinTimeoutMs }),
      })
      this.wire(peer)
      this.readService = null // its cache would go stale while the peer writes
      this.running = peer
      this.o.metrics.activeNegotiations.set(peer.service.list().filter((n) => OPEN.has(n.status)).length)
      this.o.logger.info({ publicKey: peer.publicKey }, 'peer started')
      return peer
    })
    this.starting = starting
    this.transition = starting.catch(() => undefined)
    return starting.finally(() => {
      if (this.starting === starting) this.starting = null
    })
  }

  private wire(peer: NegotiationPeer): void {
    peer.on('negotiation', (e) => this.observer.serviceEvent(e))
    peer.on('message', (e) => this.observer.serviceEvent(e))
    peer.on('peer', (e) => {
      const connected = new Set(peer.replicator.peers().map((p) => p.identity)).size
      this.observer.peer({ publicKey: e.identity, connected: e.type === 'connected', negotiations: [e.negotiation] }, connected)
    })
    peer.on('rejected-peer', (e) => this.observer.peerRejected(e))
    peer.on('evidence', (e) => this.o.logger.warn({ evidence: e }, 'evidence of misbehavior recorded'))
    peer.on('seeder', (e) => {
      if (e.type === 'garbage') return this.o.logger.warn({ seeder: e.seeder, text: e.text }, 'a seeder sent what is not the protocol')
      if (e.type === 'refused' && e.refusal) this.o.logger.warn({ seeder: e.seeder, code: e.refusal.code }, 'a seeder refused a request')
      else this.o.logger.info({ seeder: e.seeder }, e.type === 'connected' ? 'seeder connected' : 'seeder disconnected')
      this.o.emit({
        type: 'seeder',
        publicKey: e.seeder,
        connected: e.type !== 'disconnected',
        ...(e.refusal ? { refusal: refusalJson(e.refusal) } : {}),
      })
    })
  }

  /** A job body that needs the running peer (it signs receipts); 'locked' without one. */
  private async withPeer(body: (peer: NegotiationPeer) => string): Promise<string> {
    if (this.signerOrNull() === null || !this.o.identity.status().exists) return 'locked'
    const peer = this.running ?? (await (this.starting ?? this.start()))
    return body(peer)
  }

  private publicKey(): string {
    this.live()
    const status = this.o.identity.status()
    if (!status.exists || status.publicKey === undefined) {
      throw new TrustError('NO_IDENTITY', 'there is no identity yet; create one or import a backup')
    }
    return status.publicKey
  }

  private live(): void {
    if (this.closed) throw new TrustError('CLOSED', 'the node is closed')
  }
}
