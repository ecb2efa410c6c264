/**
 * The negotiation service (DESIGN sections 4, 6 and 11; issue 3 item 7).
 *
 * negotiation.action_p50_ms / action_p99_ms: wall time of one user action
 *   (OFFER: check, sign, fold, then one transaction with the message, the
 *   materialised state and a signed receipt, fsync'd by synchronous=FULL) with
 *   1,000 negotiations in a real SQLite file. Actions go to negotiations in a
 *   shuffled order, so most find their folder evicted from the service's LRU
 *   cache (256) and load it from the messages table first: the cold path counts.
 * negotiation.fold_10k_ms: the pure fold over 10,000 messages (bench/negotiation-fold.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair } from '../src-main/core/crypto/ed25519.js'
import { createSigner } from '../src-main/core/crypto/signer.js'
import { NegotiationService } from '../src-main/core/negotiation/index.js'
import { createEnvelope, type UnsignedEnvelope } from '../src-main/core/protocol/index.js'
import { ReceiptChain } from '../src-main/core/receipts/index.js'
import { openDatabase } from '../src-main/core/store/database.js'
import { median } from './goal.js'
import { benchFold10k } from './negotiation-fold.js'
import type { BenchResult } from './types.js'

export const group = 'negotiation'

const NEGOTIATIONS = 1_000
const ACTIONS = 2_000
const DAY = 86_400_000

function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}

/** Deterministic shuffle (mulberry32), so runs are comparable. */
function shuffled<T>(items: readonly T[], seed = 42): T[] {
  let a = seed
  const rand = (): number => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'trust-bench-negotiation-'))
  const alice = createSigner(generateKeyPair().secretKey)
  const bob = createSigner(generateKeyPair().secretKey)
  let t = Date.parse('2026-11-24T10:00:00.000Z')
  const now = (): number => (t += 1)
  try {
    const db = openDatabase(join(dir, 'alice.sqlite'))
    const receipts = new ReceiptChain(db, alice.publicKey)
    const service = new NegotiationService({ db, identity: { signer: () => alice }, receipts, now })

    // 1,000 negotiations with Bob, each joined by him (so offers are legal): not timed.
    const ids: string[] = []
    for (let i = 0; i < NEGOTIATIONS; i++) {
      const { negotiation, genesis } = service.create({
        title: `Agreement ${i}`,
        participants: [bob.publicKey],
        clauses: [
          { id: 'price', title: 'Price', text: `Bob pays ${100 + i} EUR.` },
          { id: 'delivery', title: 'Delivery', text: 'Within 14 days.' },
        ],
        deadline: new Date(t + 365 * DAY).toISOString(),
      })
      const join: UnsignedEnvelope = {
        v: 1,
        type: 'JOIN',
        negotiation,
        author: bob.publicKey,
        seq: 0,
        lamport: 2,
        refs: [genesis.hash],
        time: new Date(now()).toISOString(),
        body: { feed: genesis.hash },
      }
      const verdict = service.ingest(createEnvelope(bob, join).bytes, { feedOwner: bob.publicKey })
      if (verdict.verdict !== 'applied') throw new Error(`setup: Bob's JOIN was ${verdict.verdict} ${verdict.reason ?? ''}`)
      ids.push(negotiation)
    }

    const times: number[] = []
    const order = shuffled(Array.from({ length: ACTIONS }, (_, i) => ids[i % NEGOTIATIONS]!))
    order.forEach((negotiation, i) => {
      const start = performance.now()
      service.offer({ negotiation, changes: [{ op: 'set', clause: 'price', text: `Bob pays ${i} EUR, final offer.` }] })
      times.push(performance.now() - start)
    })
    if (!receipts.verifyChain().ok) throw new Error('the receipt chain does not verify after the run')
    db.close()

    const fold = await benchFold10k()
    return [
      { name: 'negotiation.action_p50_ms', value: median(times), unit: 'ms', goal: '< 5' },
      { name: 'negotiation.action_p99_ms', value: percentile(times, 99), unit: 'ms', goal: '< 20' },
      fold,
    ]
  } finally {
    alice.wipe()
    bob.wipe()
    rmSync(dir, { recursive: true, force: true })
  }
}
