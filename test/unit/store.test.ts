import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import { encodeContactCard } from '../../src-main/core/crypto/contact-card.js'
import { fingerprint, generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { encodeKeyBlob, sealSecret } from '../../src-main/core/crypto/keystore.js'
import { createSigner } from '../../src-main/core/crypto/signer.js'
import { type Db, migrate, openDatabase, schemaVersion } from '../../src-main/core/store/database.js'
import { MIGRATIONS, type Migration } from '../../src-main/core/store/migrations/index.js'
import { addContact, getContact, listContacts, removeContact } from '../../src-main/core/store/contacts.js'
import { type IdentityRecord, insertIdentity, readIdentity, replaceKeyBlob } from '../../src-main/core/store/identity.js'
import { codeOf } from '../fixtures/trust-error.js'

const dir = mkdtempSync(join(tmpdir(), 'trust-store-'))
let fileNo = 0
const freshPath = (): string => join(dir, `db-${++fileNo}.sqlite`)
const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function sqliteCode(run: () => unknown): string {
  try {
    run()
  } catch (err) {
    return (err as { code?: string }).code ?? 'no code'
  }
  throw new Error('expected SQLite to refuse, but it accepted')
}

const tableNames = (db: Db): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name)

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')

// One real sealed key (one scrypt run) and real cards for the whole file.
const me = generateKeyPair()
const myKey = bytesToHex(me.publicKey)
const carol = generateKeyPair()
const carolKey = bytesToHex(carol.publicKey)
const dave = generateKeyPair()
const cardOf = (secret: Uint8Array, name: string): string => encodeContactCard(createSigner(new Uint8Array(secret)), name)
let identity: IdentityRecord

beforeAll(async () => {
  const blob = await sealSecret(me.secretKey, 'store test passphrase')
  identity = { publicKey: myKey, name: 'Me', keyBlob: encodeKeyBlob(blob), createdAt: '2025-01-02T03:04:05.000Z' }
})

describe('database: pragmas and migrations', () => {
  it('opens in WAL with synchronous=FULL and foreign keys on, at the latest schema version', () => {
    const db = openDatabase(freshPath())
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // 2 = FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(schemaVersion(db)).toBe(LATEST)
    expect(tableNames(db)).toEqual(expect.arrayContaining(['contacts', 'identity']))
    db.close()
  })

  it('makes every table STRICT and refuses a value of the wrong type', () => {
    const db = openDatabase(freshPath())
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'").all() as Array<{
      name: string
      strict: number
    }>
    expect(tables.length).toBeGreaterThanOrEqual(2)
    for (const t of tables) expect(t.strict, t.name).toBe(1)
    const insertContact = db.prepare('INSERT INTO contacts (public_key, name, card_name, local_name, card, added_at) VALUES (?, ?, ?, ?, ?, ?)')
    expect(sqliteCode(() => insertContact.run(carolKey, Buffer.from('Carol'), 'Carol', null, 'card', 'now'))).toBe('SQLITE_CONSTRAINT_DATATYPE')
    const insertIdentityRow = db.prepare('INSERT INTO identity (id, public_key, name, key_blob, created_at) VALUES (1, ?, ?, ?, ?)')
    expect(sqliteCode(() => insertIdentityRow.run(myKey, 'Me', Buffer.from([1, 2, 3]), 't'))).toBe('SQLITE_CONSTRAINT_DATATYPE')
    expect(db.prepare('SELECT count(*) AS n FROM identity').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT count(*) AS n FROM contacts').get()).toEqual({ n: 0 })
    db.close()
  })

  it('applies a further migration, keeping foreign keys enforced', () => {
    const db = openDatabase(freshPath())
    const next: Migration = {
      version: LATEST + 1,
      name: 'test-notes',
      up: (d) => d.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, contact TEXT NOT NULL REFERENCES contacts(public_key)) STRICT'),
    }
    migrate(db, [...MIGRATIONS, next])
    expect(schemaVersion(db)).toBe(LATEST + 1)
    expect(sqliteCode(() => db.prepare('INSERT INTO notes (contact) VALUES (?)').run(carolKey))).toBe('SQLITE_CONSTRAINT_FOREIGNKEY')
    db.close()
  })

  it('applies pending migrations in one transaction: a failing one leaves version and schema unchanged', () => {
    const path = freshPath()
    const db = openDatabase(path)
    insertIdentity(db, identity)
    const schemaBefore = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()
    const good: Migration = { version: LATEST + 1, name: 'good', up: (d) => d.exec('CREATE TABLE extra (x INTEGER) STRICT') }
    const bad: Migration = {
      version: LATEST + 2,
      name: 'bad',
      up: (d) => {
        d.exec("UPDATE identity SET name = 'changed'")
        d.exec('CREATE TABLE broken (x INTEGER REFERENCES nowhere(') // syntax error
      },
    }
    expect(() => migrate(db, [...MIGRATIONS, good, bad])).toThrow()
    expect(schemaVersion(db)).toBe(LATEST)
    expect(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schemaBefore)
    expect(readIdentity(db)).toEqual(identity)
    db.close()

    // From an empty file too: the failing list leaves no table and version 0.
    const raw = new BetterSqlite3(freshPath())
    expect(() => migrate(raw, [MIGRATIONS[0]!, { version: 2, name: 'bad', up: (d) => d.exec('NOT SQL') }])).toThrow()
    expect(schemaVersion(raw)).toBe(0)
    expect(tableNames(raw)).toEqual([])
    raw.close()
  })

  it('refuses a migration list with a gap in its numbers', () => {
    const db = openDatabase(freshPath())
    const gap: Migration = { version: LATEST + 2, name: 'gap', up: (d) => d.exec('CREATE TABLE gap (x INTEGER) STRICT') }
    expect(codeOf(() => migrate(db, [...MIGRATIONS, gap]))).toBe('INTERNAL')
    expect(tableNames(db)).not.toContain('gap')
    db.close()
  })

  it('refuses a database from a newer version with DB_FROM_FUTURE and leaves the file untouched', () => {
    const path = freshPath()
    const db = openDatabase(path)
    insertIdentity(db, identity)
    db.pragma(`user_version = ${LATEST + 5}`)
    db.close() // checkpoints the WAL into the main file
    const before = sha(path)
    const err = (() => {
      try {
        openDatabase(path)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(err).toBeInstanceOf(TrustError)
    expect((err as TrustError).code).toBe('DB_FROM_FUTURE')
    expect((err as TrustError).detail).toEqual({ current: LATEST + 5, latest: LATEST })
    expect(sha(path)).toBe(before)
    const check = new BetterSqlite3(path, { readonly: true })
    expect(schemaVersion(check)).toBe(LATEST + 5)
    expect(readIdentity(check)).toEqual(identity)
    check.close()
  })

  it('keeps the data when the file is reopened', () => {
    const path = freshPath()
    const db = openDatabase(path)
    insertIdentity(db, identity)
    const added = addContact(db, { card: cardOf(carol.secretKey, 'Carol'), name: 'Aunt Carol' }, new Date('2025-02-03T00:00:00Z'))
    db.close()
    const again = openDatabase(path)
    expect(schemaVersion(again)).toBe(LATEST)
    expect(readIdentity(again)).toEqual(identity)
    expect(listContacts(again)).toEqual([added])
    again.close()
  })
})

describe('identity row', () => {
  it('holds at most one identity; a second insert is IDENTITY_EXISTS and changes nothing', () => {
    const db = openDatabase(freshPath())
    expect(readIdentity(db)).toBeUndefined()
    insertIdentity(db, identity)
    const other = { ...identity, publicKey: carolKey, name: 'Other' }
    expect(codeOf(() => insertIdentity(db, other))).toBe('IDENTITY_EXISTS')
    expect(readIdentity(db)).toEqual(identity)
    db.close()
  })

  it('swaps the key blob only when the row still holds the expected one', () => {
    const db = openDatabase(freshPath())
    insertIdentity(db, identity)
    expect(codeOf(() => replaceKeyBlob(db, myKey, 'not the stored blob', '{"new":1}'))).toBe('INTERNAL')
    expect(codeOf(() => replaceKeyBlob(db, carolKey, identity.keyBlob, '{"new":1}'))).toBe('INTERNAL')
    expect(readIdentity(db)).toEqual(identity)
    replaceKeyBlob(db, myKey, identity.keyBlob, '{"new":1}')
    expect(readIdentity(db)?.keyBlob).toBe('{"new":1}')
    db.close()
  })

  it('refuses to read a stored identity whose public key is not a valid point', () => {
    const db = openDatabase(freshPath())
    insertIdentity(db, { ...identity, publicKey: '01' + '00'.repeat(31) })
    expect(codeOf(() => readIdentity(db))).toBe('DB_CORRUPT')
    db.close()
  })
})

describe('contacts', () => {
  it('adds from a card, with and without a local name, and lists them in name order', () => {
    const db = openDatabase(freshPath())
    const when = new Date('2025-03-04T05:06:07Z')
    const c = addContact(db, { card: cardOf(carol.secretKey, 'Carol') }, when)
    expect(c).toEqual({
      publicKey: carolKey,
      fingerprint: fingerprint(carolKey),
      name: 'Carol',
      cardName: 'Carol',
      localName: null,
      card: cardOf(carol.secretKey, 'Carol'),
      added: when.toISOString(),
    })
    const d = addContact(db, { card: cardOf(dave.secretKey, 'Dave'), name: '  alpha Dave ' }, when)
    expect(d.name).toBe('alpha Dave')
    expect(d.cardName).toBe('Dave')
    expect(listContacts(db).map((x) => x.name)).toEqual(['alpha Dave', 'Carol'])
    expect(getContact(db, carolKey)).toEqual(c)
    expect(getContact(db, bytesToHex(generateKeyPair().publicKey))).toBeUndefined()
    db.close()
  })

  it('re-adding a key updates the card, keeps the local name unless told otherwise and the first added time', () => {
    const db = openDatabase(freshPath())
    const first = addContact(db, { card: cardOf(carol.secretKey, 'Carol'), name: 'Aunt' }, new Date('2025-01-01T00:00:00Z'))
    const renamed = addContact(db, { card: cardOf(carol.secretKey, 'Carol B.') }, new Date('2025-06-01T00:00:00Z'))
    expect(renamed).toMatchObject({ name: 'Aunt', cardName: 'Carol B.', localName: 'Aunt', added: first.added })
    const cleared = addContact(db, { card: cardOf(carol.secretKey, 'Carol B.'), name: null })
    expect(cleared).toMatchObject({ name: 'Carol B.', localName: null })
    expect(listContacts(db)).toHaveLength(1)
    db.close()
  })

  it('refuses your own card, bad cards and bad names, storing nothing', () => {
    const db = openDatabase(freshPath())
    insertIdentity(db, identity)
    const kept = addContact(db, { card: cardOf(carol.secretKey, 'Carol'), name: 'Keep' })
    expect(codeOf(() => addContact(db, { card: cardOf(me.secretKey, 'Me') }))).toBe('INVALID_INPUT')
    expect(codeOf(() => addContact(db, { card: 'trust:contact/AAAA' }))).toBe('BAD_CONTACT')
    expect(codeOf(() => addContact(db, { card: cardOf(dave.secretKey, 'Dave'), name: 'bad\u0007name' }))).toBe('INVALID_INPUT')
    expect(codeOf(() => addContact(db, { card: cardOf(carol.secretKey, 'Carol'), name: '' }))).toBe('INVALID_INPUT')
    expect(codeOf(() => addContact(db, null as unknown as { card: string }))).toBe('INVALID_INPUT')
    expect(listContacts(db)).toEqual([kept])
    db.close()
  })

  it('removes by public key; an unknown key is NOT_FOUND and a malformed one INVALID_INPUT', () => {
    const db = openDatabase(freshPath())
    addContact(db, { card: cardOf(carol.secretKey, 'Carol') })
    const d = addContact(db, { card: cardOf(dave.secretKey, 'Dave') })
    removeContact(db, carolKey)
    expect(listContacts(db)).toEqual([d])
    expect(codeOf(() => removeContact(db, carolKey))).toBe('NOT_FOUND')
    expect(codeOf(() => removeContact(db, carolKey.toUpperCase()))).toBe('INVALID_INPUT')
    expect(codeOf(() => removeContact(db, "x' OR 1=1 --"))).toBe('INVALID_INPUT')
    expect(listContacts(db)).toEqual([d])
    db.close()
  })

  it('the table itself refuses a shown name inconsistent with the card and local names', () => {
    const db = openDatabase(freshPath())
    addContact(db, { card: cardOf(carol.secretKey, 'Carol'), name: 'Aunt' })
    expect(sqliteCode(() => db.prepare("UPDATE contacts SET name = 'Someone else'").run())).toBe('SQLITE_CONSTRAINT_CHECK')
    expect(getContact(db, carolKey)?.name).toBe('Aunt')
    db.close()
  })
})
