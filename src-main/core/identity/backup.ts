/**
 * The identity backup (DESIGN section 2): the same sealed key blob as the identity
 * row, plus the public key it must decrypt to and the display name, as canonical
 * JSON text. It is safe to export while locked: the secret inside stays encrypted
 * under the passphrase.
 */
import { TrustError } from '../errors.js'
import { normalizeDisplayName } from '../crypto/contact-card.js'
import { isPublicKeyHex } from '../crypto/ed25519.js'
import { type KeyBlob, parseKeyBlob } from '../crypto/keystore.js'
import { canonicalizeStrict } from '../protocol/jcs.js'
import { parseJson } from '../protocol/json.js'

export const BACKUP_FORMAT = 'trust-primitive/identity-backup'
export const MAX_BACKUP_CHARS = 16 * 1024

export interface IdentityBackup {
  publicKey: string
  name: string
  key: KeyBlob
}

export function encodeBackup(backup: IdentityBackup): string {
  return canonicalizeStrict({ format: BACKUP_FORMAT, v: 1, publicKey: backup.publicKey, name: backup.name, key: backup.key })
}

/** Structure only; whether the key decrypts to `publicKey` is checked by the caller. */
export function decodeBackup(text: unknown): IdentityBackup {
  if (typeof text !== 'string') throw bad('a backup must be text')
  if (text.length > MAX_BACKUP_CHARS) throw bad(`the backup is longer than ${MAX_BACKUP_CHARS} characters`)
  let value: unknown
  try {
    value = parseJson(text)
  } catch (err) {
    throw bad(`the backup is not valid JSON (${(err as Error).message})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('the backup is not a JSON object')
  const o = value as Record<string, unknown>
  if (Object.keys(o).sort().join(',') !== 'format,key,name,publicKey,v') {
    throw bad('the backup must have exactly the fields format, v, publicKey, name, key')
  }
  if (o.format !== BACKUP_FORMAT || o.v !== 1) throw bad('this is not a Trust Primitive identity backup, version 1')
  if (!isPublicKeyHex(o.publicKey)) throw bad('the backup public key is not a valid Ed25519 public key')
  let name: string
  try {
    name = normalizeDisplayName(o.name)
  } catch (err) {
    throw bad(`the backup name is not acceptable (${(err as Error).message})`)
  }
  // parseKeyBlob throws BAD_BACKUP for a malformed blob and BAD_KDF_PARAMS for bounds.
  return { publicKey: o.publicKey, name, key: parseKeyBlob(o.key) }
}

function bad(text: string): TrustError {
  return new TrustError('BAD_BACKUP', text)
}
