/**
 * The preferences table (migration 006): one JSON value per key. Values are
 * parsed back with the strict parser and checked by whoever owns the key
 * (node/settings-api.ts), because the file can be edited between runs.
 */
import { TrustError } from '../errors.js'
import { parseJson } from '../protocol/json.js'
import type { Db } from './database.js'

export type PreferenceKey = 'idleLockMs'

/** The stored value, or undefined when none was stored or it is unreadable (the caller's default applies). */
export function readPreference(db: Db, key: PreferenceKey): unknown {
  const row = db.prepare('SELECT value FROM preferences WHERE key = ?').get(key) as { value: string } | undefined
  if (row === undefined) return undefined
  try {
    return parseJson(row.value, { strict: true, maxDepth: 8 })
  } catch {
    return undefined
  }
}

export function writePreference(db: Db, key: PreferenceKey, value: string | number | boolean, now: Date): void {
  const text = JSON.stringify(value)
  if (text === undefined) throw TrustError.invalidInput(`preference ${key} is not JSON`)
  db.prepare(
    `INSERT INTO preferences (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, text, now.toISOString())
}
