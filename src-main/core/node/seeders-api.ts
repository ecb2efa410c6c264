/**
 * `seeders.*` of the TrustApi (DESIGN sections 5 and 11): the profile's list of
 * seeders, the ones invites named, their state, and whether everything we signed
 * has reached one. The list lives in the store, so it can be edited while locked;
 * the running peer picks a change up at once. Connection state and what the
 * seeders hold come from the running peer, or from the last run's record
 * (`sync-state.json`) while it is offline.
 */
import { join } from 'node:path'
import type { NegotiationSeeding, SeederInfo, SeederRefusal, SeedingStatus, TrustApi } from '../../api.js'
import { TrustError } from '../errors.js'
import { isPublicKeyHex } from '../crypto/ed25519.js'
import type { Db } from '../store/database.js'
import { SeederStore } from '../store/seeders.js'
import { PeerRecords } from '../peer/peer-records.js'
import { SyncState } from '../sync/sync-state.js'
import type { SeedingStatus as LiveSeeding, Refusal } from '../sync/index.js'
import { displayText } from '../bundle/display-text.js'
import { paramsOf } from './params.js'

type SeederMethods = Pick<TrustApi, 'seeders.add' | 'seeders.remove' | 'seeders.list' | 'seeders.status'>

/** Seeders a profile lists at most (an invite carries 8; a negotiation uses 16). */
export const MAX_PROFILE_SEEDERS = 8

/**
 * Adds `keys` to the profile's list in one transaction, after checking every key
 * (a valid Ed25519 public key) and the final count: a bad one changes nothing.
 */
export function addProfileSeeders(db: Db, keys: readonly string[], added: string): void {
  const store = new SeederStore(db)
  for (const key of keys) {
    if (!isPublicKeyHex(key)) throw TrustError.invalidInput(`a seeder key must be a public key, 64 lowercase hex characters; got ${JSON.stringify(String(key).slice(0, 80))}`, { field: 'publicKey' })
  }
  const after = new Set([...store.list().map((s) => s.publicKey), ...keys])
  if (after.size > MAX_PROFILE_SEEDERS) throw TrustError.invalidInput(`a profile lists at most ${MAX_PROFILE_SEEDERS} seeders; remove one first`, { field: 'publicKey' })
  db.transaction(() => {
    for (const key of keys) store.add(key, added)
  })()
}

export interface SeedersApiContext {
  db: Db
  /** The profile's sync directory (for the last run's record while offline). */
  syncDir: string
  now(): number
  /** The identity's public key, or null before there is one. */
  ownKey(): string | null
  /** The running peer: what its seeders hold right now; null while it is offline. */
  live(): LiveSeeding | null
  /** Tells the running peer (if any) that the profile's list changed. */
  changed(): void
}

export function seedersApi(ctx: SeedersApiContext): SeederMethods {
  const store = new SeederStore(ctx.db)
  const records = new PeerRecords(ctx.db)
  const countOwn = ctx.db.prepare('SELECT count(DISTINCT seq) FROM messages WHERE negotiation = ? AND author = ?').pluck()

  const keyParam = (method: string, params: unknown): string => {
    const p = paramsOf(method, params, ['publicKey'])
    const key = p.publicKey
    if (!isPublicKeyHex(key)) throw TrustError.invalidInput(`${method}: publicKey must be a seeder's public key, 64 lowercase hex characters`, { field: 'publicKey' })
    return key
  }

  const infos = (): SeederInfo[] => {
    const live = ctx.live()
    const byKey = new Map<string, SeederInfo>()
    const entry = (publicKey: string): SeederInfo => {
      let info = byKey.get(publicKey)
      if (info === undefined) {
        info = { publicKey, sources: [], added: null, connected: false, negotiations: [], refusal: null }
        byKey.set(publicKey, info)
      }
      return info
    }
    const encrypted = records.active().filter((r) => r.encrypted)
    for (const row of store.list()) {
      const info = entry(row.publicKey)
      info.sources.push('profile')
      info.added = row.addedAt
      info.negotiations = encrypted.map((r) => r.negotiation)
    }
    const active = new Set(encrypted.map((r) => r.negotiation))
    for (const [publicKey, negotiations] of store.invited()) {
      const info = entry(publicKey)
      info.sources.push('invite')
      info.negotiations = [...new Set([...info.negotiations, ...negotiations.filter((n) => active.has(n))])]
    }
    for (const s of live?.seeders ?? []) {
      const info = byKey.get(s.publicKey)
      if (info === undefined) continue
      info.connected = s.connected
      info.refusal = s.refusal === null ? null : refusalJson(s.refusal)
    }
    for (const info of byKey.values()) info.negotiations.sort()
    return [...byKey.values()].sort((a, b) => (a.publicKey < b.publicKey ? -1 : 1))
  }

  return {
    'seeders.add': async (params) => {
      const key = keyParam('seeders.add', params)
      addProfileSeeders(ctx.db, [key], new Date(ctx.now()).toISOString())
      ctx.changed()
      return infos().find((i) => i.publicKey === key)!
    },
    'seeders.remove': async (params) => {
      const key = keyParam('seeders.remove', params)
      if (!store.remove(key)) throw TrustError.notFound(`seeder ${key.slice(0, 16)} in this profile's list`)
      ctx.changed()
      return null
    },
    'seeders.list': async (params) => {
      paramsOf('seeders.list', params, [])
      return infos()
    },
    'seeders.status': async (params) => {
      paramsOf('seeders.status', params, [])
      const me = ctx.ownKey()
      if (me === null) return { allSeeded: true, pending: 0, negotiations: [], unseeded: [] }
      const live = ctx.live()
      const liveFeeds = new Map((live?.feeds ?? []).map((f) => [f.negotiation, f]))
      const recorded = live === null ? lastRun(ctx.syncDir) : null
      const profile = store.list().map((s) => s.publicKey)
      const negotiations: NegotiationSeeding[] = []
      const unseeded: string[] = []
      for (const row of records.active()) {
        const signed = countOwn.get(row.negotiation, me) as number
        const seeders = row.encrypted ? [...new Set([...store.forNegotiation(row.negotiation), ...profile])].sort() : []
        if (seeders.length === 0) {
          if (signed > 0) unseeded.push(row.negotiation)
          continue
        }
        const feed = liveFeeds.get(row.negotiation)
        // The feed may lag the store by a message still being appended: count what was signed.
        const held = feed !== undefined ? feed.held : (recorded?.seeded(row.negotiation) ?? 0)
        negotiations.push({ negotiation: row.negotiation, signed, seeded: Math.min(signed, held), seeders })
      }
      const pending = negotiations.reduce((sum, n) => sum + (n.signed - n.seeded), 0)
      const status: SeedingStatus = { allSeeded: pending === 0 && unseeded.length === 0, pending, negotiations, unseeded }
      return status
    },
  }
}

/** The replicator's record of the last run, read only; null when there is none or it cannot be read. */
function lastRun(syncDir: string): SyncState | null {
  try {
    return SyncState.load(join(syncDir, 'sync-state.json'))
  } catch {
    return null
  }
}

/** A seeder's words reach a UI: control and bidi characters go. */
export function refusalJson(r: Refusal): SeederRefusal {
  return { code: r.code, reason: displayText(r.reason, { maxLength: 200 }) }
}
