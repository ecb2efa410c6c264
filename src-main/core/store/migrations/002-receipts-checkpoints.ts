import type { Migration } from './index.js'

/**
 * The personal receipt log and its signed checkpoints (DESIGN section 7).
 * `bytes` is the exact JCS of each receipt, sig included; `hash` is its SHA-256,
 * kept for lookups and proofs, and checked against `bytes` by verification.
 * Refused checkpoints stay as evidence (status 'refused'), never replacing a
 * good one; at most one good checkpoint per size.
 */
export const migration002: Migration = {
  version: 2,
  name: 'receipts-checkpoints',
  up(db) {
    db.exec(`
      CREATE TABLE receipts (
        seq    INTEGER PRIMARY KEY CHECK (seq >= 0),
        hash   TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
        bytes  BLOB NOT NULL
      ) STRICT;

      CREATE TABLE checkpoints (
        id           INTEGER PRIMARY KEY,
        size         INTEGER NOT NULL CHECK (size >= 0),
        root         TEXT NOT NULL CHECK (length(root) = 64),   -- hex of the note's root
        note         TEXT NOT NULL,                             -- the signed note, exactly as signed or received
        status       TEXT NOT NULL CHECK (status IN ('good', 'refused')),
        reason       TEXT,                                      -- why a refused one was refused
        recorded_at  TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX checkpoints_good_size ON checkpoints (size) WHERE status = 'good';
    `)
  },
}
