/**
 * A first look at a chosen backup file, to show whose identity it holds before
 * the passphrase is asked. The core checks it fully (identity.importBackup);
 * this only catches the wrong file early and never trusts what it reads.
 */
export const MAX_BACKUP_BYTES = 64 * 1024

export type BackupPreview = { ok: true; name: string; publicKey: string } | { ok: false; reason: string }

export function previewBackup(text: string): BackupPreview {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'This file is not a Trust Primitive backup (it is not JSON).' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'This file is not a Trust Primitive backup.' }
  }
  const v = value as Record<string, unknown>
  if (v.format !== 'trust-primitive/identity-backup') return { ok: false, reason: 'This file is not a Trust Primitive backup.' }
  if (v.v !== 1) return { ok: false, reason: 'This backup was made by a newer version of Trust Primitive; update it first.' }
  if (typeof v.publicKey !== 'string' || !/^[0-9a-f]{64}$/.test(v.publicKey) || typeof v.name !== 'string' || v.name.length > 256) {
    return { ok: false, reason: 'This backup file is damaged.' }
  }
  return { ok: true, name: v.name, publicKey: v.publicKey }
}
