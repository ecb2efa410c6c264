/**
 * One run of the live demo: an embedded DHT on 127.0.0.1 and two full peers,
 * Alice and Bob, each a createNode() on its own temporary profile. A session
 * owns everything it opened and close() releases all of it (the peers' stores,
 * swarms, feeds, jobs and profile locks, the DHT, the temporary directory), so a
 * reset is a close and a fresh open. Waits are event-driven and end at once when
 * the session closes.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TrustApi, TrustEvent } from '../../api.js'
import { TrustError } from '../errors.js'
import type { NodeOptions, TrustNode } from '../node.js'
import type { NodeInternals } from '../node/node-internals.js'
import { createNetwork, type Network } from '../sync/index.js'

export type Side = 'alice' | 'bob'
export const SIDES: readonly Side[] = ['alice', 'bob']
export const PARTY_NAMES: Readonly<Record<Side, string>> = { alice: 'Alice', bob: 'Bob' }

/** Throwaway profiles; the passphrase still has to pass the policy, and scrypt still runs. */
export const DEMO_PASSPHRASE = 'live demo passphrase, not a secret'
/** Temporary directories of sessions start with this, in the system's temp folder by default. */
export const DEMO_DIR_PREFIX = 'trust-live-demo-'
/** Longest wait for a message to reach the other side; the local DHT answers in milliseconds. */
const ARRIVAL_TIMEOUT_MS = 30_000

export type NodeFactory = (options: NodeOptions) => Promise<TrustNode>

export interface DemoPeer {
  side: Side
  name: string
  node: TrustNode
  api: TrustApi
  internals: NodeInternals
}

/** Epoch milliseconds with the monotonic clock's precision: comparable with a page's performance.timeOrigin + now(). */
export function preciseNow(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 100) / 100
}

export class DemoSession {
  readonly abort = new AbortController()
  /** When each side's engine stored each message (its own included). */
  private readonly arrivals: Record<Side, Map<string, number>> = { alice: new Map(), bob: new Map() }
  private readonly waiters = new Set<{ side: Side; hash: string; done(): void }>()
  private readonly offs: (() => void)[] = []
  private closing: Promise<void> | null = null

  private constructor(
    readonly dir: string,
    private readonly network: Network,
    readonly peers: Readonly<Record<Side, DemoPeer>>,
  ) {}

  /** Opens the DHT and both peers (no identities yet). `onChange` hears every event of either peer. */
  static async open(o: { createNode: NodeFactory; tempRoot?: string; onChange(side: Side, event: TrustEvent): void }): Promise<DemoSession> {
    const dir = fs.mkdtempSync(path.join(o.tempRoot ?? os.tmpdir(), DEMO_DIR_PREFIX))
    let network: Network | null = null
    const opened: TrustNode[] = []
    try {
      network = await createNetwork('local')
      const peers = {} as Record<Side, DemoPeer>
      for (const side of SIDES) {
        let internals: NodeInternals | null = null
        const node = await o.createNode({
          profileDir: path.join(dir, side),
          network,
          logLevel: 'warn',
          idleLockMs: 0, // a demo peer never locks in the middle of the story
          exposeInternals: (i) => (internals = i),
        })
        opened.push(node)
        if (internals === null) throw new TrustError('INTERNAL', 'the demo peer did not expose its internals')
        peers[side] = { side, name: PARTY_NAMES[side], node, api: node.api, internals }
      }
      const session = new DemoSession(dir, network, peers)
      for (const side of SIDES) session.offs.push(peers[side].node.on((event) => session.heard(side, event, o.onChange)))
      return session
    } catch (err) {
      await Promise.allSettled(opened.map((n) => n.close()))
      await network?.close().catch(() => undefined)
      fs.rmSync(dir, { recursive: true, force: true })
      throw err
    }
  }

  /** True from the moment a reset or stop begins (waits give up then), before the peers are closed. */
  get closed(): boolean {
    return this.abort.signal.aborted
  }

  other(side: Side): Side {
    return side === 'alice' ? 'bob' : 'alice'
  }

  arrivedAt(side: Side, hash: string): number | null {
    return this.arrivals[side].get(hash) ?? null
  }

  /** Resolves once `side`'s engine has stored `hash`; NETWORK after 30 s, CLOSED when the session closes. */
  async waitHeld(side: Side, hash: string): Promise<number> {
    const known = this.arrivedAt(side, hash)
    if (known !== null) return known
    this.live()
    let waiter: { side: Side; hash: string; done(): void } | undefined
    let timer: NodeJS.Timeout | undefined
    const onAbort = (): void => waiter?.done()
    try {
      await new Promise<void>((resolve, reject) => {
        waiter = { side, hash, done: resolve }
        this.waiters.add(waiter)
        timer = setTimeout(
          () => reject(new TrustError('NETWORK', `${PARTY_NAMES[side]} did not receive ${hash.slice(0, 12)} within ${ARRIVAL_TIMEOUT_MS / 1000} s`)),
          ARRIVAL_TIMEOUT_MS,
        )
        this.abort.signal.addEventListener('abort', onAbort, { once: true })
      })
    } finally {
      clearTimeout(timer)
      if (waiter) this.waiters.delete(waiter)
      this.abort.signal.removeEventListener('abort', onAbort)
    }
    this.live()
    return this.arrivedAt(side, hash)!
  }

  /** `promise`, or CLOSED as soon as the session closes (the abandoned promise's failure is swallowed). */
  guard<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined)
    if (this.abort.signal.aborted) return Promise.reject(closedError())
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(closedError())
      this.abort.signal.addEventListener('abort', onAbort, { once: true })
      promise.then(
        (v) => {
          this.abort.signal.removeEventListener('abort', onAbort)
          resolve(v)
        },
        (e: unknown) => {
          this.abort.signal.removeEventListener('abort', onAbort)
          reject(e)
        },
      )
    })
  }

  live(): void {
    if (this.abort.signal.aborted) throw closedError()
  }

  /** Closes both peers and the DHT and deletes the profiles. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.abort.abort()
      for (const off of this.offs.splice(0)) off()
      await Promise.allSettled(SIDES.map((side) => this.peers[side].node.close()))
      await this.network.close().catch(() => undefined)
      fs.rmSync(this.dir, { recursive: true, force: true })
    })()
    return this.closing
  }

  private heard(side: Side, event: TrustEvent, onChange: (side: Side, event: TrustEvent) => void): void {
    if (event.type === 'message' && !this.arrivals[side].has(event.hash)) {
      this.arrivals[side].set(event.hash, preciseNow())
      for (const w of [...this.waiters]) if (w.side === side && w.hash === event.hash) w.done()
    }
    onChange(side, event)
  }
}

function closedError(): TrustError {
  return new TrustError('CLOSED', 'the demo was reset or stopped')
}
