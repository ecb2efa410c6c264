/**
 * What the contacts, receipts, verify and diagnostics screens read from a real
 * node: a card checked without saving it (contacts.inspect), the receipt chain
 * at a glance and its checkpoints (receipts.summary, receipts.checkpoints), the
 * full offline report of a bundle with the envelope at fault (bundles.report),
 * and the node's metrics and log file (diagnostics.*). Bad params are refused
 * with INVALID_INPUT and change nothing.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  BundleReport,
  CardPreview,
  CheckpointInfo,
  Contact,
  DiagnosticsLogs,
  DiagnosticsMetrics,
  ReceiptsSummary,
  TrustMethod,
} from '../../src-main/api.js'
import { serializeBundle } from '../../src-main/core/bundle/export-bundle.js'
import { reportJson, verifyBundle } from '../../src-main/core/bundle/verify-bundle.js'
import { createNode, type TrustNode } from '../../src-main/core/node.js'
import { createNetwork, type Network } from '../../src-main/core/sync/index.js'
import { bindingAgreement, copyBundle, envelopeAt } from '../fixtures/bundle-fixtures.js'
import { asyncCodeOf } from '../fixtures/trust-error.js'

const PASS = 'screens api passphrase'

describe('the screens API on a real node', () => {
  let dir: string
  let network: Network
  let alice: TrustNode
  let bob: TrustNode
  let bobCard: string
  let bobKey: string

  const call = <T>(node: TrustNode, method: TrustMethod, params?: Record<string, unknown>): Promise<T> => node.call(method, params) as Promise<T>

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-screens-api-'))
    network = await createNetwork('local')
    alice = await createNode({ profileDir: path.join(dir, 'alice'), network })
    bob = await createNode({ profileDir: path.join(dir, 'bob'), network })
    await alice.call('identity.create', { name: 'Alice', passphrase: PASS })
    bobKey = ((await bob.call('identity.create', { name: '<b>Bob</b>', passphrase: PASS })) as { publicKey: string }).publicKey
    bobCard = ((await bob.call('contacts.myCard')) as { card: string }).card
  })

  afterAll(async () => {
    await alice?.close()
    await bob?.close()
    await network?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  describe('contacts.inspect', () => {
    it('shows what a card would add, without adding it', async () => {
      const preview = await call<CardPreview>(alice, 'contacts.inspect', { card: bobCard })
      expect(preview).toEqual({ publicKey: bobKey, name: '<b>Bob</b>', fingerprint: expect.stringMatching(/^([0-9a-f]{4} ){3}[0-9a-f]{4}$/), contact: null })
      expect(await call<Contact[]>(alice, 'contacts.list')).toEqual([])
    })

    it('names the saved contact when the card is one already added', async () => {
      const added = await call<Contact>(alice, 'contacts.add', { card: bobCard, name: 'Bob from work' })
      const preview = await call<CardPreview>(alice, 'contacts.inspect', { card: bobCard })
      expect(preview.contact).toEqual(added)
      expect(preview.contact?.score).toBe(0.5)
      await alice.call('contacts.remove', { publicKey: bobKey })
    })

    it('refuses a damaged card, a forged one and your own, as contacts.add does', async () => {
      expect(await asyncCodeOf(alice.call('contacts.inspect', { card: bobCard.slice(0, -4) }))).toBe('BAD_CONTACT')
      expect(await asyncCodeOf(alice.call('contacts.inspect', { card: 'javascript:alert(1)' }))).toBe('BAD_CONTACT')
      const payload = JSON.parse(Buffer.from(bobCard.slice('trust:contact/'.length), 'base64url').toString()) as Record<string, unknown>
      payload.name = 'Mallory'
      const forged = `trust:contact/${Buffer.from(JSON.stringify({ key: payload.key, name: payload.name, sig: payload.sig, v: 1 })).toString('base64url')}`
      expect(await asyncCodeOf(alice.call('contacts.inspect', { card: forged }))).toBe('BAD_CONTACT')
      const own = ((await alice.call('contacts.myCard')) as { card: string }).card
      expect(await asyncCodeOf(alice.call('contacts.inspect', { card: own }))).toBe('INVALID_INPUT')
      expect(await asyncCodeOf(alice.call('contacts.inspect', {}))).toBe('INVALID_INPUT')
      expect(await asyncCodeOf(alice.call('contacts.inspect', { card: bobCard, name: 'x' }))).toBe('INVALID_INPUT')
      expect(await call<Contact[]>(alice, 'contacts.list')).toEqual([])
    })
  })

  describe('receipts.summary and receipts.checkpoints', () => {
    it('count receipts and list good checkpoints by size', async () => {
      const before = await call<ReceiptsSummary>(alice, 'receipts.summary')
      expect(before.refusedCheckpoints).toBe(0)
      await alice.call('negotiations.create', {
        title: 'Summary test',
        participants: [bobKey],
        clauses: [{ id: 'a', title: 'A', text: 'One.' }],
        deadline: new Date(Date.now() + 86_400_000).toISOString(),
      })
      const mid = await call<ReceiptsSummary>(alice, 'receipts.summary')
      expect(mid.count).toBeGreaterThan(before.count)
      const listed = await call<unknown[]>(alice, 'receipts.list', { from: 0, limit: 1000 })
      expect(mid.count).toBe(listed.length)

      await alice.call('receipts.checkpoint')
      const after = await call<ReceiptsSummary>(alice, 'receipts.summary')
      expect(after.checkpoints).toBe(mid.checkpoints + 1)
      expect(after.latestCheckpoint).toEqual({ size: after.count, recorded: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })

      const all = await call<CheckpointInfo[]>(alice, 'receipts.checkpoints')
      expect(all.at(-1)).toEqual(after.latestCheckpoint)
      expect(all.map((c) => c.size)).toEqual([...all.map((c) => c.size)].sort((a, b) => a - b))
      expect(await call<CheckpointInfo[]>(alice, 'receipts.checkpoints', { from: after.count + 1 })).toEqual([])
      expect(await call<CheckpointInfo[]>(alice, 'receipts.checkpoints', { from: after.count, limit: 1 })).toEqual([after.latestCheckpoint])
    })

    it('refuses bad windows', async () => {
      expect(await asyncCodeOf(alice.call('receipts.checkpoints', { limit: 0 }))).toBe('INVALID_INPUT')
      expect(await asyncCodeOf(alice.call('receipts.checkpoints', { limit: 1001 }))).toBe('INVALID_INPUT')
      expect(await asyncCodeOf(alice.call('receipts.checkpoints', { from: -1 }))).toBe('INVALID_INPUT')
      expect(await asyncCodeOf(alice.call('receipts.checkpoints', { from: '1' }))).toBe('INVALID_INPUT')
      expect(await asyncCodeOf(alice.call('receipts.summary', { x: 1 }))).toBe('INVALID_INPUT')
    })
  })

  describe('bundles.report', () => {
    const agreement = bindingAgreement()
    const at = new Date(agreement.at).toISOString()

    it('a valid bundle: the verify fields, the terms, the names and the participants', async () => {
      const text = serializeBundle(agreement.bundle)
      const report = await call<BundleReport>(alice, 'bundles.report', { bundle: text, at })
      const verified = reportJson(verifyBundle(text, { at: agreement.at }))
      expect(report).toMatchObject({
        valid: true,
        status: 'BINDING',
        termsHash: verified.termsHash,
        bindingHash: verified.bindingHash,
        signers: verified.signers,
        negotiation: agreement.bundle.negotiation,
        title: 'Damages claim',
        participants: [agreement.alice.publicKey, agreement.bob.publicKey],
        names: { [agreement.alice.publicKey]: 'Alice', [agreement.bob.publicKey]: 'Bob' },
        at,
      })
      expect(report.error).toBeUndefined()
      expect(report.clauses.find((c) => c.id === 'amount')?.text).toBe('Bob pays Alice $750.')
      // The same verdict as bundles.verify, field for field where they overlap.
      const plain = (await alice.call('bundles.verify', { bundle: text, at })) as Record<string, unknown>
      expect(plain).toMatchObject({ valid: true, status: report.status, bindingHash: report.bindingHash, rejected: [], equivocations: [] })
    })

    it('a tampered bundle: invalid, with the envelope at fault', async () => {
      const t = copyBundle(agreement.bundle)
      const changes = envelopeAt(t, 3).body.changes as { text: string }[]
      changes[0]!.text = changes[0]!.text.replace('$750', '$75')
      const report = await call<BundleReport>(alice, 'bundles.report', { bundle: serializeBundle(t), at })
      expect(report.valid).toBe(false)
      expect(report.error).toMatchObject({ code: 'BAD_SIGNATURE', index: 3 })
      expect(report.error?.message).toMatch(/^BAD_SIGNATURE: envelope 3 /)
    })

    it('unreadable text: invalid, no index, nothing recomputed', async () => {
      const report = await call<BundleReport>(alice, 'bundles.report', { bundle: '{"format": "nope"' })
      expect(report).toMatchObject({ valid: false, status: null, negotiation: null, title: null, clauses: [], error: { code: expect.any(String) } })
      expect(report.error?.index).toBeUndefined()
    })

    it('signed text shows control and bidi characters as U+FFFD', async () => {
      const hostile = bindingAgreement({
        title: 'Evil \u001b[2J title \u202egnp.exe',
        clauses: [
          { id: 'claim', title: 'Claim', text: 'Line one\n\u001b[31mred\u001b[0m' },
          { id: 'amount', title: 'Amount', text: 'Bob pays Alice $0.' },
        ],
      })
      const report = await call<BundleReport>(alice, 'bundles.report', { bundle: serializeBundle(hostile.bundle), at: new Date(hostile.at).toISOString() })
      expect(report.title).toBe('Evil \ufffd[2J title \ufffdgnp.exe')
      expect(report.clauses[0]!.text).toBe('Line one\n\ufffd[31mred\ufffd[0m')
    })

    it('refuses bad params', async () => {
      expect(await asyncCodeOf(alice.call('bundles.report', {}))).toBe('INVALID_INPUT')
      expect(await asyncCodeOf(alice.call('bundles.report', { bundle: '{}', at: 'yesterday' }))).toBe('INVALID_INPUT')
      expect(await asyncCodeOf(alice.call('bundles.report', { bundle: 'x'.repeat(16 * 1024 * 1024 + 1) }))).toBe('INVALID_INPUT')
    })
  })

  describe('diagnostics', () => {
    it('metrics: the /metrics text and the same figures as JSON', async () => {
      const m = await call<DiagnosticsMetrics>(alice, 'diagnostics.metrics')
      expect(m.text).toContain('# HELP trust_negotiations_created_total')
      const created = m.families.find((f) => f.name === 'trust_negotiations_created_total')
      expect(created).toMatchObject({ type: 'counter', samples: [{ name: 'trust_negotiations_created_total', labels: {}, value: 1 }] })
      const histogram = m.families.find((f) => f.type === 'histogram')!
      expect(histogram.samples.some((s) => s.name.endsWith('_bucket') && s.labels.le === '+Inf')).toBe(true)
      expect(JSON.parse(JSON.stringify(m))).toEqual(m) // plain JSON all the way down
    })

    it('logs: where the profile log is, which exists', async () => {
      const logs = await call<DiagnosticsLogs>(alice, 'diagnostics.logs')
      expect(logs).toEqual({ file: alice.paths.log, level: 'info' })
      expect(path.isAbsolute(logs.file!)).toBe(true)
      expect(fs.existsSync(logs.file!)).toBe(true)
      expect(await asyncCodeOf(alice.call('diagnostics.logs', { verbose: true }))).toBe('INVALID_INPUT')
    })
  })
})
