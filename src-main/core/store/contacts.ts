/**
 * The address book (DESIGN sections 2 and 11): counterparties added from their
 * signed contact cards, with an optional name of the user's own choosing.
 * Re-adding a key replaces its card (the holder may have renamed) and keeps the
 * user's name unless a new one is given. Adding one's own key is refused.
 */
import { TrustError } from '../errors.js'
import { decodeContactCard, normalizeDisplayName } from '../crypto/contact-card.js'
import { fingerprint } from '../crypto/ed25519.js'
import { isHex } from '../crypto/hex.js'
import type { Db } from './database.js'

export interface Contact {
  publicKey: string
  fingerprint: string
  /** What the UI shows: localName, else cardName. */
  name: string
  /** The name the key holder signed in the card. */
  cardName: string
  localName: string | null
  card: string
  /** When it was first added (ISO 8601); re-adding keeps it. */
  added: string
}

export interface AddContactInput {
  card: string
  /** A string sets the user's own name, null clears it, undefined keeps the current one. */
  name?: string | null
}

interface Row {
  public_key: string
  name: string
  card_name: string
  local_name: string | null
  card: string
  added_at: string
}

const COLUMNS = 'public_key, name, card_name, local_name, card, added_at'

export function addContact(db: Db, input: AddContactInput, now: Date = new Date()): Contact {
  if (typeof input !== 'object' || input === null) throw TrustError.invalidInput('add takes {card, name?}')
  const { publicKey, name: cardName } = decodeContactCard(input.card)
  const override = input.name === undefined || input.name === null ? input.name : normalizeDisplayName(input.name)
  return db.transaction(() => {
    const self = db.prepare('SELECT public_key FROM identity WHERE id = 1').get() as { public_key: string } | undefined
    if (self?.public_key === publicKey) throw TrustError.invalidInput('this card is your own; you cannot add yourself as a contact')
    const existing = getContact(db, publicKey)
    const localName = override === undefined ? (existing?.localName ?? null) : override
    const shown = localName ?? cardName
    if (existing === undefined) {
      db.prepare(`INSERT INTO contacts (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`).run(
        publicKey,
        shown,
        cardName,
        localName,
        input.card,
        now.toISOString(),
      )
    } else {
      db.prepare('UPDATE contacts SET name = ?, card_name = ?, local_name = ?, card = ? WHERE public_key = ?').run(
        shown,
        cardName,
        localName,
        input.card,
        publicKey,
      )
    }
    return getContact(db, publicKey)!
  }).immediate()
}

/**
 * What `addContact` would save from `card`, without saving it: the card is
 * checked the same way (BAD_CONTACT; INVALID_INPUT for one's own card), so a
 * person compares the fingerprint of exactly what would be added.
 */
export function inspectCard(db: Db, card: string): { publicKey: string; name: string; fingerprint: string; existing: Contact | undefined } {
  const { publicKey, name } = decodeContactCard(card)
  const self = db.prepare('SELECT public_key FROM identity WHERE id = 1').get() as { public_key: string } | undefined
  if (self?.public_key === publicKey) throw TrustError.invalidInput('this card is your own; you cannot add yourself as a contact')
  return { publicKey, name, fingerprint: fingerprint(publicKey), existing: getContact(db, publicKey) }
}

export function getContact(db: Db, publicKey: string): Contact | undefined {
  checkKey(publicKey)
  const row = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE public_key = ?`).get(publicKey) as Row | undefined
  return row === undefined ? undefined : toContact(row)
}

/** Sorted by shown name (case-insensitively), then key, so the order is stable. */
export function listContacts(db: Db): Contact[] {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM contacts ORDER BY name COLLATE NOCASE, public_key`).all() as Row[]
  return rows.map(toContact)
}

/** NOT_FOUND if the key is not a contact. */
export function removeContact(db: Db, publicKey: string): void {
  checkKey(publicKey)
  const info = db.prepare('DELETE FROM contacts WHERE public_key = ?').run(publicKey)
  if (info.changes === 0) throw TrustError.notFound('the contact')
}

function checkKey(publicKey: unknown): asserts publicKey is string {
  if (!isHex(publicKey, 32)) throw TrustError.invalidInput('a contact is named by its public key: 64 lowercase hex characters')
}

function toContact(row: Row): Contact {
  return {
    publicKey: row.public_key,
    fingerprint: fingerprint(row.public_key),
    name: row.name,
    cardName: row.card_name,
    localName: row.local_name,
    card: row.card,
    added: row.added_at,
  }
}
