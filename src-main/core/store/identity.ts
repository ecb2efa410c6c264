/**
 * The identity row (DESIGN sections 2 and 6): at most one, holding the public key,
 * the display name and the encrypted secret key. This module never sees a
 * plaintext secret; it stores and swaps the sealed blob.
 */
import { TrustError } from '../errors.js'
import { isPublicKeyHex } from '../crypto/ed25519.js'
import type { Db } from './database.js'

export interface IdentityRecord {
  publicKey: string
  name: string
  /** Canonical JSON of a KeyBlob (crypto/keystore.ts). */
  keyBlob: string
  createdAt: string
}

interface Row {
  public_key: string
  name: string
  key_blob: string
  created_at: string
}

export function readIdentity(db: Db): IdentityRecord | undefined {
  const row = db.prepare('SELECT public_key, name, key_blob, created_at FROM identity WHERE id = 1').get() as Row | undefined
  if (row === undefined) return undefined
  // The file is outside our control between runs: check before trusting it.
  if (!isPublicKeyHex(row.public_key)) throw new TrustError('DB_CORRUPT', 'the stored identity has an invalid public key')
  return { publicKey: row.public_key, name: row.name, keyBlob: row.key_blob, createdAt: row.created_at }
}

/** Inserts the one identity; IDENTITY_EXISTS if there is one already. */
export function insertIdentity(db: Db, record: IdentityRecord): void {
  db.transaction(() => {
    if (db.prepare('SELECT 1 FROM identity WHERE id = 1').get() !== undefined) {
      throw new TrustError('IDENTITY_EXISTS', 'this profile already has an identity')
    }
    db.prepare('INSERT INTO identity (id, public_key, name, key_blob, created_at) VALUES (1, ?, ?, ?, ?)').run(
      record.publicKey,
      record.name,
      record.keyBlob,
      record.createdAt,
    )
  }).immediate()
}

/**
 * Swaps the sealed key only if the row still holds `expected` for `publicKey`
 * (compare-and-swap), so a concurrent change is never silently overwritten.
 */
export function replaceKeyBlob(db: Db, publicKey: string, expected: string, next: string): void {
  const info = db
    .prepare('UPDATE identity SET key_blob = ? WHERE id = 1 AND public_key = ? AND key_blob = ?')
    .run(next, publicKey, expected)
  if (info.changes !== 1) throw new TrustError('INTERNAL', 'the identity changed while its key was being re-sealed; nothing was written')
}
