/**
 * The seeder's side of the directory protocol (sync/seeder-protocol.ts): stores
 * the opaque entries members put in a group, answers `get` with all of them, and
 * pushes new ones to every connection that asked for the group. It cannot read
 * an entry (sealed claims) and does not try: it only counts them against the
 * quotas. Also the channel the keep guard uses to tell a requester "refused".
 */
import c from 'compact-encoding'
import Hypercore from 'hypercore'
import type { ProtomuxChannel } from 'protomux'
import type { SwarmConnection } from 'hyperswarm'
import { bytesToHex } from '../crypto/hex.js'
import type { TokenBucket } from '../sync/token-bucket.js'
import {
  MAX_GROUP_ENTRIES,
  SEEDER_PROTOCOL,
  decodeGet,
  decodePut,
  encodeEntries,
  encodeRefused,
  type RefusalName,
} from '../sync/seeder-protocol.js'
import type { SeederQuotas } from './quotas.js'
import type { SeederStore } from './seeder-store.js'

/** Groups one connection may follow. */
const MAX_FOLLOWED_GROUPS = 1_024
/** Refusals for rate before the connection is dropped. */
const MAX_RATE_REFUSALS = 64

export interface DirectoryEvents {
  request(kind: 'put' | 'get'): void
  refused(code: RefusalName, requester: string, reason: string): void
  added(requester: string): void
}

interface Follower {
  conn: SwarmConnection
  requester: string
  bucket: TokenBucket
  channel: ProtomuxChannel
  groups: Set<string>
  rateRefusals: number
}

export class DirectoryService {
  private readonly followers = new Map<SwarmConnection, Follower>()
  private readonly byGroup = new Map<string, Set<Follower>>()

  constructor(
    private readonly store: SeederStore,
    private readonly quotas: SeederQuotas,
    private readonly events: DirectoryEvents,
    private readonly now: () => number = Date.now,
  ) {}

  attach(conn: SwarmConnection, requester: string, bucket: TokenBucket): void {
    Hypercore.createProtocolStream(conn)
    const mux = Hypercore.getProtocolMuxer(conn)
    const follower: Partial<Follower> = { conn, requester, bucket, groups: new Set(), rateRefusals: 0 }
    const channel = mux.createChannel({
      protocol: SEEDER_PROTOCOL,
      messages: [
        { encoding: c.raw, onmessage: (m) => this.onPut(follower as Follower, m) },
        { encoding: c.raw, onmessage: (m) => this.onGet(follower as Follower, m) },
        { encoding: c.raw, onmessage: () => this.refuse(follower as Follower, 'MALFORMED', null, 'entries are sent by a seeder, not to it') },
        { encoding: c.raw, onmessage: () => this.refuse(follower as Follower, 'MALFORMED', null, 'refusals are sent by a seeder, not to it') },
      ],
      onclose: () => this.detach(conn),
    })
    if (channel === null) return
    follower.channel = channel
    this.followers.set(conn, follower as Follower)
    conn.once('close', () => this.detach(conn))
    channel.open()
  }

  /** One request of this connection against its rate: false (refused, and counted toward dropping it) when over. */
  throttle(conn: SwarmConnection): boolean {
    const f = this.followers.get(conn)
    return f === undefined ? true : this.allowed(f)
  }

  /** Tells a requester that something it asked for was not kept (no-op if it has no directory channel). */
  refuseTo(conn: SwarmConnection, code: RefusalName, subject: Uint8Array | null, reason: string): void {
    const f = this.followers.get(conn)
    if (f) this.refuse(f, code, subject, reason)
    else this.events.refused(code, bytesToHex(conn.remotePublicKey), reason)
  }

  private onPut(f: Follower, bytes: Buffer): void {
    if (!this.allowed(f)) return
    this.events.request('put')
    let put: { group: Uint8Array; entry: Uint8Array }
    try {
      put = decodePut(bytes)
    } catch (err) {
      return this.refuse(f, 'MALFORMED', null, (err as Error).message)
    }
    const { group, entry } = put
    if (this.store.hasEntry(group, entry)) return
    const { quotas } = this
    if (this.store.entryCount({ group }) >= MAX_GROUP_ENTRIES) return this.refuse(f, 'GROUP_FULL', group, `the group holds ${MAX_GROUP_ENTRIES} entries`)
    if (this.store.entryCount({ requester: f.requester }) >= quotas.maxEntriesPerPeer) {
      return this.refuse(f, 'PEER_QUOTA', group, `this connection has put ${quotas.maxEntriesPerPeer} directory entries, its quota`)
    }
    if (this.store.entryCount() >= quotas.maxEntries) return this.refuse(f, 'TOTAL_QUOTA', group, `the seeder holds ${quotas.maxEntries} directory entries, its quota`)
    if (!this.store.addEntry(group, entry, f.requester, new Date(this.now()).toISOString())) return
    this.events.added(f.requester)
    const key = bytesToHex(group)
    for (const other of this.byGroup.get(key) ?? []) this.send(other, group)
  }

  private onGet(f: Follower, bytes: Buffer): void {
    if (!this.allowed(f)) return
    this.events.request('get')
    let group: Uint8Array
    try {
      group = decodeGet(bytes)
    } catch (err) {
      return this.refuse(f, 'MALFORMED', null, (err as Error).message)
    }
    const key = bytesToHex(group)
    if (!f.groups.has(key)) {
      if (f.groups.size >= MAX_FOLLOWED_GROUPS) return this.refuse(f, 'PEER_QUOTA', group, `a connection follows at most ${MAX_FOLLOWED_GROUPS} groups`)
      f.groups.add(key)
      const set = this.byGroup.get(key) ?? new Set<Follower>()
      set.add(f)
      this.byGroup.set(key, set)
    }
    this.send(f, group)
  }

  private send(f: Follower, group: Uint8Array): void {
    f.channel.messages[2]?.send(Buffer.from(encodeEntries(group, this.store.entries(group).slice(0, MAX_GROUP_ENTRIES))))
  }

  private allowed(f: Follower): boolean {
    if (f.bucket.take()) return true
    this.refuse(f, 'RATE_LIMITED', null, 'too many requests')
    if (++f.rateRefusals >= MAX_RATE_REFUSALS) f.conn.destroy()
    return false
  }

  private refuse(f: Follower, code: RefusalName, subject: Uint8Array | null, reason: string): void {
    this.events.refused(code, f.requester, reason)
    f.channel.messages[3]?.send(Buffer.from(encodeRefused(code, subject, reason)))
  }

  private detach(conn: SwarmConnection): void {
    const f = this.followers.get(conn)
    if (!f) return
    this.followers.delete(conn)
    for (const g of f.groups) {
      const set = this.byGroup.get(g)
      set?.delete(f)
      if (set?.size === 0) this.byGroup.delete(g)
    }
  }
}
