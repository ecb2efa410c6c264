/**
 * Types for blind-peer 3.8.1 (CommonJS, untyped): only what seeder/ uses. Its
 * source in node_modules is the reference; the version is pinned exactly because
 * guarded-blind-peer.ts overrides two of its request handlers.
 */
declare module 'blind-peer' {
  import { EventEmitter } from 'node:events'
  import type Hypercore from 'hypercore'
  import type Hyperswarm from 'hyperswarm'
  import type { SwarmConnection } from 'hyperswarm'

  export interface AddCoresRequest {
    cores: { key: Buffer; length: number }[]
    referrer: Buffer | null
    priority: number
    announce: boolean
  }

  export interface CoreTracker {
    readonly core: Hypercore
  }

  /** blind-peer's Corestore: `watch` sees every core the store opens (an internal core, not a session). */
  export interface BlindStore {
    get(opts: { key: Buffer }): Hypercore
    watch(onopen: (core: unknown) => void): void
    unwatch(onopen: (core: unknown) => void): void
  }

  export interface BlindPeerOptions {
    swarm?: Hyperswarm
    /** blind-peer's own total cap evicts stored blocks; seeder/ turns it off and keeps its own quotas. */
    enableGc?: boolean
    maxBytes?: number
    trustedPubKeys?: Buffer[]
  }

  export default class BlindPeer extends EventEmitter {
    constructor(storage: string, opts?: BlindPeerOptions)
    readonly store: BlindStore
    readonly swarm: Hyperswarm
    readonly publicKey: Buffer
    readonly digest: { cores: number; bytesAllocated: number; referrers: number }
    readonly stats: Record<string, number>
    readonly activeReplication: Map<string, CoreTracker>
    readonly announcedCores: Map<string, Hypercore>
    readonly db: { deleteCore(key: Buffer): void; getCoreRecord(key: Buffer): Promise<unknown> }
    readonly opened: boolean
    readonly closing: boolean
    ready(): Promise<void>
    listen(): Promise<void>
    flush(): Promise<void>
    close(): Promise<void>
    registerMetrics(promClient: unknown): void
    _onaddcores(stream: SwarmConnection, request: AddCoresRequest): Promise<null>
    _onaddcore(stream: SwarmConnection, record: unknown): Promise<unknown>
  }
}
