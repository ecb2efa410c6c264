import type { Migration } from './index.js'

/**
 * The user's preferences (DESIGN section 11, settings.*): one row per setting,
 * the value as JSON text. Only what the core needs to act on lives here (the idle
 * lock timeout); how the UI looks is the UI's business.
 */
export const migration006: Migration = {
  version: 6,
  name: 'preferences',
  up(db) {
    db.exec(`
      CREATE TABLE preferences (
        key         TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64),
        value       TEXT NOT NULL CHECK (json_valid(value)),
        updated_at  TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
