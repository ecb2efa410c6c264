import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fingerprint } from '../../src-main/core/crypto/ed25519.js'
import { serializeBundle } from '../../src-main/core/bundle/export-bundle.js'
import { reportJson, verifyBundle } from '../../src-main/core/bundle/verify-bundle.js'
import { bindingAgreement, copyBundle, envelopeAt, fixtureOf, forkedAgreement, openNegotiation } from '../fixtures/bundle-fixtures.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'trust.mjs')

function trust(args: string[], env: Record<string, string> = {}) {
  const { TRUST_DEBUG: _debug, ...base } = process.env
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...base, ...env } })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

let dir: string
let valid: string
let tampered: string
let open: string
let hostile: string
const agreement = bindingAgreement()
const negotiation = openNegotiation()

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trust-cli-'))
  valid = join(dir, 'deal.trust.json')
  writeFileSync(valid, serializeBundle(agreement.bundle))
  const t = copyBundle(agreement.bundle)
  const changes = envelopeAt(t, 3).body.changes as { text: string }[]
  changes[0]!.text = changes[0]!.text.replace('$750', '$75')
  tampered = join(dir, 'tampered.trust.json')
  writeFileSync(tampered, serializeBundle(t))
  open = join(dir, 'open.trust.json')
  writeFileSync(open, serializeBundle(negotiation.bundle))
  const h = bindingAgreement({
    title: 'Evil \u001b[2J\u001b]0;pwned\u0007 title',
    clauses: [
      { id: 'claim', title: 'Claim', text: 'Line one\n\u001b[31mred\u001b[0m \u202eevil' },
      { id: 'amount', title: 'Amount', text: 'Bob pays Alice $0.' },
    ],
  })
  hostile = join(dir, 'hostile.trust.json')
  writeFileSync(hostile, serializeBundle(h.bundle))
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('trust verify (spawned for real)', () => {
  it('a valid bundle: exit 0 and a human summary', () => {
    const { code, stdout, stderr } = trust(['verify', valid])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const report = verifyBundle(agreement.bundle)
    expect(stdout).toMatch(/^VALID agreement bundle: /)
    expect(stdout).toContain('Title:          Damages claim')
    expect(stdout).toContain('Bob pays Alice $750.')
    expect(stdout).toContain(`Binding hash:   ${report.bindingHash}`)
    expect(stdout).toContain(`${fingerprint(agreement.alice.publicKey)}  Alice  ${agreement.alice.publicKey}`)
    expect(stdout).toContain(`${fingerprint(agreement.bob.publicKey)}  Bob  ${agreement.bob.publicKey}`)
    expect(stdout).toContain('Status:         BINDING')
  })

  it('a tampered bundle: exit 1 and the first failure', () => {
    const { code, stdout } = trust(['verify', tampered])
    expect(code).toBe(1)
    expect(stdout).toMatch(/^INVALID agreement bundle: /)
    expect(stdout).toMatch(/error \(envelope 3\): BAD_SIGNATURE: envelope 3 \(OFFER by [0-9a-f ]+, hash [0-9a-f]{16}…\) is not correctly signed/)
  })

  it('--json prints exactly {valid, status, termsHash, bindingHash, signers, rejected, equivocations, error?}', () => {
    const ok = trust(['verify', valid, '--json'])
    expect(ok.code).toBe(0)
    const json = JSON.parse(ok.stdout) as Record<string, unknown>
    expect(Object.keys(json).sort()).toEqual(['bindingHash', 'equivocations', 'rejected', 'signers', 'status', 'termsHash', 'valid'])
    expect(json).toEqual(reportJson(verifyBundle(agreement.bundle)))
    expect(json.valid).toBe(true)

    const bad = trust(['verify', '--json', tampered])
    expect(bad.code).toBe(1)
    const badJson = JSON.parse(bad.stdout) as Record<string, unknown>
    expect(Object.keys(badJson).sort()).toEqual(['bindingHash', 'equivocations', 'error', 'rejected', 'signers', 'status', 'termsHash', 'valid'])
    expect(badJson.valid).toBe(false)
    expect(badJson.error).toMatchObject({ code: 'BAD_SIGNATURE', index: 3 })
  })

  it('rejected messages are listed as {hash, reason}', () => {
    const b = bindingAgreement().builder
    const late = b.offer(agreement.alice, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $1.' }])
    const file = join(dir, 'late.trust.json')
    writeFileSync(file, serializeBundle(fixtureOf(b, agreement.alice, agreement.bob).bundle))
    const { code, stdout } = trust(['verify', file, '--json'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout).rejected).toEqual([{ hash: late.hash, reason: 'IMMUTABLE' }])
    const human = trust(['verify', file])
    expect(human.stdout).toContain(`${late.hash}  OFFER by ${fingerprint(agreement.alice.publicKey)}: IMMUTABLE`)
  })

  it('a bundle where a signer forked its own earlier OFFER after BINDING: still BINDING with the original hash, the fork listed as EQUIVOCATION', () => {
    const forked = forkedAgreement()
    const file = join(dir, 'forked.trust.json')
    writeFileSync(file, serializeBundle(forked.bundle))
    const { code, stdout } = trust(['verify', file, '--json'])
    expect(code).toBe(0)
    const json = JSON.parse(stdout)
    expect(json).toMatchObject({ valid: true, status: 'BINDING', bindingHash: agreement.bundle.claimed.bindingHash })
    expect(json.rejected).toEqual([{ hash: forked.fork.hash, reason: 'EQUIVOCATION' }])
    expect(json.equivocations).toEqual([
      { author: forked.bob.publicKey, seq: forked.original.envelope.seq, hashes: [forked.original.hash, forked.fork.hash].sort() },
    ])
    const human = trust(['verify', file])
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('Equivocation (1; one signer signed two versions of one message')
    expect(human.stdout).toContain(forked.fork.hash)
  })

  it('a missing file: exit 1 with a clear error, also in --json form', () => {
    const missing = join(dir, 'nope.trust.json')
    const human = trust(['verify', missing])
    expect(human.code).toBe(1)
    expect(human.stderr).toBe(`error: NOT_FOUND: the file ${missing} was not found\n`)
    const json = trust(['verify', missing, '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({
      valid: false,
      status: null,
      termsHash: null,
      bindingHash: null,
      signers: [],
      rejected: [],
      equivocations: [],
      error: { code: 'NOT_FOUND', message: `NOT_FOUND: the file ${missing} was not found` },
    })
  })

  it('a file that is not JSON: exit 1, BAD_BUNDLE', () => {
    const file = join(dir, 'garbage.trust.json')
    writeFileSync(file, 'PK\u0003\u0004 not json at all')
    const human = trust(['verify', file])
    expect(human.code).toBe(1)
    expect(human.stdout).toMatch(/error: BAD_BUNDLE: the bundle is not valid JSON/)
    const json = trust(['verify', '--json', file])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout).error.code).toBe('BAD_BUNDLE')
  })

  it('--at before the deadline gives NEGOTIATING, after it EXPIRED', () => {
    const deadline = negotiation.builder.state().deadline
    const before = trust(['verify', open, '--json', '--at', new Date(negotiation.at).toISOString()])
    expect(before.code).toBe(0)
    expect(JSON.parse(before.stdout)).toMatchObject({ valid: true, status: 'NEGOTIATING' })
    const after = trust(['verify', open, '--json', '--at', String(Date.parse(deadline) + 1)])
    expect(after.code).toBe(1)
    expect(JSON.parse(after.stdout)).toMatchObject({ valid: false, status: 'EXPIRED', error: { code: 'BAD_BUNDLE' } })
  })

  it('terminal escapes and bidi controls in signed text never reach the terminal', () => {
    const { code, stdout } = trust(['verify', hostile])
    expect(code).toBe(0)
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    expect(stdout).toContain('red')
  })

  it('bad usage exits 2 with a message on stderr; --help exits 0', () => {
    for (const args of [['verify', valid, '--bogus'], ['verify', valid, valid], ['verify', valid, '--at', 'yesterday'], ['frobnicate']]) {
      const r = trust(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.length).toBeGreaterThan(0)
      expect(r.stdout).toBe('')
    }
    const help = trust(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/verify .*\n\s+certificate /)
    const verifyHelp = trust(['verify', '--help'])
    expect(verifyHelp.code).toBe(0)
    expect(verifyHelp.stdout).toMatch(/^Usage: trust verify FILE \[--json\] \[--at TIME\]/)
  })

  it('prints no stack trace unless TRUST_DEBUG=1', () => {
    const missing = join(dir, 'missing.json')
    expect(trust(['certificate', missing]).stderr).not.toMatch(/\n\s+at /)
    expect(trust(['certificate', missing], { TRUST_DEBUG: '1' }).stderr).toMatch(/\n\s+at /)
  })
})

describe('trust certificate (spawned for real)', () => {
  it('writes <name>.certificate.html next to the bundle, or to --out', () => {
    const { code, stdout } = trust(['certificate', valid])
    const expected = join(dir, 'deal.certificate.html')
    expect(code).toBe(0)
    expect(stdout).toBe(`wrote ${expected}\n`)
    const html = readFileSync(expected, 'utf8')
    expect(html).toContain(verifyBundle(agreement.bundle).bindingHash!)
    const out = join(dir, 'elsewhere.html')
    expect(trust(['certificate', valid, '--out', out]).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('<span class="status">BINDING</span>')
  })

  it('refuses an invalid bundle with the verification error and writes nothing', () => {
    const { code, stderr } = trust(['certificate', tampered])
    expect(code).toBe(1)
    expect(stderr).toMatch(/^error: BAD_SIGNATURE: no certificate for an invalid bundle: envelope 3 /)
    expect(existsSync(join(dir, 'tampered.certificate.html'))).toBe(false)
  })
})
