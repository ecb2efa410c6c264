import type BetterSqlite3 from 'better-sqlite3'
import { migration001 } from './001-identity-contacts.js'
import { migration002 } from './002-receipts-checkpoints.js'
import { migration003 } from './003-negotiations.js'
import { migration004 } from './004-peer.js'
import { migration005 } from './005-seeders.js'
import { migration006 } from './006-preferences.js'

export interface Migration {
  version: number
  name: string
  up(db: BetterSqlite3.Database): void
}

/** In order, numbered from 1 with no gaps; `migrate` checks it. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006]
