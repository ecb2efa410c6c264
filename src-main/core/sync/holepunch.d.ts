/**
 * Types for the parts of the Holepunch stack (CommonJS, untyped) that sync/ uses.
 * Only what we call is declared; the node_modules sources of the pinned versions
 * (hypercore 11.37.1, corestore 7.12, hyperswarm 4.17, hyperdht 6.34,
 * protomux 3.12) are the reference.
 */

declare module 'compact-encoding' {
  export interface State {
    start: number
    end: number
    buffer: Buffer | null
  }
  export interface Encoding<T> {
    preencode(state: State, value: T): void
    encode(state: State, value: T): void
    decode(state: State): T
  }
  /** The rest of the message, as is. */
  export const raw: Encoding<Buffer>
  const c: { raw: Encoding<Buffer> }
  export default c
}

declare module 'protomux' {
  import type { Encoding } from 'compact-encoding'

  export interface ProtomuxMessage<T> {
    send(value: T): boolean
  }
  export interface ProtomuxChannel {
    readonly opened: boolean
    readonly closed: boolean
    open(handshake?: unknown): void
    close(): void
    readonly messages: ProtomuxMessage<Buffer>[]
  }
  export interface ChannelOptions {
    protocol: string
    id?: Buffer | null
    unique?: boolean
    handshake?: Encoding<Buffer>
    messages?: { encoding: Encoding<Buffer>; onmessage(message: Buffer): unknown }[]
    onopen?(handshake: Buffer): unknown
    onclose?(): unknown
  }
  export default class Protomux {
    static from(stream: unknown): Protomux
    static isProtomux(value: unknown): boolean
    readonly stream: { destroy(err?: Error): void }
    createChannel(opts: ChannelOptions): ProtomuxChannel | null
    pair(opts: { protocol: string; id?: Buffer | null }, notify: (id: Buffer | null) => unknown): void
    unpair(opts: { protocol: string; id?: Buffer | null }): void
    opened(opts: { protocol: string; id?: Buffer | null }): boolean
  }
}

declare module 'hypercore' {
  import { EventEmitter } from 'node:events'
  import type Protomux from 'protomux'

  export interface HypercoreEvents {
    append: []
    truncate: [to: number, fork: number]
    conflict: [length: number, fork: number, proof: unknown]
    download: [index: number, byteLength: number, from: unknown]
    close: []
  }
  /** One replication peer of a core (lib/replicator.js Peer): what the remote side holds. */
  export interface HypercorePeer {
    readonly remotePublicKey: Buffer | undefined
    /** Entries the remote holds from index 0 without a gap. */
    readonly remoteContiguousLength: number
    readonly remoteLength: number
  }
  export default class Hypercore extends EventEmitter {
    static createProtocolStream(stream: unknown, opts?: { keepAlive?: boolean }): unknown
    static getProtocolMuxer(stream: unknown): Protomux
    readonly key: Buffer
    readonly discoveryKey: Buffer
    readonly length: number
    readonly contiguousLength: number
    readonly fork: number
    readonly byteLength: number
    readonly peers: HypercorePeer[]
    readonly writable: boolean
    readonly closed: boolean
    readonly opened: boolean
    ready(): Promise<void>
    close(): Promise<void>
    append(block: Buffer | Buffer[]): Promise<{ length: number; byteLength: number }>
    get(index: number, opts?: { wait?: boolean; timeout?: number }): Promise<Buffer | null>
    has(index: number): Promise<boolean>
    truncate(newLength?: number): Promise<void>
    clear(start: number, end?: number): Promise<unknown>
    download(range?: { start?: number; end?: number; linear?: boolean }): { destroy(): void }
    replicate(mux: Protomux): unknown
  }
}

declare module 'corestore' {
  import type Hypercore from 'hypercore'

  export interface GetOptions {
    name?: string
    key?: Buffer
    keyPair?: { publicKey: Buffer; secretKey: Buffer }
    valueEncoding?: 'binary'
    allowFork?: boolean
    createIfMissing?: boolean
    /** Block encryption: hypercore derives the feed's block key from `key` and the feed key. */
    encryption?: { key: Buffer }
  }
  export default class Corestore {
    constructor(storage: string, opts?: Record<string, unknown>)
    ready(): Promise<void>
    close(): Promise<void>
    get(opts: GetOptions): Hypercore
  }
}

declare module 'hyperdht' {
  export interface DhtOptions {
    bootstrap?: ({ host: string; port: number } | string)[]
    host?: string
    port?: number
    ephemeral?: boolean
    firewalled?: boolean
  }
  export default class DHT {
    constructor(opts?: DhtOptions)
    static bootstrapper(port: number, host: string, opts?: DhtOptions): DHT
    ready(): Promise<void>
    fullyBootstrapped(): Promise<void>
    address(): { host: string; port: number }
    destroy(opts?: { force?: boolean }): Promise<void>
  }
}

declare module 'hyperdht/testnet' {
  import type DHT from 'hyperdht'

  export interface Testnet {
    readonly nodes: DHT[]
    readonly bootstrap: { host: string; port: number }[]
    createNode(opts?: Record<string, unknown>): DHT
    destroy(): Promise<void>
  }
  export default function createTestnet(size?: number, opts?: { host?: string; port?: number }): Promise<Testnet>
}

declare module 'hyperswarm' {
  import { EventEmitter } from 'node:events'
  import type DHT from 'hyperdht'

  /** A Noise secret stream (@hyperswarm/secret-stream). */
  export interface SwarmConnection extends EventEmitter {
    readonly handshakeHash: Buffer
    readonly remotePublicKey: Buffer
    readonly publicKey: Buffer
    readonly isInitiator: boolean
    readonly destroyed: boolean
    userData: unknown
    destroy(err?: Error): void
  }
  export interface PeerInfo {
    readonly publicKey: Buffer
    ban(value: boolean): void
  }
  export interface PeerDiscovery {
    flushed(): Promise<void>
    destroy(): Promise<void>
  }
  export interface SwarmOptions {
    dht?: DHT
    bootstrap?: ({ host: string; port: number } | string)[]
    keyPair?: { publicKey: Buffer; secretKey: Buffer }
    firewall?: (remotePublicKey: Buffer, payload: unknown) => boolean
  }
  export default class Hyperswarm extends EventEmitter {
    constructor(opts?: SwarmOptions)
    readonly keyPair: { publicKey: Buffer; secretKey: Buffer }
    readonly connections: Set<SwarmConnection>
    readonly dht: DHT
    join(topic: Buffer, opts?: { server?: boolean; client?: boolean }): PeerDiscovery
    leave(topic: Buffer): Promise<void>
    /** Keeps a connection to this public key (reconnecting as needed) until leavePeer. */
    joinPeer(publicKey: Buffer): void
    leavePeer(publicKey: Buffer): void
    /** Announces our key on the DHT so joinPeer can reach us. */
    listen(): Promise<void>
    flush(): Promise<boolean>
    destroy(opts?: { force?: boolean }): Promise<void>
  }
}

declare module 'blind-peer-muxer' {
  /** blind-peer's `cores` message (its hyperschema `@blind-peer/cores`). */
  export interface CoresRequest {
    cores: { key: Buffer; length: number }[]
    referrer: Buffer | null
    priority: number
    announce: boolean
  }
  export default class BlindPeerMuxer {
    constructor(stream: unknown, handlers?: { oncores?(request: CoresRequest): unknown; onopen?(): unknown; onclose?(remote: boolean): unknown })
    addCores(request: CoresRequest): boolean
    close(): void
    static pair(stream: unknown, notify: () => unknown): void
  }
}
