import type { Migration } from './index.js'

/**
 * Seeders (DESIGN section 5): the seeders a profile trusts to keep its feeds,
 * the seeders an invite named for a negotiation we joined, and whether a
 * negotiation's feeds are encrypted. Negotiations replicated before this
 * migration were made with plaintext feeds (v1 invites): they keep them
 * (feed_encryption 0) and are never handed to a seeder.
 */
export const migration005: Migration = {
  version: 5,
  name: 'seeders',
  up(db) {
    db.exec(`
      ALTER TABLE peer_negotiations
        ADD COLUMN feed_encryption INTEGER NOT NULL DEFAULT 0 CHECK (feed_encryption IN (0, 1));

      -- The profile's own list (TrustApi seeders.add, trust serve --seeder).
      CREATE TABLE seeders (
        public_key        TEXT PRIMARY KEY CHECK (length(public_key) = 64),
        added_at          TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- Seeders named by the invite of a negotiation we joined.
      CREATE TABLE negotiation_seeders (
        negotiation       TEXT NOT NULL REFERENCES peer_negotiations (negotiation) ON DELETE CASCADE,
        public_key        TEXT NOT NULL CHECK (length(public_key) = 64),
        PRIMARY KEY (negotiation, public_key)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
