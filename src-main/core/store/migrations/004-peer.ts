import type { Migration } from './index.js'

/**
 * What a running peer must remember across restarts (DESIGN section 5): the
 * negotiations it replicates with their topic secrets (so a restart rejoins
 * every one of them), and the evidence the replication layer hands it: forked
 * or truncated feeds, and peers that broke the handshake or a limit.
 * No foreign key to `negotiations`: a joiner knows the topic before it has the GENESIS.
 */
export const migration004: Migration = {
  version: 4,
  name: 'peer',
  up(db) {
    db.exec(`
      CREATE TABLE peer_negotiations (
        negotiation       TEXT PRIMARY KEY CHECK (length(negotiation) = 64),
        topic_secret      TEXT NOT NULL CHECK (length(topic_secret) = 64),   -- from the invite; finds the peers
        creator_feed_key  TEXT NOT NULL CHECK (length(creator_feed_key) = 64),
        state             TEXT NOT NULL CHECK (state IN ('joining','joined','refused')),
        reason            TEXT,                                              -- why 'refused'
        added_at          TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- A remote feed was truncated or forked by its writer: equivocation evidence.
      -- The envelopes of both versions are in messages; this row says where and when.
      CREATE TABLE feed_forks (
        id                INTEGER PRIMARY KEY,
        negotiation       TEXT NOT NULL CHECK (length(negotiation) = 64),
        owner             TEXT NOT NULL CHECK (length(owner) = 64),
        feed_key          TEXT NOT NULL CHECK (length(feed_key) = 64),
        fork              INTEGER NOT NULL CHECK (fork >= 0),
        kept_length       INTEGER NOT NULL CHECK (kept_length >= 0),
        previous_length   INTEGER NOT NULL CHECK (previous_length >= 0),
        note              TEXT NOT NULL,
        recorded_at       TEXT NOT NULL,
        UNIQUE (feed_key, owner, fork, kept_length, previous_length)
      ) STRICT;
      CREATE INDEX feed_forks_by_negotiation ON feed_forks (negotiation);

      -- Peers rejected by the replication layer. One row per (negotiation, peer, code),
      -- counted, so a peer reconnecting in a loop cannot grow the table.
      -- '' stands for "not known" (no negotiation, or an identity not proven by a signature).
      CREATE TABLE peer_incidents (
        negotiation       TEXT NOT NULL CHECK (negotiation = '' OR length(negotiation) = 64),
        peer              TEXT NOT NULL CHECK (peer = '' OR length(peer) = 64),
        code              TEXT NOT NULL,
        reason            TEXT NOT NULL,                                     -- the last one seen, 'CODE: text'
        count             INTEGER NOT NULL CHECK (count >= 1),
        first_at          TEXT NOT NULL,
        last_at           TEXT NOT NULL,
        PRIMARY KEY (negotiation, peer, code)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
