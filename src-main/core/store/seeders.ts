/**
 * The seeder tables (migration 005, DESIGN section 5): the profile's own list of
 * seeders and the seeders an invite named for a negotiation. Plain reads and
 * writes; keys are checked by the callers (node/seeders-api.ts, peer/).
 */
import type { Db } from './database.js'

export interface SeederRow {
  publicKey: string
  addedAt: string
}

export class SeederStore {
  private readonly db: Db

  constructor(db: Db) {
    this.db = db
  }

  /** Adds a seeder to the profile's list; returns false when it was there already (its first time is kept). */
  add(publicKey: string, at: string): boolean {
    return this.db.prepare('INSERT INTO seeders (public_key, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(publicKey, at).changes === 1
  }

  remove(publicKey: string): boolean {
    return this.db.prepare('DELETE FROM seeders WHERE public_key = ?').run(publicKey).changes === 1
  }

  get(publicKey: string): SeederRow | undefined {
    return this.db.prepare('SELECT public_key AS publicKey, added_at AS addedAt FROM seeders WHERE public_key = ?').get(publicKey) as SeederRow | undefined
  }

  list(): SeederRow[] {
    return this.db.prepare('SELECT public_key AS publicKey, added_at AS addedAt FROM seeders ORDER BY added_at, public_key').all() as SeederRow[]
  }

  /** Records the seeders an invite named for a negotiation (the negotiation's row must exist). */
  setForNegotiation(negotiation: string, keys: readonly string[]): void {
    const insert = this.db.prepare('INSERT INTO negotiation_seeders (negotiation, public_key) VALUES (?, ?) ON CONFLICT DO NOTHING')
    this.db.transaction(() => {
      for (const key of keys) insert.run(negotiation, key)
    })()
  }

  forNegotiation(negotiation: string): string[] {
    return this.db
      .prepare('SELECT public_key FROM negotiation_seeders WHERE negotiation = ? ORDER BY public_key')
      .pluck()
      .all(negotiation) as string[]
  }

  /** Every seeder some invite named, with the negotiations it was named for. */
  invited(): Map<string, string[]> {
    const rows = this.db
      .prepare('SELECT public_key AS publicKey, negotiation FROM negotiation_seeders ORDER BY public_key, negotiation')
      .all() as { publicKey: string; negotiation: string }[]
    const out = new Map<string, string[]>()
    for (const r of rows) out.set(r.publicKey, [...(out.get(r.publicKey) ?? []), r.negotiation])
    return out
  }
}
