/**
 * A negotiation peer for the benchmarks: its own profile folder (SQLite file and
 * Corestore) and a real key, on a shared network. Used in-process by
 * sync.bench.ts and in child processes by sync-worker.ts.
 */
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { generateKeyPair } from '../src-main/core/crypto/ed25519.js'
import { createSigner, type WipeableSigner } from '../src-main/core/crypto/signer.js'
import { NegotiationPeer } from '../src-main/core/peer/index.js'
import { openDatabase, type Db } from '../src-main/core/store/database.js'
import type { Network, SyncLimits } from '../src-main/core/sync/index.js'

export interface BenchPeer {
  dir: string
  db: Db
  signer: WipeableSigner
  peer: NegotiationPeer
  limits?: Partial<SyncLimits>
}

/** Opens a new peer in `root`, or reopens `existing` (same folder and key). */
export async function openPeer(
  network: Network,
  root: string,
  name: string,
  limits?: Partial<SyncLimits>,
  existing?: Pick<BenchPeer, 'dir' | 'signer'>,
  listen?: (peer: NegotiationPeer) => void,
  extra: { joinTimeoutMs?: number } = {},
): Promise<BenchPeer> {
  const dir = existing?.dir ?? mkdtempSync(join(root, `${name}-`))
  const db = openDatabase(join(dir, 'profile.db'))
  const signer = existing?.signer ?? createSigner(generateKeyPair().secretKey)
  const peer = await NegotiationPeer.open({
    db,
    identity: { signer: () => signer },
    network,
    syncDir: join(dir, 'sync'),
    cacheSize: 1_024,
    ...extra,
    ...(limits === undefined ? {} : { limits }),
    ...(listen === undefined ? {} : { listen }),
  })
  return { dir, db, signer, peer, ...(limits === undefined ? {} : { limits }) }
}

export async function closePeer(p: BenchPeer): Promise<void> {
  await p.peer.close()
  p.db.close()
}
