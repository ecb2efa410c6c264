import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { TrustError } from '../../src-main/core/errors.js'
import { canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import { openDatabase, type Db } from '../../src-main/core/store/database.js'
import { FIRST_PREV, TRUST_DELTAS, TrustLedger } from '../../src-main/core/negotiation/trust-ledger.js'

const dirs: string[] = []
const dbs: Db[] = []

function tempDbPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-ledger-'))
  dirs.push(dir)
  return path.join(dir, 'profile.db')
}

function open(file: string): Db {
  const db = openDatabase(file)
  dbs.push(db)
  return db
}

function newKey(): string {
  const kp = generateKeyPair()
  kp.secretKey.fill(0)
  return bytesToHex(kp.publicKey)
}

const NEG = createHash('sha256').update('a negotiation').digest('hex')
const REF = createHash('sha256').update('a message').digest('hex')

afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function setup(): { db: Db; ledger: TrustLedger; file: string } {
  const file = tempDbPath()
  const db = open(file)
  let t = Date.parse('2026-11-24T10:00:00.000Z')
  return { db, file, ledger: new TrustLedger({ db, now: () => (t += 1000) }) }
}

function expectTrustError(fn: () => unknown, code: string): void {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(TrustError)
  expect((caught as TrustError).code).toBe(code)
}

describe('trust ledger (DESIGN section 8)', () => {
  it('starts a stranger at 0.5 with an empty, valid chain', () => {
    const { ledger } = setup()
    const bob = newKey()
    expect(ledger.score(bob)).toBe(0.5)
    expect(ledger.events(bob)).toEqual([])
    expect(ledger.verify(bob)).toEqual({ ok: true, count: 0 })
  })

  it('applies the four deltas exactly, in thousandths', () => {
    const { ledger } = setup()
    const bob = newKey()
    ledger.record({ counterparty: bob, kind: 'COMPLETION', negotiation: NEG })
    expect(ledger.score(bob)).toBe(0.55)
    ledger.record({ counterparty: bob, kind: 'CONFLICT', negotiation: NEG, ref: REF })
    expect(ledger.score(bob)).toBe(0.45)
    ledger.record({ counterparty: bob, kind: 'TIMEOUT', negotiation: NEG })
    expect(ledger.score(bob)).toBe(0.43)
    ledger.recordMisbehavior(bob, NEG, 'BAD_SIGNATURE', REF)
    expect(ledger.score(bob)).toBe(0.13)
    expect(ledger.events(bob).map((e) => [e.kind, e.delta, e.scoreAfter])).toEqual([
      ['COMPLETION', 50, 550],
      ['CONFLICT', -100, 450],
      ['TIMEOUT', -20, 430],
      ['MISBEHAVIOR', -300, 130],
    ])
    expect(ledger.verify(bob)).toEqual({ ok: true, count: 4 })
  })

  it('clamps to [0, 1] and keeps the nominal delta in the chain', () => {
    const { ledger } = setup()
    const bob = newKey()
    ledger.recordMisbehavior(bob, null, 'RATE_LIMIT')
    ledger.recordMisbehavior(bob, null, 'RATE_LIMIT')
    expect(ledger.score(bob)).toBe(0)
    ledger.record({ counterparty: bob, kind: 'COMPLETION', negotiation: NEG })
    expect(ledger.score(bob)).toBe(0.05)
    const carol = newKey()
    for (let i = 0; i < 12; i++) ledger.record({ counterparty: carol, kind: 'COMPLETION', negotiation: NEG })
    expect(ledger.score(carol)).toBe(1)
    expect(ledger.events(carol).at(-1)?.delta).toBe(TRUST_DELTAS.COMPLETION)
    expect(ledger.verify(bob).ok).toBe(true)
    expect(ledger.verify(carol).ok).toBe(true)
  })

  it('links each event to the previous by the SHA-256 of its JCS, prev included', () => {
    const { ledger } = setup()
    const bob = newKey()
    ledger.record({ counterparty: bob, kind: 'COMPLETION', negotiation: NEG })
    ledger.recordMisbehavior(bob, NEG, 'EQUIVOCATION', REF)
    const [first, second] = ledger.events(bob)
    expect(first?.prev).toBe(FIRST_PREV)
    expect(second?.prev).toBe(first?.hash)
    for (const e of [first!, second!]) {
      const { hash, ...rest } = e
      const jcs = canonicalizeStrict({ v: 1, ...rest })
      expect(hash).toBe(createHash('sha256').update(jcs).digest('hex'))
    }
  })

  it('keeps one independent chain per counterparty', () => {
    const { ledger } = setup()
    const bob = newKey()
    const carol = newKey()
    ledger.record({ counterparty: bob, kind: 'COMPLETION', negotiation: NEG })
    ledger.record({ counterparty: carol, kind: 'CONFLICT', negotiation: NEG })
    ledger.record({ counterparty: bob, kind: 'COMPLETION', negotiation: NEG })
    expect(ledger.score(bob)).toBe(0.6)
    expect(ledger.score(carol)).toBe(0.4)
    expect(ledger.events(carol).map((e) => e.seq)).toEqual([0])
    expect(ledger.events(bob).map((e) => e.seq)).toEqual([0, 1])
    expect(ledger.counterparties().sort()).toEqual([bob, carol].sort())
  })

  it('refuses bad input with a TrustError and stores nothing', () => {
    const { ledger } = setup()
    const bob = newKey()
    ledger.record({ counterparty: bob, kind: 'COMPLETION', negotiation: NEG })
    expectTrustError(() => ledger.record({ counterparty: 'zz', kind: 'COMPLETION' }), 'BAD_KEY')
    expectTrustError(() => ledger.record({ counterparty: bob.toUpperCase(), kind: 'COMPLETION' }), 'BAD_KEY')
    expectTrustError(() => ledger.record({ counterparty: bob, kind: 'BONUS' as 'COMPLETION' }), 'INVALID_INPUT')
    expectTrustError(() => ledger.record({ counterparty: bob, kind: 'CONFLICT', negotiation: 'abc' }), 'INVALID_INPUT')
    expectTrustError(() => ledger.record({ counterparty: bob, kind: 'CONFLICT', ref: NEG.toUpperCase() }), 'INVALID_INPUT')
    expectTrustError(() => ledger.recordMisbehavior(bob, NEG, 'has spaces'), 'INVALID_INPUT')
    expectTrustError(() => ledger.recordMisbehavior(bob, NEG, 'x'.repeat(65)), 'INVALID_INPUT')
    expect(ledger.events(bob)).toHaveLength(1)
    expect(ledger.score(bob)).toBe(0.55)
  })

  it('survives a reopen of the database file', () => {
    const { db, file, ledger } = setup()
    const bob = newKey()
    ledger.record({ counterparty: bob, kind: 'COMPLETION', negotiation: NEG })
    ledger.record({ counterparty: bob, kind: 'TIMEOUT', negotiation: NEG })
    db.close()
    dbs.splice(dbs.indexOf(db), 1)
    const again = new TrustLedger({ db: open(file) })
    expect(again.score(bob)).toBe(0.53)
    expect(again.verify(bob)).toEqual({ ok: true, count: 2 })
  })

  describe('verify() finds the first tampered event', () => {
    function chainOfFive(): { db: Db; ledger: TrustLedger; bob: string } {
      const { db, ledger } = setup()
      const bob = newKey()
      ledger.record({ counterparty: bob, kind: 'COMPLETION', negotiation: NEG })
      ledger.record({ counterparty: bob, kind: 'COMPLETION', negotiation: NEG })
      ledger.record({ counterparty: bob, kind: 'CONFLICT', negotiation: NEG, ref: REF })
      ledger.record({ counterparty: bob, kind: 'TIMEOUT', negotiation: NEG })
      ledger.recordMisbehavior(bob, NEG, 'BAD_SIGNATURE', REF)
      expect(ledger.verify(bob)).toEqual({ ok: true, count: 5 })
      return { db, ledger, bob }
    }

    const edits: [string, string, number][] = [
      ['a softened delta', "UPDATE trust_events SET delta = -10 WHERE seq = 2", 2],
      ['an inflated score', 'UPDATE trust_events SET score_after = 900 WHERE seq = 1', 1],
      ['a rewritten time', "UPDATE trust_events SET time = '2020-01-01T00:00:00.000Z' WHERE seq = 3", 3],
      ['a changed reason', "UPDATE trust_events SET reason = 'RATE_LIMIT' WHERE seq = 4", 4],
      ['a changed kind with its delta', "UPDATE trust_events SET kind = 'COMPLETION', delta = 50, score_after = 650 WHERE seq = 2", 2],
      ['a dropped negotiation', 'UPDATE trust_events SET negotiation = NULL WHERE seq = 0', 0],
      ['a deleted event', 'DELETE FROM trust_events WHERE seq = 2', 2],
      ['a recomputed hash without relinking', '', 3],
    ]

    for (const [what, sql, firstBad] of edits) {
      it(`catches ${what}`, () => {
        const { db, ledger, bob } = chainOfFive()
        if (sql !== '') {
          db.prepare(sql).run()
        } else {
          // An attacker who edits event 2 and fixes its own hash still breaks the link from event 3.
          const e = ledger.events(bob)[2]!
          const edited = { ...e, time: '2020-01-01T00:00:00.000Z' }
          const { hash: _old, ...rest } = edited
          const hash = createHash('sha256').update(canonicalizeStrict({ v: 1, ...rest })).digest('hex')
          db.prepare("UPDATE trust_events SET time = ?, hash = ? WHERE seq = 2").run(edited.time, hash)
        }
        const result = ledger.verify(bob)
        expect(result.ok).toBe(false)
        expect(result.firstBad).toBe(firstBad)
        expect(typeof result.reason).toBe('string')
      })
    }
  })
})
