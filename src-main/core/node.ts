/**
 * createNode(): one running peer for one profile (DESIGN sections 1, 9, 11). The
 * composition root of the core: it takes the profile lock first, then opens the
 * store, the identity, the receipt chain, the negotiation peer, the logger, the
 * metrics and the jobs, and exposes the whole TrustApi through `call` (IPC and
 * JSON-RPC use it) and `api`, with events through `on`. No domain logic here.
 */
import type { Level } from 'pino'
import type { TrustApi, TrustEvent } from '../api.js'
import { TRUST_API_METHODS } from './api-methods.js'
import { TrustError } from './errors.js'
import { IdentityService } from './identity/index.js'
import { acquireProfileLock, type ProfileLock } from './jobs/profile-lock.js'
import { systemClock, type Clock, type TimerHandle } from './jobs/clock.js'
import type { JobScheduler } from './jobs/scheduler.js'
import { TrustLedger } from './negotiation/trust-ledger.js'
import { openDatabase, type Db } from './store/database.js'
import { createNetwork, type Network } from './sync/index.js'
import { closeLogger, createLogger, type Logger } from './telemetry/logger.js'
import { createMetrics, type Metrics } from './telemetry/metrics.js'
import { createDispatch } from './node/dispatch.js'
import { EventHub, type TrustEventListener } from './node/event-hub.js'
import { identityApi } from './node/identity-api.js'
import { networkApi } from './node/network-api.js'
import { startNodeJobs, type JobIntervals } from './node/node-jobs.js'
import { NegotiationRuntime } from './node/negotiation-runtime.js'
import { negotiationsApi } from './node/negotiations-api.js'
import { profilePaths, type ProfilePaths } from './node/profile-paths.js'
import { receiptsApi } from './node/receipts-api.js'
import { DESKTOP_METHODS, desktopApi } from './node/desktop-api.js'
import { noOpenedFiles, type OpenedFileSource } from './bundle/opened-file.js'
import { unavailableUpdates, type UpdateService } from './updates/update-service.js'
import { settingsApi, storedIdleLockMs } from './node/settings-api.js'
import { bundleReportApi } from './node/bundle-report-api.js'
import { diagnosticsApi } from './node/diagnostics-api.js'
import { addProfileSeeders, seedersApi } from './node/seeders-api.js'
import { DemoController } from './demo/demo-controller.js'
import { demoApi } from './node/demo-api.js'
import { nodeInternals, type NodeInternals } from './node/node-internals.js'

export interface NodeOptions {
  profileDir: string
  /**
   * `local` | `public` | `bootstrap=host:port,...` (DESIGN section 5), or a Network
   * made by the caller and shared by several nodes in one process (the demo);
   * a shared network is not closed by the node.
   */
  network: string | Network
  clock?: Clock
  jobIntervals?: Partial<JobIntervals>
  logLevel?: Level | 'silent'
  /** How long negotiations.join waits for the GENESIS before answering NETWORK (the join goes on). */
  joinTimeoutMs?: number
  /**
   * Lock (and wipe the key) after this long without an API call, on the node's
   * clock (DESIGN section 2). Default 15 minutes; 0 never locks by itself.
   */
  idleLockMs?: number
  /** The desktop app's updater (DESIGN section 12); default: updates unavailable (browser mode, CLI). */
  updates?: UpdateService
  /** The desktop app's opened agreement files; default: none. */
  openedFiles?: OpenedFileSource
  /** Seeders to add to the profile's list at start (`trust serve --seeder KEY`, DESIGN section 5). */
  seeders?: readonly string[]
  /** How long close() waits for the seeders to hold what we signed. Default 10 s; 0 does not wait. */
  seedWaitMs?: number
  /**
   * Hands the creator in-process access beyond the TrustApi (node-internals.ts):
   * the live demo's peers use it to play a forger and a modified client. No surface
   * passes it, so the user's node never hands these out.
   */
  exposeInternals?: (internals: NodeInternals) => void
}

/** DESIGN section 2: unlocked keys are wiped on idle timeout. */
export const DEFAULT_IDLE_LOCK_MS = 15 * 60_000

export interface TrustNode {
  readonly paths: ProfilePaths
  /** The TrustApi, one method per name: what the Electron IPC bridge wraps. */
  readonly api: TrustApi
  /** The single dispatch entry: checks the name, runs the method; throws TrustError only. */
  call(method: string, params?: unknown): Promise<unknown>
  /** Subscribes to every event; returns the unsubscribe function. */
  on(listener: TrustEventListener): () => void
  readonly logger: Logger
  readonly metrics: Metrics
  readonly jobs: JobScheduler
  readonly methods: readonly string[]
  /** TrustApi calls running right now, other than updates.* and files.*: an update never installs mid-action. */
  actionsInFlight(): number
  /** Stops jobs, the swarm, the feeds, the store; wipes the key; releases the lock. Idempotent. */
  close(): Promise<void>
}

export async function createNode(options: NodeOptions): Promise<TrustNode> {
  if (typeof options !== 'object' || options === null) throw TrustError.invalidInput('createNode needs options')
  const paths = profilePaths(options.profileDir)
  // The lock first: a second process on this profile must not touch the store (DESIGN section 9).
  const lock = acquireProfileLock(paths.dir)
  const opened: { close(): unknown }[] = []
  try {
    return await assemble(options, paths, lock, opened)
  } catch (err) {
    for (const part of opened.reverse()) {
      try {
        await part.close()
      } catch {
        // already failing: the first error is the one to report
      }
    }
    lock.release()
    throw err
  }
}

async function assemble(options: NodeOptions, paths: ProfilePaths, lock: ProfileLock, opened: { close(): unknown }[]): Promise<TrustNode> {
  const clock = options.clock ?? systemClock
  const logger = createLogger({ dir: paths.dir, level: options.logLevel ?? 'info' })
  opened.push({ close: () => closeLogger(logger) }) // closed last if the rest fails to open
  const metrics = createMetrics()
  const events = new EventHub((err, event) => logger.error({ err, event: event.type }, 'event listener threw'))
  const db: Db = openDatabase(paths.database)
  opened.push({ close: () => db.close() })
  // All or nothing: a bad key or one too many leaves the profile's list as it was.
  addProfileSeeders(db, options.seeders ?? [], new Date(clock.now()).toISOString())

  let network: Network
  if (typeof options.network === 'string') {
    network = await createNetwork(options.network)
    opened.push(network)
  } else {
    network = options.network
  }

  const identity = new IdentityService(db, {
    now: () => new Date(clock.now()),
    // The user's setting (settings.set) wins over the option, which is the default.
    idleLockMs: storedIdleLockMs(db, options.idleLockMs ?? DEFAULT_IDLE_LOCK_MS),
    // The node's clock, so the idle lock runs on the same time as the jobs (and tests drive both).
    timers: { setTimeout: (fire, ms) => clock.setTimeout(fire, ms), clearTimeout: (handle) => clock.clearTimeout(handle as TimerHandle) },
  })
  opened.push(identity)
  let ledgerInstance: TrustLedger | undefined
  const ledger = (): TrustLedger => (ledgerInstance ??= new TrustLedger({ db, now: () => clock.now() }))
  const runtime = new NegotiationRuntime({
    db,
    identity,
    network,
    paths,
    clock,
    logger,
    metrics,
    emit: (e) => events.emit(e),
    ...(options.joinTimeoutMs === undefined ? {} : { joinTimeoutMs: options.joinTimeoutMs }),
    ...(options.seedWaitMs === undefined ? {} : { seedWaitMs: options.seedWaitMs }),
  })
  opened.push(runtime)

  identity.onChange((event) => {
    logger.info({ unlocked: event.unlocked }, event.unlocked ? 'identity unlocked' : 'identity locked')
    events.emit({ type: 'identity', unlocked: event.unlocked })
    runtime.onIdentityChange(event.unlocked)
  })

  // The live demo runs peers of its own (temporary profiles, an embedded DHT), never this profile's identity.
  const demo = new DemoController({ createNode, emit: (e) => events.emit(e), logger })
  opened.push({ close: () => demo.close() })
  options.exposeInternals?.(nodeInternals({ db, identity, runtime }))

  let inFlight = 0
  const api: TrustApi = {
    ...identityApi({ db, identity, ledger, now: () => clock.now(), beforeLock: () => runtime.stop() }),
    ...receiptsApi({ receipts: () => runtime.receipts(), signerOrNull: () => runtime.signerOrNull() }),
    ...negotiationsApi(runtime),
    ...networkApi({ network, peers: () => runtime.peers() }),
    ...desktopApi({
      updates: options.updates ?? unavailableUpdates(),
      openedFiles: options.openedFiles ?? noOpenedFiles,
      actionsInFlight: () => inFlight,
    }),
    ...settingsApi({ db, identity, now: () => clock.now(), emit: (e) => events.emit(e) }),
    ...bundleReportApi({ now: () => clock.now() }),
    ...diagnosticsApi({ metrics, logFile: paths.log, logLevel: () => logger.level }),
    ...seedersApi({
      db,
      syncDir: paths.sync,
      now: () => clock.now(),
      ownKey: () => identity.status().publicKey ?? null,
      live: () => runtime.seeding(),
      changed: () => runtime.seedersChanged(),
    }),
    ...demoApi(demo),
  }
  // Every call from a surface (IPC, JSON-RPC) is the user's activity: it restarts the idle lock.
  // Calls other than the desktop ones are counted while they run (updates.install waits for none).
  const notActions: ReadonlySet<string> = new Set(DESKTOP_METHODS)
  for (const method of Object.keys(api) as (keyof TrustApi)[]) {
    const run = api[method] as (params: unknown) => Promise<unknown>
    const counted = !notActions.has(method)
    ;(api as Record<string, (params: unknown) => Promise<unknown>>)[method] = async (params) => {
      identity.touch()
      if (!counted) return run(params)
      inFlight += 1
      try {
        return await run(params)
      } finally {
        inFlight -= 1
      }
    }
  }
  const dispatch = createDispatch(api, logger)

  const jobs = startNodeJobs({
    clock,
    logger,
    ...(options.jobIntervals ? { intervals: options.jobIntervals } : {}),
    bodies: runtime.jobBodies(),
    emit: (e: TrustEvent) => events.emit(e),
  })

  logger.info({ profile: paths.dir, network: typeof options.network === 'string' ? options.network : 'shared' }, 'node started')

  let closing: Promise<void> | undefined
  return {
    paths,
    api,
    call: (method, params) => {
      if (closing) return Promise.reject(new TrustError('CLOSED', 'the node is closed'))
      return dispatch(method, params)
    },
    on: (listener) => events.on(listener),
    logger,
    metrics,
    jobs,
    methods: TRUST_API_METHODS,
    actionsInFlight: () => inFlight,
    close() {
      closing ??= (async () => {
        await demo.close()
        await jobs.stop()
        await runtime.close()
        identity.close() // wipes the key
        if (typeof options.network === 'string') await network.close()
        db.close()
        events.clear()
        logger.info('node closed')
        closeLogger(logger)
        lock.release()
      })()
      return closing
    },
  }
}
