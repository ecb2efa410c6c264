import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import { decodeContactCard } from '../../src-main/core/crypto/contact-card.js'
import { fingerprint, verify } from '../../src-main/core/crypto/ed25519.js'
import { hexToBytes } from '../../src-main/core/crypto/hex.js'
import { type KeyBlob, parseKeyBlob } from '../../src-main/core/crypto/keystore.js'
import { DOMAIN_ENVELOPE } from '../../src-main/core/protocol/domains.js'
import { verifyCanonical } from '../../src-main/core/protocol/signing.js'
import { type Db, openDatabase } from '../../src-main/core/store/database.js'
import { readIdentity } from '../../src-main/core/store/identity.js'
import { type IdentityEvent, IdentityService, type IdleTimers } from '../../src-main/core/identity/index.js'
import { asyncCodeOf as codeOf } from '../fixtures/trust-error.js'

// Every create, unlock, change and import runs real scrypt at the floor (~0.4 s);
// this file keeps to about twenty derivations.

const dir = mkdtempSync(join(tmpdir(), 'trust-identity-'))
const open: Db[] = []
let fileNo = 0

afterAll(() => {
  for (const db of open) if (db.open) db.close()
  rmSync(dir, { recursive: true, force: true })
})

function freshDb(): { path: string; db: Db } {
  const path = join(dir, `profile-${++fileNo}.sqlite`)
  const db = openDatabase(path)
  open.push(db)
  return { path, db }
}

function reopen(path: string): Db {
  const db = openDatabase(path)
  open.push(db)
  return db
}

const identityRow = (db: Db): unknown => db.prepare('SELECT * FROM identity').all()

class FakeTimers implements IdleTimers {
  readonly pending = new Map<number, { fire: () => void; ms: number }>()
  private next = 0
  setTimeout(fire: () => void, ms: number): unknown {
    this.pending.set(++this.next, { fire, ms })
    return this.next
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number)
  }
  fireAll(): void {
    for (const [id, t] of [...this.pending]) {
      this.pending.delete(id)
      t.fire()
    }
  }
}

const PASS = 'first passphrase'
const NEW_PASS = 'second passphrase'

describe('identity lifecycle', () => {
  const { path, db } = freshDb()
  const svc = new IdentityService(db)
  const events: IdentityEvent[] = []
  svc.onChange((e) => events.push(e))
  let publicKey = ''

  it('starts with no identity: status says so and key operations are NO_IDENTITY or LOCKED', async () => {
    expect(svc.status()).toEqual({ exists: false, unlocked: false })
    expect(await codeOf(() => svc.unlock({ passphrase: PASS }))).toBe('NO_IDENTITY')
    expect(await codeOf(() => svc.changePassphrase({ old: PASS, new: NEW_PASS }))).toBe('NO_IDENTITY')
    expect(await codeOf(() => svc.exportBackup())).toBe('NO_IDENTITY')
    expect(await codeOf(() => svc.signer())).toBe('LOCKED')
    expect(await codeOf(() => svc.myCard())).toBe('LOCKED')
  })

  it('validates create input before any key work', async () => {
    expect(await codeOf(() => svc.create({ name: 'Alice', passphrase: 'short' }))).toBe('WEAK_PASSPHRASE')
    expect(await codeOf(() => svc.create({ name: '  ', passphrase: PASS }))).toBe('INVALID_INPUT')
    expect(await codeOf(() => svc.create({ name: 'A\u0000', passphrase: PASS }))).toBe('INVALID_INPUT')
    expect(await codeOf(() => svc.create(null as unknown as { name: string; passphrase: string }))).toBe('INVALID_INPUT')
    expect(await codeOf(() => svc.create({ name: 'Alice', passphrase: 42 } as unknown as { name: string; passphrase: string }))).toBe(
      'INVALID_INPUT',
    )
    expect(identityRow(db)).toEqual([])
  })

  it('creates an identity that is unlocked afterwards and stored encrypted', async () => {
    const created = await svc.create({ name: '  Alice ', passphrase: PASS })
    publicKey = created.publicKey
    expect(created.fingerprint).toBe(fingerprint(publicKey))
    expect(svc.status()).toEqual({ exists: true, unlocked: true, publicKey, name: 'Alice', fingerprint: created.fingerprint })
    expect(events).toEqual([{ type: 'identity', state: 'unlocked', unlocked: true }])
    const row = readIdentity(db)!
    expect(row.publicKey).toBe(publicKey)
    expect(parseKeyBlob(row.keyBlob)).toMatchObject({ v: 1, kdf: 'scrypt', N: 2 ** 17, r: 8, p: 1 })
    expect(await codeOf(() => svc.create({ name: 'Again', passphrase: PASS }))).toBe('IDENTITY_EXISTS')
    expect(readIdentity(db)).toEqual(row)
  })

  it('hands out a Signer for the identity key, and a card signed by it', () => {
    const signer = svc.signer()
    expect(signer.publicKey).toBe(publicKey)
    expect(Object.keys(signer)).not.toContain('wipe')
    const value = { hello: 'world' }
    expect(verifyCanonical(DOMAIN_ENVELOPE, value, signer.signCanonical(DOMAIN_ENVELOPE, value), publicKey)).toBe(true)
    const msg = new Uint8Array([1, 2, 3])
    expect(verify(signer.signBytes(msg), msg, hexToBytes(publicKey))).toBe(true)
    expect(decodeContactCard(svc.myCard().card)).toEqual({ publicKey, name: 'Alice' })
  })

  it('lock() wipes the key: the Signer handed out before now throws LOCKED', async () => {
    const before = svc.signer()
    svc.lock()
    expect(svc.status().unlocked).toBe(false)
    expect(events.at(-1)).toEqual({ type: 'identity', state: 'locked', unlocked: false })
    expect(await codeOf(() => before.signCanonical(DOMAIN_ENVELOPE, { a: 1 }))).toBe('LOCKED')
    expect(await codeOf(() => before.signBytes(new Uint8Array(1)))).toBe('LOCKED')
    expect(await codeOf(() => svc.signer())).toBe('LOCKED')
    expect(await codeOf(() => svc.myCard())).toBe('LOCKED')
    const count = events.length
    svc.lock()
    expect(events).toHaveLength(count) // already locked: no second event
  })

  it('a wrong passphrase is BAD_PASSPHRASE and leaves it locked; the right one unlocks', async () => {
    const stale = (() => {
      try {
        return svc.signer()
      } catch {
        return undefined
      }
    })()
    expect(stale).toBeUndefined()
    expect(await codeOf(() => svc.unlock({ passphrase: 'not the passphrase' }))).toBe('BAD_PASSPHRASE')
    expect(svc.status().unlocked).toBe(false)
    const status = await svc.unlock({ passphrase: PASS })
    expect(status).toMatchObject({ exists: true, unlocked: true, publicKey })
    const live = svc.signer()
    // While unlocked, a wrong passphrase is still refused and does not lock or replace the Signer.
    expect(await codeOf(() => svc.unlock({ passphrase: 'not the passphrase' }))).toBe('BAD_PASSPHRASE')
    expect(svc.signer()).toBe(live)
    expect(live.signBytes(new Uint8Array(1))).toHaveLength(64)
  })

  it('a service reopened on the same file starts locked', async () => {
    svc.close()
    expect(await codeOf(() => svc.status())).toBe('CLOSED')
    db.close()
    const again = new IdentityService(reopen(path))
    expect(again.status()).toEqual({ exists: true, unlocked: false, publicKey, name: 'Alice', fingerprint: fingerprint(publicKey) })
    expect(await codeOf(() => again.signer())).toBe('LOCKED')
  })
})

describe('changing the passphrase', () => {
  const { db } = freshDb()
  const svc = new IdentityService(db)
  let backupWithOldPassphrase = ''

  it('a wrong old passphrase or a weak new one changes nothing', async () => {
    await svc.create({ name: 'Bob', passphrase: PASS })
    svc.lock()
    backupWithOldPassphrase = svc.exportBackup().blob
    const before = identityRow(db)
    expect(await codeOf(() => svc.changePassphrase({ old: PASS, new: 'weak' }))).toBe('WEAK_PASSPHRASE')
    expect(await codeOf(() => svc.changePassphrase({ old: 'wrong passphrase', new: NEW_PASS }))).toBe('BAD_PASSPHRASE')
    expect(identityRow(db)).toEqual(before)
  })

  it('re-seals with a fresh salt and nonce; then the old passphrase fails and the new one works', async () => {
    const before = parseKeyBlob(readIdentity(db)!.keyBlob)
    await svc.changePassphrase({ old: PASS, new: NEW_PASS })
    const after = parseKeyBlob(readIdentity(db)!.keyBlob)
    expect(after.salt).not.toBe(before.salt)
    expect(after.nonce).not.toBe(before.nonce)
    expect(svc.status().unlocked).toBe(false) // changing the passphrase does not unlock
    expect(await codeOf(() => svc.unlock({ passphrase: PASS }))).toBe('BAD_PASSPHRASE')
    await svc.unlock({ passphrase: NEW_PASS })
    expect(svc.status().unlocked).toBe(true)
  })

  it('importing a backup of the same key restores its (older) passphrase', async () => {
    const publicKey = svc.status().publicKey
    const restored = await svc.importBackup({ blob: backupWithOldPassphrase, passphrase: PASS })
    expect(restored.publicKey).toBe(publicKey)
    svc.lock()
    await svc.unlock({ passphrase: PASS })
    expect(svc.signer().publicKey).toBe(publicKey)
  })
})

describe('backup export and import', () => {
  const source = freshDb()
  const src = new IdentityService(source.db)
  let backup = ''
  let publicKey = ''

  it('exports while locked, and imports into a fresh profile with the same key, unlocked', async () => {
    publicKey = (await src.create({ name: 'Carol', passphrase: PASS })).publicKey
    src.lock()
    backup = src.exportBackup().blob
    const parsed = JSON.parse(backup) as { publicKey: string; name: string; key: KeyBlob }
    expect(parsed).toMatchObject({ publicKey, name: 'Carol' })
    expect(backup).not.toContain(PASS)

    const { db } = freshDb()
    const dst = new IdentityService(db)
    const imported = await dst.importBackup({ blob: backup, passphrase: PASS })
    expect(imported).toEqual({ publicKey, fingerprint: fingerprint(publicKey) })
    expect(dst.status()).toMatchObject({ exists: true, unlocked: true, publicKey, name: 'Carol' })
    expect(decodeContactCard(dst.myCard().card).publicKey).toBe(publicKey)
  })

  it('refuses corrupt backups with nothing written', async () => {
    const { db } = freshDb()
    const dst = new IdentityService(db)
    const o = JSON.parse(backup) as Record<string, unknown> & { key: KeyBlob }
    const variants: Array<[string, unknown]> = [
      ['not json', backup.slice(0, -3)],
      ['empty', ''],
      ['oversize', backup + ' '.repeat(20_000)],
      ['extra field', JSON.stringify({ ...o, extra: 1 })],
      ['wrong format', JSON.stringify({ ...o, format: 'something-else' })],
      ['version', JSON.stringify({ ...o, v: 2 })],
      ['small-order key', JSON.stringify({ ...o, publicKey: '01' + '00'.repeat(31) })],
      ['control character in name', JSON.stringify({ ...o, name: 'Car\u0007ol' })],
      ['short salt', JSON.stringify({ ...o, key: { ...o.key, salt: o.key.salt.slice(2) } })],
      ['missing tag', JSON.stringify({ ...o, key: { ...o.key, tag: undefined } })],
      ['duplicate key', backup.replace('{', `{"name":"Mallory",`)],
    ]
    for (const [what, blob] of variants) {
      expect(await codeOf(() => dst.importBackup({ blob: blob as string, passphrase: PASS })), what).toBe('BAD_BACKUP')
    }
    expect(await codeOf(() => dst.importBackup({ blob: { ...o } as unknown as string, passphrase: PASS }))).toBe('INVALID_INPUT')
    const downgraded = JSON.stringify({ ...o, key: { ...o.key, N: 1024 } })
    expect(await codeOf(() => dst.importBackup({ blob: downgraded, passphrase: PASS }))).toBe('BAD_KDF_PARAMS')
    expect(identityRow(db)).toEqual([])
    expect(dst.status()).toEqual({ exists: false, unlocked: false })
  })

  it('refuses a wrong passphrase, and a key that does not derive the stated public key, writing nothing', async () => {
    const { db } = freshDb()
    const dst = new IdentityService(db)
    expect(await codeOf(() => dst.importBackup({ blob: backup, passphrase: 'wrong passphrase' }))).toBe('BAD_PASSPHRASE')
    // The blob decrypts fine but names another (valid) key: caught after decryption.
    const otherProfile = freshDb()
    const other = new IdentityService(otherProfile.db)
    const otherKey = (await other.create({ name: 'Dan', passphrase: PASS })).publicKey
    const mislabelled = JSON.stringify({ ...(JSON.parse(backup) as object), publicKey: otherKey })
    expect(await codeOf(() => dst.importBackup({ blob: mislabelled, passphrase: PASS }))).toBe('BAD_BACKUP')
    expect(identityRow(db)).toEqual([])
    expect(dst.status().unlocked).toBe(false)
    // A profile holding a different identity refuses the import before any work.
    const before = identityRow(otherProfile.db)
    expect(await codeOf(() => other.importBackup({ blob: backup, passphrase: PASS }))).toBe('IDENTITY_EXISTS')
    expect(identityRow(otherProfile.db)).toEqual(before)
  })
})

describe('idle lock, races and damaged rows', () => {
  it('locks after idleLockMs without touch(); touch() restarts the countdown', async () => {
    const { db } = freshDb()
    const timers = new FakeTimers()
    const svc = new IdentityService(db, { idleLockMs: 60_000, timers })
    const events: IdentityEvent[] = []
    svc.onChange((e) => events.push(e))
    await svc.create({ name: 'Erin', passphrase: PASS })
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([60_000])
    const firstHandle = [...timers.pending.keys()][0]
    svc.touch()
    expect(timers.pending.size).toBe(1)
    expect(timers.pending.has(firstHandle!)).toBe(false) // the old countdown was cancelled
    const signer = svc.signer()
    timers.fireAll()
    expect(svc.status().unlocked).toBe(false)
    expect(await codeOf(() => signer.signBytes(new Uint8Array(1)))).toBe('LOCKED')
    expect(events.map((e) => e.state)).toEqual(['unlocked', 'locked'])
    svc.touch() // while locked: arms nothing
    expect(timers.pending.size).toBe(0)
    expect(() => new IdentityService(db, { idleLockMs: -1 })).toThrow(TrustError)
  })

  it('a lock() during a pending unlock wins: the unlock fails LOCKED and nothing stays unlocked', async () => {
    const { db } = freshDb()
    const svc = new IdentityService(db)
    await svc.create({ name: 'Frank', passphrase: PASS })
    svc.lock()
    const pending = svc.unlock({ passphrase: PASS })
    svc.lock()
    expect(await codeOf(() => pending)).toBe('LOCKED')
    expect(svc.status().unlocked).toBe(false)
  })

  it('two concurrent creates give one identity and one IDENTITY_EXISTS', async () => {
    const { db } = freshDb()
    const svc = new IdentityService(db)
    const results = await Promise.allSettled([
      svc.create({ name: 'One', passphrase: PASS }),
      svc.create({ name: 'Two', passphrase: PASS }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect((rejected.reason as TrustError).code).toBe('IDENTITY_EXISTS')
    expect(readIdentity(db)?.name).toBe('One')
  })

  it('refuses a stored key that was downgraded or swapped for another key', async () => {
    const { db } = freshDb()
    const svc = new IdentityService(db)
    await svc.create({ name: 'Grace', passphrase: PASS })
    svc.lock()
    const row = readIdentity(db)!
    const blob = parseKeyBlob(row.keyBlob)
    db.prepare('UPDATE identity SET key_blob = ?').run(JSON.stringify({ ...blob, N: 2 ** 10 }))
    expect(await codeOf(() => svc.unlock({ passphrase: PASS }))).toBe('BAD_KDF_PARAMS')
    // Another identity's sealed key under the same passphrase: decrypts, but is not this key.
    const { db: otherDb } = freshDb()
    await new IdentityService(otherDb).create({ name: 'Heidi', passphrase: PASS })
    db.prepare('UPDATE identity SET key_blob = ?').run(readIdentity(otherDb)!.keyBlob)
    expect(await codeOf(() => svc.unlock({ passphrase: PASS }))).toBe('DB_CORRUPT')
    expect(svc.status().unlocked).toBe(false)
  })
})
