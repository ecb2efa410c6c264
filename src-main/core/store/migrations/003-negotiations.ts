import type { Migration } from './index.js'

/**
 * Negotiations and everything materialised from their envelopes (DESIGN sections
 * 4, 6 and 8). The messages table is an index of the feeds: `bytes` holds the exact
 * JCS bytes of each envelope, so any state here can be rebuilt by folding them.
 * The other negotiation tables are caches of the fold, rewritten in the same
 * transaction as the message that changed them.
 */
export const migration003: Migration = {
  version: 3,
  name: 'negotiations',
  up(db) {
    db.exec(`
      CREATE TABLE negotiations (
        id            TEXT PRIMARY KEY CHECK (length(id) = 64),   -- hash of the GENESIS envelope
        title         TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('INITIATED','NEGOTIATING','CONSENSUS_REACHED','BINDING',
                                                      'DISPUTED','RESOLVED','EXPIRED','WITHDRAWN')),
        terms_hash    TEXT NOT NULL CHECK (length(terms_hash) = 64),
        binding_hash  TEXT CHECK (binding_hash IS NULL OR length(binding_hash) = 64),
        state_json    TEXT NOT NULL,                              -- the folded state, as last materialised
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        deadline      TEXT NOT NULL
      ) STRICT;
      -- the timeout job: open negotiations by deadline
      CREATE INDEX negotiations_open_deadline ON negotiations (deadline)
        WHERE status IN ('INITIATED','NEGOTIATING','CONSENSUS_REACHED');
      CREATE INDEX negotiations_updated ON negotiations (updated_at);

      CREATE TABLE participants (
        negotiation   TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
        public_key    TEXT NOT NULL CHECK (length(public_key) = 64),
        role          TEXT NOT NULL CHECK (role IN ('participant','arbiter')),
        feed_key      TEXT CHECK (feed_key IS NULL OR length(feed_key) = 64),
        PRIMARY KEY (negotiation, public_key)
      ) STRICT, WITHOUT ROWID;
      -- "which negotiations do I share with this key" (network status, contacts)
      CREATE INDEX participants_by_key ON participants (public_key);

      CREATE TABLE messages (
        hash          TEXT PRIMARY KEY CHECK (length(hash) = 64),
        negotiation   TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
        author        TEXT NOT NULL CHECK (length(author) = 64),
        seq           INTEGER NOT NULL CHECK (seq >= 0),
        lamport       INTEGER NOT NULL CHECK (lamport >= 1),
        type          TEXT NOT NULL,
        bytes         BLOB NOT NULL,                              -- exact JCS bytes of the envelope, sig included
        sig_valid     INTEGER NOT NULL CHECK (sig_valid IN (0, 1)),
        verdict       TEXT NOT NULL CHECK (verdict IN ('applied','rejected','pending')),
        reason        TEXT,
        time          TEXT NOT NULL,                              -- the author's claimed time
        received_at   TEXT NOT NULL,                              -- our clock
        source        TEXT NOT NULL CHECK (source IN ('local','remote'))
      ) STRICT;
      -- loading a folder and the timeline: one negotiation in fold order
      CREATE INDEX messages_by_negotiation ON messages (negotiation, lamport, hash);

      CREATE TABLE appeals (
        negotiation   TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
        dispute       TEXT NOT NULL CHECK (length(dispute) = 64),
        due           TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('OPEN','LAPSED','DECIDED','SETTLED')),
        outcome       TEXT,
        PRIMARY KEY (negotiation, dispute)
      ) STRICT, WITHOUT ROWID;
      -- the appeal SLA job: open appeals by due time
      CREATE INDEX appeals_open_due ON appeals (due) WHERE status = 'OPEN';

      CREATE TABLE locks (
        negotiation   TEXT NOT NULL REFERENCES negotiations (id) ON DELETE CASCADE,
        clause        TEXT NOT NULL,
        text_hash     TEXT NOT NULL CHECK (length(text_hash) = 64),
        PRIMARY KEY (negotiation, clause)
      ) STRICT, WITHOUT ROWID;

      -- DESIGN section 8: one hash chain per counterparty. Scores and deltas are
      -- integers in thousandths so no float ever enters the hashed JCS.
      CREATE TABLE trust_events (
        counterparty  TEXT NOT NULL CHECK (length(counterparty) = 64),
        seq           INTEGER NOT NULL CHECK (seq >= 0),
        prev          TEXT NOT NULL CHECK (length(prev) = 64),
        kind          TEXT NOT NULL CHECK (kind IN ('COMPLETION','CONFLICT','TIMEOUT','MISBEHAVIOR')),
        delta         INTEGER NOT NULL,
        score_after   INTEGER NOT NULL CHECK (score_after BETWEEN 0 AND 1000),
        negotiation   TEXT CHECK (negotiation IS NULL OR length(negotiation) = 64),
        ref           TEXT CHECK (ref IS NULL OR length(ref) = 64),
        reason        TEXT,
        time          TEXT NOT NULL,
        hash          TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
        PRIMARY KEY (counterparty, seq)
      ) STRICT, WITHOUT ROWID;
      -- "was this event already recorded for this negotiation" (idempotent transitions)
      CREATE INDEX trust_events_by_negotiation ON trust_events (negotiation, kind, counterparty);
    `)
  },
}
