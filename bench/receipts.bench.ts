/**
 * Receipt chain verification (DESIGN section 7, issue 2 item 8).
 *
 * receipts.verify_100k_ms: median (of 7 runs) wall time of verifyChain() on 100,000 receipts
 *   in a real SQLite file, checkpointed every 1,000 (so 100 checkpoint signatures).
 * receipts.limit_ratio: that median over the median, measured in the same run, of
 *   the bare work verifyChain cannot avoid, with its inputs already in memory: one
 *   SHA-256 over each stored receipt's bytes, the RFC 6962 leaf and node hashes of
 *   the Merkle root over them (about two more SHA-256 per receipt), and one Ed25519
 *   verification per checkpoint. It says what our own code (reading SQLite,
 *   parsing, linking) adds on top. Goal < 2.
 */
import { hash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, verify } from '../src-main/core/crypto/ed25519.js'
import { hexToBytes } from '../src-main/core/crypto/hex.js'
import { createSigner } from '../src-main/core/crypto/signer.js'
import { openDatabase } from '../src-main/core/store/database.js'
import { ReceiptChain, parseCheckpoint } from '../src-main/core/receipts/index.js'
import { hashChildren, hashLeaf } from '../src-main/core/receipts/merkle.js'
import type { BenchResult } from './types.js'
import { median } from './goal.js'

export const group = 'receipts'

const RECEIPTS = 100_000
const EVERY = 1_000
const RUNS = 7

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'trust-bench-receipts-'))
  const signer = createSigner(generateKeyPair().secretKey)
  try {
    const db = openDatabase(join(dir, 'receipts.sqlite'))
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: EVERY })

    // A real, valid chain through the real append path, 1,000 receipts per transaction.
    const buildStart = performance.now()
    const t0 = Date.parse('2026-11-24T10:00:00.000Z')
    for (let batch = 0; batch < RECEIPTS / EVERY; batch++) {
      db.transaction(() => {
        for (let i = batch * EVERY; i < (batch + 1) * EVERY; i++) {
          chain.append(
            {
              action: i % 2 === 0 ? 'negotiation.offer' : 'negotiation.accept',
              negotiation: hash('sha256', `negotiation ${i % 97}`, 'hex'),
              ref: hash('sha256', `message ${i}`, 'hex'),
              data: { clause: `c${i % 13}`, amount: i, note: 'price and delivery date agreed' },
              time: new Date(t0 + i * 1000).toISOString(),
            },
            signer,
          )
        }
      })()
    }
    const buildMs = performance.now() - buildStart
    console.log(`built ${RECEIPTS} receipts in ${(buildMs / 1000).toFixed(1)} s`)

    const first = chain.verifyChain()
    if (!first.ok || first.count !== RECEIPTS) throw new Error(`the benchmark chain does not verify: ${JSON.stringify(first)}`)

    // The bare work, with its inputs already in memory: the receipt hashes and checkpoint signatures...
    const bytes = db.prepare('SELECT bytes FROM receipts ORDER BY seq').pluck().all() as Buffer[]
    const notes = (db.prepare("SELECT note FROM checkpoints WHERE status = 'good' ORDER BY size").pluck().all() as string[]).map(
      (note) => parseCheckpoint(note),
    )
    if (notes.length !== RECEIPTS / EVERY) throw new Error(`expected ${RECEIPTS / EVERY} checkpoints, found ${notes.length}`)
    const publicKey = hexToBytes(signer.publicKey, 32)
    const utf8 = new TextEncoder()
    const chainAndSignatures = (): void => {
      let acc = 0
      for (const b of bytes) acc ^= hash('sha256', b, 'binary').charCodeAt(0)
      for (const cp of notes) if (!verify(cp.signature, utf8.encode(cp.body), publicKey)) throw new Error('bad checkpoint')
      if (acc === 256) throw new Error('unreachable') // keeps the hashing from being optimised away
    }

    // ...and the RFC 6962 Merkle hashing: every leaf hash and every node of the tree over them.
    const chainHashes = bytes.map((b) => hash('sha256', b, 'buffer'))
    const merkleOnly = (): void => {
      let level: Uint8Array[] = chainHashes.map((h) => hashLeaf(h))
      while (level.length > 1) {
        const up: Uint8Array[] = []
        for (let i = 0; i + 1 < level.length; i += 2) up.push(hashChildren(level[i]!, level[i + 1]!))
        if (level.length % 2 === 1) up.push(level[level.length - 1]!)
        level = up
      }
      if (level[0]!.length !== 32) throw new Error('unreachable')
    }
    const bare = (): void => {
      chainAndSignatures()
      merkleOnly()
    }

    // Interleaved, so the machine's noise falls on both alike.
    const verifyTimes: number[] = []
    const bareTimes: number[] = []
    for (let r = 0; r < RUNS; r++) {
      let start = performance.now()
      const report = chain.verifyChain()
      verifyTimes.push(performance.now() - start)
      if (!report.ok) throw new Error('verification failed during the benchmark')
      start = performance.now()
      bare()
      bareTimes.push(performance.now() - start)
    }
    db.close()

    const verifyMs = median(verifyTimes)
    const bareMs = median(bareTimes)
    console.log(`verifyChain runs (ms): ${verifyTimes.map((t) => t.toFixed(0)).join(', ')}`)
    console.log(`bare work runs (receipt hashes, RFC 6962 hashes, checkpoint signatures; ms): ${bareTimes.map((t) => t.toFixed(0)).join(', ')}`)
    return [
      { name: 'receipts.verify_100k_ms', value: verifyMs, unit: 'ms', goal: '< 1000' },
      { name: 'receipts.limit_ratio', value: verifyMs / bareMs, unit: 'x', goal: '< 2' },
    ]
  } finally {
    signer.wipe()
    rmSync(dir, { recursive: true, force: true })
  }
}
