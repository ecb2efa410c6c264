import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { createSigner } from '../../src-main/core/crypto/signer.js'
import { canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import { openDatabase, type Db } from '../../src-main/core/store/database.js'
import {
  GENESIS_PREV,
  ReceiptChain,
  formatCheckpoint,
  hashLeaf,
  parseCheckpoint,
  parseReceiptBytes,
  receiptBytes,
  receiptHash,
  verifyReceiptProof,
  verifyReceiptSignature,
  type AppendInput,
  type Receipt,
} from '../../src-main/core/receipts/index.js'
import { signReceipt } from '../../src-main/core/receipts/receipt.js'
import { linkMatches, readLink } from '../../src-main/core/receipts/receipt-link.js'
import { CompactRange } from '../../src-main/core/receipts/compact-range.js'

const dir = mkdtempSync(join(tmpdir(), 'trust-receipts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let dbCount = 0
const open = (): Db => openDatabase(join(dir, `db-${dbCount++}.sqlite`))

const signer = createSigner(generateKeyPair().secretKey)
const stranger = createSigner(generateKeyPair().secretKey)
const hex64 = (s: string): string => createHash('sha256').update(s).digest('hex')
const T0 = Date.parse('2026-11-24T10:00:00.000Z')

/** A varied, deterministic receipt input for position i. */
const input = (i: number): AppendInput => ({
  action: ['negotiation.offer', 'negotiation.accept', 'identity.unlock', 'trust.event'][i % 4]!,
  negotiation: i % 3 === 0 ? null : hex64(`negotiation ${i % 7}`),
  ref: i % 2 === 0 ? hex64(`message ${i}`) : null,
  data: i % 5 === 0 ? {} : { i, note: `receipt ${i} \u00e9\u{1f600}\ufffd`, tags: ['a', i % 2 === 0], nested: { ok: null } },
  time: new Date(T0 + i * 1000).toISOString(),
})

function fill(chain: ReceiptChain, db: Db, from: number, to: number): Receipt[] {
  return db.transaction(() => {
    const out: Receipt[] = []
    for (let i = from; i < to; i++) out.push(chain.append(input(i), signer))
    return out
  })()
}

function code(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(TrustError)
    return (err as TrustError).code
  }
  return 'no error'
}

/** A digest of every receipt row, to show a call left them exactly as they were. */
const rows = (db: Db): string => {
  const h = createHash('sha256')
  for (const [seq, hash, bytes] of db.prepare('SELECT seq, hash, bytes FROM receipts ORDER BY seq').raw().iterate() as Iterable<[number, string, Buffer]>) {
    h.update(`${seq} ${hash} ${bytes.length}:`).update(bytes)
  }
  return h.digest('hex')
}
const checkpointRows = (db: Db): unknown[] => db.prepare('SELECT * FROM checkpoints ORDER BY id').all()

describe('receipt', () => {
  const base = { seq: 0, prev: GENESIS_PREV, time: '2026-11-24T10:00:00.000Z', action: 'negotiation.offer', negotiation: null, ref: null, data: {} }

  it('is signed over DOMAIN_RECEIPT + JCS without sig, and hashed over JCS with sig', () => {
    const r = signReceipt({ ...base, data: { b: 1, a: 'x' } }, signer)
    expect(verifyReceiptSignature(r, signer.publicKey)).toBe(true)
    expect(verifyReceiptSignature(r, stranger.publicKey)).toBe(false)
    expect(verifyReceiptSignature({ ...r, time: '2026-11-24T10:00:00.001Z' }, signer.publicKey)).toBe(false)
    const text = `{"action":"negotiation.offer","data":{"a":"x","b":1},"negotiation":null,"prev":"${GENESIS_PREV}","ref":null,"seq":0,"sig":"${r.sig}","time":"2026-11-24T10:00:00.000Z"}`
    expect(new TextDecoder().decode(receiptBytes(r))).toBe(text)
    expect(receiptHash(r)).toBe(hex64(text))
    expect(parseReceiptBytes(receiptBytes(r))).toEqual(r)
    expect(readLink(text)).toEqual({ seq: 0, prev: GENESIS_PREV })
    expect(linkMatches(text, 0, GENESIS_PREV)).toBe(true)
    expect(linkMatches(text, 1, GENESIS_PREV)).toBe(false)
    expect(linkMatches(text, 0, hex64('other'))).toBe(false)
  })

  it('is read by the fast link reader exactly as the strict parser reads it', () => {
    for (const [seq, ref, negotiation] of [[7, hex64('r'), null], [1234567, null, hex64('n')], [10, hex64('r'), hex64('n')]] as const) {
      const prev = hex64(`prev ${seq}`)
      const r = signReceipt({ ...base, seq, prev, ref, negotiation, data: { '"prev":"': `,"seq":1,"prev":"${hex64('x')}"` } }, signer)
      const text = new TextDecoder().decode(receiptBytes(r))
      expect(readLink(text)).toEqual({ seq, prev })
      expect(linkMatches(text, seq, prev)).toBe(true)
      expect(linkMatches(text, seq + 1, prev)).toBe(false)
      expect(linkMatches(text, seq, hex64('x'))).toBe(false)
    }
    expect(readLink('{}')).toBeNull()
    expect(linkMatches('', 0, GENESIS_PREV)).toBe(false)
  })

  it('refuses every malformed field with BAD_RECEIPT (TOO_LARGE for big data)', () => {
    const bad: [string, object][] = [
      ['negative seq', { seq: -1 }],
      ['float seq', { seq: 1.5 }],
      ['seq 0 with a prev', { prev: hex64('x') }],
      ['seq 1 with the genesis prev', { seq: 1 }],
      ['uppercase prev', { seq: 1, prev: hex64('x').toUpperCase() }],
      ['time without ms', { time: '2026-11-24T10:00:00Z' }],
      ['time with offset', { time: '2026-11-24T10:00:00.000+01:00' }],
      ['impossible date', { time: '2026-02-30T10:00:00.000Z' }],
      ['action without a dot', { action: 'offer' }],
      ['action uppercase', { action: 'Negotiation.offer' }],
      ['action too long', { action: `a.${'b'.repeat(70)}` }],
      ['action with spaces', { action: 'negotiation. offer' }],
      ['short negotiation', { negotiation: 'abcd' }],
      ['numeric ref', { ref: 5 }],
      ['array data', { data: [] }],
      ['null data', { data: null }],
      ['float in data', { data: { x: 1.5 } }],
      ['lone surrogate in data', { data: { x: '\ud800' } }],
      ['deep data', { data: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) }],
    ]
    for (const [what, change] of bad) expect(code(() => signReceipt({ ...base, ...change } as never, signer)), what).toBe('BAD_RECEIPT')
    expect(code(() => signReceipt({ ...base, data: { x: 'y'.repeat(5000) } }, signer))).toBe('TOO_LARGE')
  })

  it('decodes only canonical bytes of a receipt with exactly its fields', () => {
    const r = signReceipt(base, signer)
    const text = new TextDecoder().decode(receiptBytes(r))
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
    expect(code(() => parseReceiptBytes(enc(text.replace('{', '{ '))))).toBe('NON_CANONICAL')
    expect(code(() => parseReceiptBytes(enc(text.replace('{"action"', '{"extra":1,"action"'))))).toBe('BAD_RECEIPT')
    expect(code(() => parseReceiptBytes(enc(text.replace('"seq":0', '"seq":0,"seq":0'))))).toBe('INVALID_ENCODING')
    expect(code(() => parseReceiptBytes(enc(text.replace(`,"sig":"${r.sig}"`, ''))))).toBe('BAD_RECEIPT')
    expect(code(() => parseReceiptBytes(enc(text.replace(r.sig, r.sig.slice(2)))))).toBe('BAD_RECEIPT')
    expect(code(() => parseReceiptBytes(Uint8Array.of(0xff)))).toBe('INVALID_ENCODING')
  })
})

describe('ReceiptChain: append, list, checkpoints', () => {
  it('links receipts from 64 zeros, stores their canonical bytes and lists them', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey)
    const made = fill(chain, db, 0, 5)
    expect(made.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4])
    expect(made[0]!.prev).toBe(GENESIS_PREV)
    for (let i = 1; i < 5; i++) expect(made[i]!.prev).toBe(receiptHash(made[i - 1]!))
    const stored = db.prepare('SELECT seq, hash, bytes FROM receipts ORDER BY seq').all() as { seq: number; hash: string; bytes: Buffer }[]
    stored.forEach((row, i) => {
      expect(row.bytes.equals(Buffer.from(receiptBytes(made[i]!)))).toBe(true)
      expect(row.hash).toBe(createHash('sha256').update(row.bytes).digest('hex'))
    })
    expect(chain.list({ from: 2, limit: 2 })).toEqual([
      { receipt: made[2], hash: receiptHash(made[2]!) },
      { receipt: made[3], hash: receiptHash(made[3]!) },
    ])
    expect(chain.size()).toBe(5)
    expect(chain.verifyChain()).toEqual({ ok: true, count: 5 })
    expect(code(() => chain.list({ limit: 0 }))).toBe('INVALID_INPUT')
    expect(code(() => chain.list({ from: -1 }))).toBe('INVALID_INPUT')
    db.close()
  })

  it('refuses bad input, unknown fields and another key, storing nothing', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey)
    fill(chain, db, 0, 3)
    const before = rows(db)
    expect(code(() => chain.append({ ...input(3), action: 'nope' }, signer))).toBe('BAD_RECEIPT')
    expect(code(() => chain.append({ ...input(3), time: 'yesterday' }, signer))).toBe('BAD_RECEIPT')
    expect(code(() => chain.append({ ...input(3), seq: 9 } as never, signer))).toBe('INVALID_INPUT')
    expect(code(() => chain.append({ ...input(3), data: { big: 'x'.repeat(5000) } }, signer))).toBe('TOO_LARGE')
    expect(code(() => chain.append(input(3), stranger))).toBe('BAD_KEY')
    expect(code(() => new ReceiptChain(db, 'ab'.repeat(32)))).toBe('BAD_KEY')
    expect(rows(db)).toEqual(before)
    expect(chain.verifyChain()).toEqual({ ok: true, count: 3 })
    db.close()
  })

  it('appends inside a caller transaction: committed with it, rolled back with it', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 4 })
    db.transaction(() => {
      chain.append(input(0), signer)
      chain.append(input(1), signer)
    })()
    expect(chain.size()).toBe(2)
    expect(() =>
      db.transaction(() => {
        chain.append(input(2), signer)
        chain.append(input(3), signer) // writes the checkpoint at 4, inside the caller's transaction
        throw new Error('the caller fails')
      })(),
    ).toThrow('the caller fails')
    expect(chain.size()).toBe(2)
    expect(chain.latestCheckpoint()).toBeNull()
    // The cached tree saw the rolled-back receipts; the next append must not build on them.
    const r2 = chain.append(input(2), signer)
    expect(r2.seq).toBe(2)
    chain.append(input(3), signer)
    expect(parseCheckpoint(chain.latestCheckpoint()).size).toBe(4)
    expect(chain.verifyChain()).toEqual({ ok: true, count: 4 })
    db.close()
  })

  it('writes checkpoints every N receipts and on demand, consistent with each other', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 10 })
    expect(chain.latestCheckpoint()).toBeNull()
    fill(chain, db, 0, 25)
    const notes = (checkpointRows(db) as { size: number; status: string; note: string }[]).map((c) => [c.size, c.status])
    expect(notes).toEqual([
      [10, 'good'],
      [20, 'good'],
    ])
    const onDemand = chain.checkpoint(signer)
    expect(parseCheckpoint(onDemand).size).toBe(25)
    expect(chain.checkpoint(signer)).toBe(onDemand)
    expect(checkpointRows(db)).toHaveLength(3)
    expect(chain.latestCheckpoint()).toBe(onDemand)
    expect(chain.verifyChain()).toEqual({ ok: true, count: 25 })
    expect(code(() => chain.checkpoint(stranger))).toBe('BAD_KEY')
    db.close()
  })

  it('refuses a smaller or different checkpoint, keeps it as evidence and keeps the good one', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 10 })
    fill(chain, db, 0, 20)
    const at10 = (checkpointRows(db)[0] as { note: string }).note
    const at20 = chain.latestCheckpoint()!
    // Re-importing a checkpoint already held is a no-op.
    expect(chain.addCheckpoint(at10)).toBe(at10)
    expect(chain.addCheckpoint(at20)).toBe(at20)
    expect(checkpointRows(db)).toHaveLength(2)

    const smaller = formatCheckpoint(15, parseCheckpoint(at20).root, signer)
    expect(code(() => chain.addCheckpoint(smaller))).toBe('INCONSISTENT_CHECKPOINT')
    const forked = formatCheckpoint(20, new Uint8Array(32).fill(7), signer)
    expect(code(() => chain.addCheckpoint(forked))).toBe('INCONSISTENT_CHECKPOINT')
    const ahead = formatCheckpoint(30, new Uint8Array(32).fill(8), signer)
    expect(code(() => chain.addCheckpoint(ahead))).toBe('INCONSISTENT_CHECKPOINT')
    expect(chain.refusedCheckpoints().map((c) => [c.size, c.note])).toEqual([
      [15, smaller],
      [20, forked],
      [30, ahead],
    ])
    expect(chain.latestCheckpoint()).toBe(at20)

    // Bad notes are not evidence of anything: refused and not stored.
    expect(code(() => chain.addCheckpoint(formatCheckpoint(20, parseCheckpoint(at20).root, stranger)))).toBe('BAD_CHECKPOINT')
    expect(code(() => chain.addCheckpoint(at20.replace('\n20\n', '\n21\n')))).toBe('BAD_SIGNATURE')
    expect(code(() => chain.addCheckpoint('not a note'))).toBe('BAD_CHECKPOINT')
    expect(checkpointRows(db)).toHaveLength(5)
    expect(chain.verifyChain()).toEqual({ ok: true, count: 20 })

    // A valid later checkpoint from elsewhere (a restore) is admitted.
    fill(chain, db, 20, 23)
    const range = new CompactRange()
    for (const h of db.prepare('SELECT hash FROM receipts ORDER BY seq').pluck().all() as string[]) range.push(hashLeaf(Buffer.from(h, 'hex')))
    const restored = formatCheckpoint(23, range.root(), signer)
    expect(chain.addCheckpoint(restored)).toBe(restored)
    expect(chain.latestCheckpoint()).toBe(restored)
    expect(chain.checkpoint(signer)).toBe(restored)
    db.close()
  })

  it('refuses a checkpoint over receipts changed under the last one, and an append that would write it', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 10 })
    fill(chain, db, 0, 19)
    db.prepare('UPDATE receipts SET hash = ? WHERE seq = 3').run(hex64('attacker'))
    const fresh = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 10 }) // as after a restart
    const before = rows(db)
    expect(code(() => fresh.append(input(19), signer))).toBe('INCONSISTENT_CHECKPOINT')
    expect(rows(db)).toEqual(before)
    expect(code(() => fresh.checkpoint(signer))).toBe('INCONSISTENT_CHECKPOINT')
    expect(fresh.refusedCheckpoints()).toHaveLength(1)
    expect(parseCheckpoint(fresh.latestCheckpoint()).size).toBe(10)
    expect(fresh.verifyChain()).toMatchObject({ ok: false, firstBad: 3 })
    db.close()
  })
})

describe('ReceiptChain: inclusion proofs for third parties', () => {
  it('proves any receipt against the latest checkpoint that covers it, checkable with the key alone', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 10 })
    const made = fill(chain, db, 0, 27)
    for (const seq of [0, 5, 9, 10, 19]) {
      const proof = chain.proof(seq)
      expect(proof.treeSize).toBe(20)
      // What a third party receives: JSON, nothing else but the public key.
      const [r, p] = JSON.parse(JSON.stringify([made[seq], proof])) as [unknown, unknown]
      verifyReceiptProof(r, p, signer.publicKey)
      ReceiptChain.verifyReceiptProof(r, p, signer.publicKey)
    }
    expect(code(() => chain.proof(22))).toBe('LOCKED')
    const late = chain.proof(22, signer)
    expect(late.treeSize).toBe(27)
    verifyReceiptProof(made[22], late, signer.publicKey)
    expect(code(() => chain.proof(27))).toBe('NOT_FOUND')
    expect(code(() => chain.proof(-1))).toBe('INVALID_INPUT')
    db.close()
  })

  it('refuses a proof for another receipt, a tampered path, a forged checkpoint or another key', () => {
    const db = open()
    const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: 16 })
    const made = fill(chain, db, 0, 16)
    const proof = chain.proof(6)
    const r = made[6]!
    verifyReceiptProof(r, proof, signer.publicKey)
    const flipHex = (h: string): string => (h[0] === '0' ? '1' : '0') + h.slice(1)
    expect(code(() => verifyReceiptProof(made[7], proof, signer.publicKey))).toBe('BAD_PROOF')
    expect(code(() => verifyReceiptProof({ ...r, data: { x: 1 } }, proof, signer.publicKey))).toBe('BAD_SIGNATURE')
    expect(code(() => verifyReceiptProof(r, proof, stranger.publicKey))).toBe('BAD_SIGNATURE')
    expect(code(() => verifyReceiptProof(r, { ...proof, proof: proof.proof.map((h, i) => (i === 1 ? flipHex(h) : h)) }, signer.publicKey))).toBe('BAD_PROOF')
    expect(code(() => verifyReceiptProof(r, { ...proof, proof: proof.proof.slice(1) }, signer.publicKey))).toBe('BAD_PROOF')
    expect(code(() => verifyReceiptProof(r, { ...proof, leafHash: flipHex(proof.leafHash) }, signer.publicKey))).toBe('BAD_PROOF')
    expect(code(() => verifyReceiptProof(r, { ...proof, treeSize: 17 }, signer.publicKey))).toBe('BAD_PROOF')
    expect(code(() => verifyReceiptProof(r, { ...proof, seq: 7 }, signer.publicKey))).toBe('BAD_PROOF')
    const otherRoot = formatCheckpoint(16, new Uint8Array(32).fill(1), signer)
    expect(code(() => verifyReceiptProof(r, { ...proof, checkpoint: otherRoot }, signer.publicKey))).toBe('BAD_PROOF')
    const forged = proof.checkpoint.replace('\n16\n', '\n17\n')
    expect(code(() => verifyReceiptProof(r, { ...proof, checkpoint: forged, treeSize: 17 }, signer.publicKey))).toBe('BAD_SIGNATURE')
    expect(code(() => verifyReceiptProof(r, null, signer.publicKey))).toBe('BAD_PROOF')
    expect(code(() => verifyReceiptProof(r, { ...proof, proof: 'x' }, signer.publicKey))).toBe('BAD_PROOF')
    expect(code(() => verifyReceiptProof({ ...r, extra: 1 }, proof, signer.publicKey))).toBe('BAD_RECEIPT')
    expect(code(() => verifyReceiptProof(r, proof, 'zz'))).toBe('BAD_KEY')
    db.close()
  })
})

/** The tamper tests edit rows with raw SQL, as an attacker with disk access would. */
type Edit = (db: Db) => void
const readJson = (db: Db, seq: number): Record<string, unknown> =>
  JSON.parse((db.prepare('SELECT bytes FROM receipts WHERE seq = ?').pluck().get(seq) as Buffer).toString('utf8'))
/** Rewrites one field in the stored bytes (still canonical JCS); optionally also fixes the hash column. */
const editField =
  (seq: number, field: string, value: (old: unknown) => unknown, fixHash: boolean): Edit =>
  (db) => {
    const r = readJson(db, seq)
    r[field] = value(r[field])
    const bytes = Buffer.from(canonicalizeStrict(r))
    db.prepare('UPDATE receipts SET bytes = ? WHERE seq = ?').run(bytes, seq)
    if (fixHash) db.prepare('UPDATE receipts SET hash = ? WHERE seq = ?').run(createHash('sha256').update(bytes).digest('hex'), seq)
  }
const FIELDS: [string, (old: unknown) => unknown][] = [
  ['seq', (old) => (old as number) + 1],
  ['prev', () => hex64('another past')],
  ['time', () => '2027-01-01T00:00:00.000Z'],
  ['action', () => 'negotiation.withdraw'],
  ['negotiation', (old) => (old === null ? hex64('n') : null)],
  ['ref', (old) => (old === null ? hex64('r') : null)],
  ['data', () => ({ amount: 1_000_000 })],
  ['sig', (old) => ((old as string)[0] === 'a' ? 'b' : 'a') + (old as string).slice(1)],
]
const swap =
  (a: number, b: number): Edit =>
  (db) => {
    const get = db.prepare('SELECT hash, bytes FROM receipts WHERE seq = ?')
    const ra = get.get(a) as { hash: string; bytes: Buffer }
    const rb = get.get(b) as { hash: string; bytes: Buffer }
    db.prepare('UPDATE receipts SET hash = ? WHERE seq = ?').run(hex64('tmp'), a)
    db.prepare('UPDATE receipts SET hash = ?, bytes = ? WHERE seq = ?').run(ra.hash, ra.bytes, b)
    db.prepare('UPDATE receipts SET hash = ?, bytes = ? WHERE seq = ?').run(rb.hash, rb.bytes, a)
  }
/** Alters receipt `from` and re-links every later one up to `to` (inclusive), fixing every hash. */
const rewrite =
  (from: number, to: number): Edit =>
  (db) => {
    let prev: string | null = null
    for (let seq = from; seq <= to; seq++) {
      const r = readJson(db, seq)
      if (prev === null) r.data = { rewritten: true }
      else r.prev = prev
      const bytes = Buffer.from(canonicalizeStrict(r))
      prev = createHash('sha256').update(bytes).digest('hex')
      db.prepare('UPDATE receipts SET bytes = ?, hash = ? WHERE seq = ?').run(bytes, prev, seq)
    }
  }
/** Rewrites the raw stored bytes of one receipt; optionally also fixes the hash column. */
const editBytes =
  (seq: number, change: (bytes: Buffer) => Buffer, fixHash: boolean): Edit =>
  (db) => {
    const bytes = change(db.prepare('SELECT bytes FROM receipts WHERE seq = ?').pluck().get(seq) as Buffer)
    db.prepare('UPDATE receipts SET bytes = ? WHERE seq = ?').run(bytes, seq)
    if (fixHash) db.prepare('UPDATE receipts SET hash = ? WHERE seq = ?').run(createHash('sha256').update(bytes).digest('hex'), seq)
  }
/** U+FFFD (EF BF BD) replaced by F0 9F 98, a cut-short 4-byte sequence that a lenient decoder also reads as U+FFFD. */
const hideInvalidUtf8 = (bytes: Buffer): Buffer => {
  const at = bytes.indexOf(Buffer.from([0xef, 0xbf, 0xbd]))
  expect(at).toBeGreaterThan(0)
  return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xf0, 0x9f, 0x98]), bytes.subarray(at + 3)])
}
const resignCheckpoint =
  (size: number, root: Uint8Array): Edit =>
  (db) => {
    db.prepare("UPDATE checkpoints SET note = ? WHERE size = ? AND status = 'good'").run(formatCheckpoint(size, root, signer), size)
  }
const forgeCheckpointSig =
  (size: number): Edit =>
  (db) => {
    const note = db.prepare("SELECT note FROM checkpoints WHERE size = ? AND status = 'good'").pluck().get(size) as string
    const blob = note.trimEnd().split(' ').at(-1)!
    const raw = Buffer.from(blob, 'base64')
    raw[40]! ^= 0x10
    db.prepare("UPDATE checkpoints SET note = ? WHERE size = ? AND status = 'good'").run(note.replace(blob, raw.toString('base64')), size)
  }

function tamperSuite(name: string, total: number, every: number, cases: [string, Edit, number, number?][]): void {
  describe(name, () => {
    let basePath = ''
    beforeAll(() => {
      basePath = join(dir, `${name.replace(/\W+/g, '-')}.sqlite`)
      const db = openDatabase(basePath)
      const chain = new ReceiptChain(db, signer.publicKey, { checkpointEvery: every })
      fill(chain, db, 0, total)
      const sizes = (checkpointRows(db) as { size: number }[]).map((c) => c.size)
      expect(sizes).toEqual(Array.from({ length: Math.floor(total / every) }, (_, i) => (i + 1) * every))
      expect(chain.verifyChain()).toEqual({ ok: true, count: total })
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.close()
    })

    for (const [what, edit, firstBad, checkpoint] of cases) {
      it(`${what}: first bad ${firstBad}`, () => {
        const path = join(dir, `tamper-${dbCount++}.sqlite`)
        copyFileSync(basePath, path)
        const db = openDatabase(path)
        edit(db)
        const before = { receipts: rows(db), checkpoints: checkpointRows(db) }
        const report = new ReceiptChain(db, signer.publicKey, { checkpointEvery: every }).verifyChain()
        expect(report.ok).toBe(false)
        expect(report.firstBad, report.reason).toBe(firstBad)
        expect(report.reason).toEqual(expect.any(String))
        if (checkpoint !== undefined) expect(report.checkpoint).toBe(checkpoint)
        // Verification reads only.
        expect({ receipts: rows(db), checkpoints: checkpointRows(db) }).toEqual(before)
        db.close()
      })
    }
  })
}

// 35 receipts, checkpoints at 10, 20 and 30: every field, at the first receipt, inside a
// checkpointed range, just before a checkpoint, and after the last one; with and without
// the attacker also fixing the stored hash.
const fieldCases: [string, Edit, number][] = []
for (const seq of [0, 14, 19, 32]) {
  for (const [field, value] of FIELDS) {
    fieldCases.push([`${field} of receipt ${seq} changed`, editField(seq, field, value, false), seq])
    fieldCases.push([`${field} of receipt ${seq} changed, hash fixed`, editField(seq, field, value, true), seq])
  }
}
tamperSuite('tampering with a small chain', 35, 10, [
  ...fieldCases,
  ['the seq column of 14 moved', (db) => db.prepare('UPDATE receipts SET seq = 99 WHERE seq = 14').run(), 14],
  ['the hash column of 21 changed', (db) => db.prepare('UPDATE receipts SET hash = ? WHERE seq = 21').run(hex64('h')), 21],
  ['receipts 12..19 rewritten and re-linked (caught by the root at 20)', rewrite(12, 19), 12],
  ['receipts 12..17 rewritten and re-linked', rewrite(12, 17), 12],
  ['receipts 31..34 rewritten and re-linked (after the last checkpoint)', rewrite(31, 34), 31],
  ['invalid UTF-8 in receipt 14 that reads as the same text', editBytes(14, hideInvalidUtf8, false), 14],
  ['invalid UTF-8 in receipt 32 that reads as the same text', editBytes(32, hideInvalidUtf8, false), 32],
  ['a BOM before receipt 14, hash fixed', editBytes(14, (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]), true), 14],
  ['a trailing NUL after receipt 33, hash fixed', editBytes(33, (b) => Buffer.concat([b, Buffer.from([0])]), true), 33],
  ['receipt 14 deleted', (db) => db.prepare('DELETE FROM receipts WHERE seq = 14').run(), 14],
  ['receipt 32 deleted', (db) => db.prepare('DELETE FROM receipts WHERE seq = 32').run(), 32],
  ['receipt 0 deleted', (db) => db.prepare('DELETE FROM receipts WHERE seq = 0').run(), 0],
  ['receipts 14 and 15 swapped', swap(14, 15), 14],
  ['receipts 31 and 33 swapped', swap(31, 33), 31],
  ['receipts from 25 on deleted (under the checkpoint at 30)', (db) => db.prepare('DELETE FROM receipts WHERE seq >= 25').run(), 25, 30],
  ['the checkpoint at 20 has a forged signature', forgeCheckpointSig(20), 10, 20],
  ['the checkpoint at 10 has a forged signature', forgeCheckpointSig(10), 0, 10],
  ['the checkpoint at 30 signed over another root', resignCheckpoint(30, new Uint8Array(32).fill(3)), 20, 30],
  ['the checkpoint at 20 is not a note', (db) => db.prepare("UPDATE checkpoints SET note = 'x' WHERE size = 20").run(), 10, 20],
  [
    'a refused checkpoint promoted to good',
    (db) => {
      db.prepare("UPDATE checkpoints SET status = 'refused' WHERE size = 20").run()
      db.prepare("INSERT INTO checkpoints (size, root, note, status, reason, recorded_at) VALUES (20, ?, ?, 'good', NULL, 'now')").run(
        '00'.repeat(32),
        formatCheckpoint(20, new Uint8Array(32).fill(9), signer),
      )
    },
    10,
    20,
  ],
])

// 2,500 receipts with the default 1,000: automatic checkpoints at 1,000 and 2,000.
tamperSuite('tampering with a 2,500-receipt chain', 2500, 1000, [
  ['the data of receipt 1500 changed, hash fixed', editField(1500, 'data', () => ({ paid: true }), true), 1500],
  ['the time of receipt 999 changed, hash fixed', editField(999, 'time', () => '2030-01-01T00:00:00.000Z', true), 999],
  ['the sig of receipt 2400 changed', editField(2400, 'sig', (old) => ((old as string)[0] === 'a' ? 'b' : 'a') + (old as string).slice(1), true), 2400],
  ['receipts 1100..1999 rewritten and re-linked', rewrite(1100, 1999), 1100],
  ['receipt 1234 deleted', (db) => db.prepare('DELETE FROM receipts WHERE seq = 1234').run(), 1234],
  ['receipts 1700 and 1701 swapped', swap(1700, 1701), 1700],
  ['the checkpoint at 2000 has a forged signature', forgeCheckpointSig(2000), 1000, 2000],
  ['the checkpoint at 1000 signed over another root', resignCheckpoint(1000, new Uint8Array(32).fill(5)), 0, 1000],
])
