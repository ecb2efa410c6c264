import type { Migration } from './index.js'

/** The local identity (at most one row) and the address book of counterparties. */
export const migration001: Migration = {
  version: 1,
  name: 'identity-contacts',
  up(db) {
    db.exec(`
      CREATE TABLE identity (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        public_key  TEXT NOT NULL CHECK (length(public_key) = 64),
        name        TEXT NOT NULL,
        key_blob    TEXT NOT NULL,            -- the encrypted secret key (JSON, see crypto/keystore.ts)
        created_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE contacts (
        public_key  TEXT PRIMARY KEY CHECK (length(public_key) = 64),
        name        TEXT NOT NULL,            -- the name shown: local_name, else card_name
        card_name   TEXT NOT NULL,            -- the display name the key signed
        local_name  TEXT,                     -- the user's own name for the contact, if any
        card        TEXT NOT NULL,            -- the trust:contact/... code as received
        added_at    TEXT NOT NULL,
        CHECK (name = coalesce(local_name, card_name))
      ) STRICT;
    `)
  },
}
