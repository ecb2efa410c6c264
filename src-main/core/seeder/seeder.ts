/**
 * A seeder (DESIGN section 5): an always-on blind peer that keeps the encrypted
 * feeds it is asked to keep and serves them to whoever connects to its key, so
 * participants who are never online at the same time can still negotiate. It
 * cannot read what it keeps (the feed encryption key never reaches it), cannot
 * forge it (every block is signed by its writer), and keeps serving across
 * restarts (blind-peer's store, our records and its key live in the storage
 * directory).
 *
 * Holepunch's blind-peer does the keeping and serving; around it this adds the
 * quotas (quotas.ts) and the directory (directory-service.ts), logs and metrics.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Hypercore from 'hypercore'
import type Hyperswarm from 'hyperswarm'
import type { SwarmConnection } from 'hyperswarm'
import type { AddCoresRequest } from 'blind-peer'
import { TrustError } from '../errors.js'
import { bytesToHex } from '../crypto/hex.js'
import { acquireProfileLock, type ProfileLock } from '../jobs/profile-lock.js'
import type { Network } from '../sync/network.js'
import { TokenBucket } from '../sync/token-bucket.js'
import { MAX_CORES_PER_REQUEST } from '../sync/seeder-link.js'
import type { RefusalName } from '../sync/seeder-protocol.js'
import { childLogger, type Logger } from '../telemetry/logger.js'
import { DirectoryService } from './directory-service.js'
import { GuardedBlindPeer } from './guarded-blind-peer.js'
import { resolveQuotas, type SeederQuotas } from './quotas.js'
import { loadOrCreateSeederKey } from './seeder-key.js'
import { createSeederMetrics, type SeederMetrics } from './seeder-metrics.js'
import { SeederStore } from './seeder-store.js'

export interface SeederOptions {
  /** Where the seeder keeps everything: blind-peer's store, seeder.db, its key, logs. */
  storageDir: string
  network: Network
  logger: Logger
  quotas?: Partial<SeederQuotas>
  now?: () => number
}

export interface SeederStatus {
  publicKey: string
  feeds: number
  bytes: number
  entries: number
  refusedFeeds: number
  connections: number
}

/** A weak session per kept feed, to see its length and size before blind-peer downloads it. */
interface Watched {
  session: Hypercore
  key: string
  discoveryKey: string
}

export class Seeder {
  readonly publicKey: string
  readonly metrics: SeederMetrics
  readonly quotas: SeederQuotas
  private readonly logger: Logger
  private readonly now: () => number
  private readonly lock: ProfileLock
  private readonly store: SeederStore
  private readonly swarm: Hyperswarm
  private readonly blind: GuardedBlindPeer
  private readonly directory: DirectoryService
  private readonly watched = new Map<string, Watched>()
  private readonly connections = new Set<SwarmConnection>()
  private readonly onCoreOpen = (core: unknown): void => this.watch(core)
  private closing: Promise<void> | null = null

  private constructor(opts: SeederOptions, lock: ProfileLock) {
    this.lock = lock
    this.logger = opts.logger
    this.now = opts.now ?? Date.now
    this.quotas = resolveQuotas(opts.quotas)
    this.metrics = createSeederMetrics()
    this.store = new SeederStore(join(opts.storageDir, 'seeder.db'))
    const keyPair = loadOrCreateSeederKey(opts.storageDir)
    this.publicKey = bytesToHex(keyPair.publicKey)
    this.swarm = opts.network.createSwarm({ keyPair })
    keyPair.secretKey.fill(0)
    this.directory = new DirectoryService(
      this.store,
      this.quotas,
      {
        request: (kind) => this.metrics.requests.inc({ kind }),
        refused: (code, requester, reason) => this.onRefused(code, requester, reason),
        added: () => this.metrics.entries.set(this.store.entryCount()),
      },
      this.now,
    )
    this.blind = new GuardedBlindPeer(join(opts.storageDir, 'blind-peer'), { swarm: this.swarm, enableGc: false }, { admit: (stream, request) => this.admit(stream, request) })
  }

  /** Opens the storage (PROFILE_LOCKED if another seeder runs on it) and starts serving. */
  static async open(opts: SeederOptions): Promise<Seeder> {
    if (typeof opts.storageDir !== 'string' || opts.storageDir === '') throw TrustError.invalidInput('a seeder needs a storage directory')
    mkdirSync(opts.storageDir, { recursive: true })
    const lock = acquireProfileLock(opts.storageDir)
    let seeder: Seeder | null = null
    try {
      seeder = new Seeder(opts, lock)
      await seeder.start()
      return seeder
    } catch (err) {
      if (seeder) await seeder.close().catch(() => {})
      else lock.release()
      throw err instanceof TrustError ? err : new TrustError('NETWORK', `the seeder did not start: ${TrustError.from(err).message}`)
    }
  }

  private async start(): Promise<void> {
    await this.blind.ready()
    this.blind.registerMetrics(this.metrics.promClientShim)
    this.blind.store.watch(this.onCoreOpen)
    this.swarm.on('connection', (conn: SwarmConnection) => this.onConnection(conn))
    this.blind.on('muxer-error', (err: unknown) => this.logger.warn({ err: String(err) }, 'a keep request failed'))
    this.refreshGauges()
    await this.blind.listen()
    this.logger.info({ publicKey: this.publicKey, quotas: this.quotas }, 'seeder started')
  }

  status(): SeederStatus {
    const usage = this.store.usage()
    return {
      publicKey: this.publicKey,
      feeds: usage.feeds,
      bytes: usage.bytes,
      entries: this.store.entryCount(),
      refusedFeeds: this.store.refusedCount(),
      connections: this.connections.size,
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.blind.store.unwatch(this.onCoreOpen)
      for (const w of this.watched.values()) await w.session.close().catch(() => {})
      this.watched.clear()
      await this.blind.close().catch((err: unknown) => this.logger.warn({ err: String(err) }, 'blind-peer did not close cleanly'))
      await this.swarm.destroy().catch(() => {})
      this.store.close()
      this.logger.info('seeder stopped')
      this.lock.release()
    })()
    return this.closing
  }

  // --- connections and keep requests -----------------------------------------

  private onConnection(conn: SwarmConnection): void {
    if (this.closing) return conn.destroy()
    const requester = bytesToHex(conn.remotePublicKey)
    const bucket = new TokenBucket({ ratePerSecond: this.quotas.requestsPerSecond, burst: this.quotas.requestBurst, now: this.now })
    this.connections.add(conn)
    this.metrics.connections.set(this.connections.size)
    conn.on('error', () => {})
    conn.once('close', () => {
      this.connections.delete(conn)
      this.metrics.connections.set(this.connections.size)
    })
    this.directory.attach(conn, requester, bucket)
    childLogger(this.logger, { peer: requester }).debug('connection')
  }

  /** The keep guard: which cores of a request this seeder takes on, within the quotas. */
  private admit(stream: SwarmConnection, request: AddCoresRequest): AddCoresRequest | null {
    if (this.closing) return null
    this.metrics.requests.inc({ kind: 'keep' })
    const requester = bytesToHex(stream.remotePublicKey)
    if (!this.directory.throttle(stream)) return null
    if (!Array.isArray(request.cores) || request.cores.length > MAX_CORES_PER_REQUEST) {
      this.directory.refuseTo(stream, 'MALFORMED', null, `a keep request names at most ${MAX_CORES_PER_REQUEST} feeds`)
      return null
    }
    const q = this.quotas
    const at = new Date(this.now()).toISOString()
    const admitted: AddCoresRequest['cores'] = []
    for (const core of request.cores) {
      const key = bytesToHex(core.key)
      if (this.store.isRefused(key)) {
        this.directory.refuseTo(stream, 'FEED_LIMIT', core.key, 'this feed broke a limit and is not kept')
        continue
      }
      if (this.store.feed(key) === undefined) {
        const mine = this.store.usage(requester)
        const all = this.store.usage()
        if (mine.feeds >= q.maxFeedsPerPeer || mine.bytes >= q.maxBytesPerPeer) {
          this.directory.refuseTo(stream, 'PEER_QUOTA', core.key, `this connection already has ${mine.feeds} feeds (${mine.bytes} bytes) kept, its quota`)
          continue
        }
        if (all.feeds >= q.maxFeeds || all.bytes >= q.maxBytes) {
          this.directory.refuseTo(stream, 'TOTAL_QUOTA', core.key, 'the seeder is full')
          continue
        }
        this.store.addFeed(key, requester, at)
        childLogger(this.logger, { peer: requester }).info({ feed: key }, 'keeping a feed')
      }
      admitted.push({ key: core.key, length: core.length })
    }
    this.refreshGauges()
    // Announcing and referrers are blind-peer features we do not use: a referrer
    // would make it create a record for any key a peer names.
    return admitted.length === 0 ? null : { cores: admitted, referrer: null, priority: 1, announce: false }
  }

  // --- feeds as they grow ------------------------------------------------------

  private watch(internalCore: unknown): void {
    if (this.closing) return
    const session = new (Hypercore as unknown as new (opts: { core: unknown; weak: boolean }) => Hypercore)({ core: internalCore, weak: true })
    void session
      .ready()
      .then(() => {
        const key = bytesToHex(session.key)
        if (this.closing || this.watched.has(key) || this.store.feed(key) === undefined) return session.close()
        const w: Watched = { session, key, discoveryKey: bytesToHex(session.discoveryKey) }
        this.watched.set(key, w)
        session.on('append', () => void this.check(w))
        session.on('close', () => {
          if (this.watched.get(key) === w) this.watched.delete(key)
        })
        return this.check(w)
      })
      .catch(() => {})
  }

  /** A kept feed's length or size changed: record it; drop or freeze it if it broke a limit. */
  private async check(w: Watched): Promise<void> {
    const feed = this.store.feed(w.key)
    if (feed === undefined || this.closing) return
    const length = w.session.length
    const bytes = w.session.byteLength
    this.store.updateFeed(w.key, length, bytes)
    this.refreshGauges()
    const q = this.quotas
    if (length > q.maxFeedLength || bytes > q.maxFeedBytes) {
      return this.drop(w, 'FEED_LIMIT', `the feed is ${length} entries, ${bytes} bytes; a feed is kept up to ${q.maxFeedLength} entries and ${q.maxFeedBytes} bytes`)
    }
    if (this.store.usage(feed.requester).bytes > q.maxBytesPerPeer) {
      return this.drop(w, 'PEER_QUOTA', `its requester's feeds exceed ${q.maxBytesPerPeer} bytes`)
    }
    if (this.store.usage().bytes > q.maxBytes) {
      if (feed.state !== 'frozen') {
        this.store.setState(w.key, 'frozen')
        this.metrics.dropped.inc({ code: 'TOTAL_QUOTA' })
        this.logger.warn({ feed: w.key }, 'the seeder is full: a growing feed is frozen at what is stored')
      }
      await this.blind.freeze(w.discoveryKey)
    }
  }

  private async drop(w: Watched, code: RefusalName, reason: string): Promise<void> {
    const feed = this.store.feed(w.key)
    if (feed === undefined) return
    this.store.refuse(w.key, `${code}: ${reason}`, new Date(this.now()).toISOString())
    this.metrics.dropped.inc({ code })
    this.logger.warn({ feed: w.key, requester: feed.requester, code, reason }, 'feed dropped')
    for (const conn of this.connections) {
      if (bytesToHex(conn.remotePublicKey) === feed.requester) this.directory.refuseTo(conn, code, w.session.key, reason)
    }
    await w.session.close().catch(() => {})
    await this.blind.drop(Buffer.from(w.key, 'hex'), w.discoveryKey).catch((err: unknown) => this.logger.warn({ err: String(err), feed: w.key }, 'a dropped feed was not fully cleared'))
    this.refreshGauges()
  }

  private onRefused(code: RefusalName, requester: string, reason: string): void {
    this.metrics.refuse(code)
    childLogger(this.logger, { peer: requester }).warn({ code, reason }, 'request refused')
  }

  private refreshGauges(): void {
    const usage = this.store.usage()
    this.metrics.feeds.set(usage.feeds)
    this.metrics.bytes.set(usage.bytes)
    this.metrics.entries.set(this.store.entryCount())
  }
}
