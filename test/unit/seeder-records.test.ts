/**
 * The seeder records of a profile (migration 005, DESIGN section 5): the profile's
 * list, the seeders an invite named, and negotiations made before encryption,
 * which keep plaintext feeds and v1 invites after the upgrade.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { NegotiationSeeders } from '../../src-main/core/peer/negotiation-seeders.js'
import { PeerRecords } from '../../src-main/core/peer/peer-records.js'
import { openDatabase, schemaVersion, type Db } from '../../src-main/core/store/database.js'
import { decodeInvite } from '../../src-main/core/sync/invite.js'

const dirs: string[] = []
const dbs: Db[] = []
const key = (): string => bytesToHex(generateKeyPair().publicKey)

function tempDb(targetVersion?: number): { db: Db; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-seeder-records-'))
  dirs.push(dir)
  const file = path.join(dir, 'trust.db')
  const db = openDatabase(file, targetVersion === undefined ? {} : { targetVersion })
  dbs.push(db)
  return { db, file }
}

afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close()
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const row = { negotiation: 'aa'.repeat(32), topicSecret: 'bb'.repeat(32), creatorFeedKey: 'cc'.repeat(32), state: 'joined' as const, at: '2026-01-01T00:00:00.000Z' }

describe('migration 005', () => {
  it('keeps a negotiation made before encryption on plaintext feeds: no seeders, a v1 invite', () => {
    const { db, file } = tempDb(4)
    db.prepare(`INSERT INTO peer_negotiations (negotiation, topic_secret, creator_feed_key, state, reason, added_at) VALUES (?, ?, ?, 'joined', NULL, ?)`).run(
      row.negotiation,
      row.topicSecret,
      row.creatorFeedKey,
      row.at,
    )
    db.close()
    const upgraded = openDatabase(file)
    dbs.push(upgraded)
    expect(schemaVersion(upgraded)).toBeGreaterThanOrEqual(5)
    const legacy = new PeerRecords(upgraded).get(row.negotiation)!
    expect(legacy.encrypted).toBe(false)
    const seeders = new NegotiationSeeders(upgraded)
    seeders.store.add(key(), row.at)
    expect(seeders.of(legacy)).toEqual([])
    const invite = seeders.invite(legacy)
    expect(invite).toMatch(/^trust:join\/[A-Za-z0-9_-]{130}$/)
    expect(decodeInvite(invite)).toEqual({ negotiation: row.negotiation, topicSecret: row.topicSecret, creatorFeedKey: row.creatorFeedKey, encrypted: false, seeders: [] })
  })

  it('an encrypted negotiation uses the invite\'s seeders and the profile\'s; its invite names them, the invite\'s first, at most 8', () => {
    const { db } = tempDb()
    const records = new PeerRecords(db)
    expect(records.remember({ ...row, encrypted: true })).toBe(true)
    expect(records.remember({ ...row, encrypted: false })).toBe(false) // an existing row keeps its encryption
    const stored = records.get(row.negotiation)!
    expect(stored.encrypted).toBe(true)
    const seeders = new NegotiationSeeders(db)
    const invited = [key(), key()].sort()
    seeders.store.setForNegotiation(row.negotiation, invited)
    const ours = Array.from({ length: 8 }, key)
    for (const k of ours) seeders.store.add(k, row.at)
    expect(seeders.of(stored)).toEqual([...invited, ...ours].sort())
    const named = decodeInvite(seeders.invite(stored)).seeders
    expect(named).toHaveLength(8)
    for (const k of invited) expect(named).toContain(k)
    // The foreign key holds: seeders of an unknown negotiation are refused.
    expect(() => seeders.store.setForNegotiation('dd'.repeat(32), [key()])).toThrow()
    expect(seeders.store.invited().get(invited[0]!)).toEqual([row.negotiation])
  })

  it('the profile list keeps the first time a seeder was added and removes exactly one', () => {
    const { db } = tempDb()
    const seeders = new NegotiationSeeders(db).store
    const k = key()
    expect(seeders.add(k, '2026-01-01T00:00:00.000Z')).toBe(true)
    expect(seeders.add(k, '2026-02-01T00:00:00.000Z')).toBe(false)
    expect(seeders.get(k)).toEqual({ publicKey: k, addedAt: '2026-01-01T00:00:00.000Z' })
    expect(seeders.remove(k)).toBe(true)
    expect(seeders.remove(k)).toBe(false)
    expect(seeders.list()).toEqual([])
  })
})
