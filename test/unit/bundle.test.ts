import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TrustError } from '../../src-main/core/errors.js'
import { sha256Hex } from '../../src-main/core/crypto/hash.js'
import { canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import { termsHash } from '../../src-main/core/protocol/terms.js'
import { MAX_BUNDLE_BYTES, MAX_BUNDLE_ENVELOPES, parseBundle, type Bundle } from '../../src-main/core/bundle/bundle.js'
import { exportBundle, serializeBundle } from '../../src-main/core/bundle/export-bundle.js'
import { reportJson, verifyBundle } from '../../src-main/core/bundle/verify-bundle.js'
import { envelopeSigningText, publicKeyPem } from '../../src-main/core/bundle/signature-check.js'
import { DAY, NegotiationBuilder, makeGenesis, party } from '../fixtures/negotiation-builder.js'
import {
  bindingAgreement,
  copyBundle,
  envelopeAt,
  fixtureOf,
  indexOfHash,
  openNegotiation,
  shuffled,
} from '../fixtures/bundle-fixtures.js'

const hashOf = (value: unknown): string => sha256Hex(canonicalizeStrict(value))

function expectInvalid(bundle: unknown, at: number, code: string, pattern: RegExp, index?: number) {
  const report = verifyBundle(bundle, { at })
  expect(report.valid).toBe(false)
  expect(report.error?.code).toBe(code)
  expect(report.error?.message).toMatch(pattern)
  expect(report.error?.message.startsWith(`${code}: `)).toBe(true)
  expect(report.error?.index).toBe(index)
  return report
}

describe('verifyBundle: a valid agreement', () => {
  it('recomputes status, terms, signers and binding hash from the envelopes alone', () => {
    const { bundle, builder, alice, bob, at } = bindingAgreement()
    const report = verifyBundle(serializeBundle(bundle), { at })
    expect(report.error).toBeUndefined()
    expect(report.valid).toBe(true)
    expect(report.status).toBe('BINDING')
    expect(report.negotiation).toBe(builder.id)
    expect(report.title).toBe('Damages claim')
    expect(report.clauses.find((c) => c.id === 'amount')?.text).toBe('Bob pays Alice $750.')
    // Independent recomputation of DESIGN sections 3 and 4's hashes.
    expect(report.termsHash).toBe(termsHash(report.clauses))
    expect(report.termsHash).toBe(hashOf(report.clauses))
    const signers = [alice.publicKey, bob.publicKey].sort()
    expect(report.signers).toEqual(signers)
    expect(report.bindingHash).toBe(hashOf({ negotiation: builder.id, termsHash: report.termsHash, signers }))
    expect(report.rejected).toEqual([])
    expect(report.names).toEqual({ [alice.publicKey]: 'Alice', [bob.publicKey]: 'Bob' })
  })

  it('a BINDING agreement stays valid at any later time (default: now)', () => {
    const { bundle, at } = bindingAgreement()
    expect(verifyBundle(bundle).valid).toBe(true)
    expect(verifyBundle(bundle, { at: at + 3650 * DAY }).valid).toBe(true)
  })

  it('accepts the text, its bytes and the parsed object alike', () => {
    const { bundle, at } = bindingAgreement()
    const text = serializeBundle(bundle)
    const fromText = verifyBundle(text, { at })
    expect(verifyBundle(new TextEncoder().encode(text), { at })).toEqual(fromText)
    expect(verifyBundle(bundle, { at })).toEqual(fromText)
    expect(fromText.valid).toBe(true)
  })

  it('a shuffled or duplicated bundle gives the same report as the ordered one', () => {
    const { bundle, at } = bindingAgreement()
    const ordered = verifyBundle(bundle, { at })
    expect(ordered.valid).toBe(true)
    for (const seed of [1, 2, 3, 42, 1234]) {
      const mixed = copyBundle(bundle)
      mixed.envelopes = shuffled(bundle.envelopes, seed)
      expect(mixed.envelopes).not.toEqual(bundle.envelopes)
      expect(verifyBundle(mixed, { at })).toEqual(ordered)
    }
    const doubled = copyBundle(bundle)
    doubled.envelopes = shuffled([...bundle.envelopes, ...bundle.envelopes.slice(2, 5)], 7)
    expect(verifyBundle(doubled, { at })).toEqual(ordered)
  })

  it('lists correctly signed but illegal messages as rejected and stays valid', () => {
    const alice = party('alice')
    const bob = party('bob')
    const mallory = party('mallory')
    const b = bindingAgreement().builder
    const late = b.offer(alice, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $9000.' }])
    const outsider = b.accept(mallory)
    const other = NegotiationBuilder.negotiating({ creator: bob, others: [alice], title: 'Another deal' })
    const foreign = other.offer(bob, [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $1.' }])
    const { bundle, at } = fixtureOf(b, alice, bob)
    bundle.envelopes.push(JSON.parse(new TextDecoder().decode(foreign.bytes)))
    const report = verifyBundle(bundle, { at })
    expect(report.error).toBeUndefined()
    expect(report.valid).toBe(true)
    expect(report.status).toBe('BINDING')
    expect(report.clauses.find((c) => c.id === 'amount')?.text).toBe('Bob pays Alice $750.')
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.hash, r.reason]))
    expect(reasons[late.hash]).toBe('IMMUTABLE')
    expect(reasons[outsider.hash]).toBe('NOT_PARTICIPANT')
    expect(reasons[foreign.hash]).toBe('WRONG_NEGOTIATION')
    expect(reportJson(report).rejected).toContainEqual({ hash: late.hash, reason: 'IMMUTABLE' })
  })

  it('--at: a non-binding bundle is NEGOTIATING before its deadline and EXPIRED (so not as claimed) after', () => {
    const { bundle, builder, at } = openNegotiation()
    const deadline = Date.parse(builder.state().deadline)
    const before = verifyBundle(bundle, { at })
    expect(before.valid).toBe(true)
    expect(before.status).toBe('NEGOTIATING')
    const after = verifyBundle(bundle, { at: deadline + 1 })
    expect(after.status).toBe('EXPIRED')
    expect(after.valid).toBe(false)
    expect(after.error?.code).toBe('BAD_BUNDLE')
    expect(after.error?.message).toMatch(/claims status NEGOTIATING, the envelopes give EXPIRED/)
  })

  it('does not modify the bundle it is given', () => {
    const { bundle, at } = bindingAgreement()
    const before = structuredClone(bundle)
    const tampered = copyBundle(bundle)
    envelopeAt(tampered, 3).sig = envelopeAt(tampered, 4).sig
    const tamperedBefore = structuredClone(tampered)
    verifyBundle(bundle, { at })
    verifyBundle(tampered, { at })
    expect(bundle).toEqual(before)
    expect(tampered).toEqual(tamperedBefore)
  })

  it('keeps only sanitized names of keys in the negotiation (names are unsigned)', () => {
    const { bundle, alice, bob, at } = bindingAgreement()
    const named = copyBundle(bundle)
    named.names = {
      [alice.publicKey]: 'Alice\u001b[31m \u202eevil\u202c',
      [bob.publicKey]: 'B'.repeat(500),
      [party('mallory').publicKey]: 'Not here',
    }
    const report = verifyBundle(named, { at })
    expect(report.valid).toBe(true)
    expect(Object.keys(report.names).sort()).toEqual([alice.publicKey, bob.publicKey].sort())
    expect(report.names[alice.publicKey]).not.toMatch(/[\u001b\u202e\u202c]/)
    expect(report.names[alice.publicKey]).toContain('Alice')
    expect(Array.from(report.names[bob.publicKey] ?? '').length).toBeLessThanOrEqual(64)
  })
})

describe('verifyBundle: tampering is caught and the first failure is named', () => {
  it('one character of a clause changed in GENESIS', () => {
    const { bundle, at } = bindingAgreement()
    const t = copyBundle(bundle)
    const genesis = envelopeAt(t, 0)
    expect(genesis.type).toBe('GENESIS')
    const clauses = genesis.body.clauses as { text: string }[]
    clauses[0]!.text = clauses[0]!.text.replace('$1000', '$9000')
    const report = expectInvalid(t, at, 'BAD_SIGNATURE', /envelope 0 \(GENESIS by .*\) is not correctly signed/, 0)
    expect(report.status).toBeNull()
  })

  it('one character of a clause changed in an OFFER', () => {
    const { bundle, builder, at } = bindingAgreement()
    const counter = builder.messages.find((m) => m.envelope.type === 'OFFER' && m.envelope.author === party('bob').publicKey)!
    const i = indexOfHash(bundle, builder, counter.hash)
    const t = copyBundle(bundle)
    const changes = envelopeAt(t, i).body.changes as { text: string }[]
    changes[0]!.text = changes[0]!.text.replace('$750', '$751')
    expectInvalid(t, at, 'BAD_SIGNATURE', new RegExp(`envelope ${i} \\(OFFER by `), i)
  })

  it('a message that later ones ref is dropped', () => {
    const { bundle, builder, at } = bindingAgreement()
    const counter = builder.messages.find((m) => m.envelope.type === 'OFFER' && m.envelope.author === party('bob').publicKey)!
    const t = copyBundle(bundle)
    t.envelopes.splice(indexOfHash(bundle, builder, counter.hash), 1)
    const firstReferrer = t.envelopes.findIndex((e) => (envelopeAt(t, t.envelopes.indexOf(e)).refs as string[]).includes(counter.hash))
    expect(firstReferrer).toBeGreaterThan(0)
    const report = expectInvalid(t, at, 'BAD_BUNDLE', new RegExp(`refs ${counter.hash}, which is not in the bundle: a message was dropped`), firstReferrer)
    expect(report.error?.message).toMatch(/claims status BINDING, the envelopes give/)
    expect(report.status).not.toBe('BINDING')
  })

  it('two signatures swapped between envelopes', () => {
    const { bundle, builder, at } = bindingAgreement()
    const accepts = builder.messages.filter((m) => m.envelope.type === 'ACCEPT')
    const [i, j] = accepts.map((m) => indexOfHash(bundle, builder, m.hash)).sort((a, b) => a - b) as [number, number]
    const t = copyBundle(bundle)
    const a = envelopeAt(t, i)
    const b = envelopeAt(t, j)
    ;[a.sig, b.sig] = [b.sig, a.sig]
    expectInvalid(t, at, 'BAD_SIGNATURE', new RegExp(`envelope ${i} \\(ACCEPT by `), i)
  })

  it('a participant key replaced in GENESIS', () => {
    const { bundle, bob, at } = bindingAgreement()
    const t = copyBundle(bundle)
    const participants = envelopeAt(t, 0).body.participants as string[]
    expect(participants[1]).toBe(bob.publicKey)
    participants[1] = party('carol').publicKey
    expectInvalid(t, at, 'BAD_SIGNATURE', /envelope 0 \(GENESIS/, 0)
  })

  it('a GENESIS re-signed with another participant no longer matches the negotiation id', () => {
    const { bundle, alice, at } = bindingAgreement()
    const forged = makeGenesis({ creator: alice, others: [party('carol')] })
    const t = copyBundle(bundle)
    t.envelopes[0] = JSON.parse(new TextDecoder().decode(forged.bytes))
    expectInvalid(t, at, 'INVALID_NEGOTIATION', new RegExp(`is not the hash of the GENESIS envelope \\(envelope 0 hashes to ${forged.hash}\\)`), 0)
    // Renaming the negotiation after it: every other message belongs to another negotiation.
    t.negotiation = forged.hash
    // The real GENESIS is now missing: the first message referring to it is named.
    const report = expectInvalid(t, at, 'BAD_BUNDLE', new RegExp(`claims status BINDING, the envelopes give INITIATED.*refs ${bundle.negotiation}, which is not in the bundle`), 1)
    expect(report.rejected.filter((r) => r.reason === 'WRONG_NEGOTIATION')).toHaveLength(bundle.envelopes.length - 1)
  })

  it('BINDING claimed with k-1 finalizations', () => {
    const { bundle, builder, at } = bindingAgreement()
    const lastFinalize = builder.messages.filter((m) => m.envelope.type === 'FINALIZE').at(-1)!
    const t = copyBundle(bundle)
    t.envelopes.splice(indexOfHash(bundle, builder, lastFinalize.hash), 1)
    const report = expectInvalid(t, at, 'BAD_BUNDLE', /claims status BINDING, the envelopes give CONSENSUS_REACHED; and bindingHash [0-9a-f]{64}, the envelopes give null$/)
    expect(report.status).toBe('CONSENSUS_REACHED')
    expect(report.bindingHash).toBeNull()
  })

  it('a wrong binding hash or terms hash claimed', () => {
    const { bundle, at } = bindingAgreement()
    const real = verifyBundle(bundle, { at })
    const wrongBinding = copyBundle(bundle)
    wrongBinding.claimed.bindingHash = sha256Hex('another agreement')
    const r1 = expectInvalid(wrongBinding, at, 'BAD_BUNDLE', new RegExp(`bindingHash ${sha256Hex('another agreement')}, the envelopes give ${real.bindingHash}`))
    expect(r1.bindingHash).toBe(real.bindingHash)
    const wrongTerms = copyBundle(bundle)
    wrongTerms.claimed.termsHash = sha256Hex('other terms')
    expectInvalid(wrongTerms, at, 'BAD_BUNDLE', /claims termsHash [0-9a-f]{64}, the envelopes give/)
  })

  it('GENESIS missing', () => {
    const { bundle, at } = bindingAgreement()
    const t = copyBundle(bundle)
    t.envelopes.splice(0, 1)
    expectInvalid(t, at, 'INVALID_NEGOTIATION', /no GENESIS envelope/)
  })

  it('two different GENESIS envelopes', () => {
    const { bundle, alice, at } = bindingAgreement()
    const t = copyBundle(bundle)
    const other = makeGenesis({ creator: alice, others: [party('carol')] })
    t.envelopes.push(JSON.parse(new TextDecoder().decode(other.bytes)))
    expectInvalid(t, at, 'INVALID_NEGOTIATION', /2 different GENESIS envelopes \(indices 0, \d+\)/, t.envelopes.length - 1)
  })

  it('the first failure in file order is the one named', () => {
    const { bundle, at } = bindingAgreement()
    const t = copyBundle(bundle)
    envelopeAt(t, 5).sig = envelopeAt(t, 6).sig
    expect(envelopeAt(t, 2).type).toBe('OFFER')
    envelopeAt(t, 2).body.note = 'added after signing'
    const report = verifyBundle(t, { at })
    expect(report.valid).toBe(false)
    expect(report.error?.code).toBe('BAD_SIGNATURE')
    expect(report.error?.index).toBe(2)
  })
})

describe('parseBundle and malformed bundles', () => {
  const { bundle, at } = bindingAgreement()
  const text = serializeBundle(bundle)
  const edit = (f: (b: Record<string, unknown>) => void): string => {
    const b = JSON.parse(text) as Record<string, unknown>
    f(b)
    return JSON.stringify(b)
  }

  const cases: [string, string | Uint8Array, RegExp][] = [
    ['not JSON', 'this is not json', /not valid JSON/],
    ['empty', '', /not valid JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['a duplicate key', text.replace('{', '{"names":{},'), /duplicate key "names"/],
    ['a float', text.replace('"lamport": 2', '"lamport": 2.5'), /floats/],
    ['a lone surrogate', edit((b) => void ((b.names as Record<string, string>)['ab'.repeat(32)] = 'x')).replace('"x"', '"\\ud800"'), /lone surrogate/],
    ['invalid UTF-8', Uint8Array.of(0x7b, 0xff, 0x7d), /not valid UTF-8/],
    ['an unknown field', edit((b) => void (b.signatures = [])), /unknown field\(s\): "signatures"/],
    ['a missing field', edit((b) => void delete b.claimed), /missing field\(s\): claimed/],
    ['another format', edit((b) => void (b.format = 'trust-primitive/bundle@2')), /format must be "trust-primitive\/bundle@1"/],
    ['an uppercase negotiation id', edit((b) => void (b.negotiation = String(b.negotiation).toUpperCase())), /negotiation must be 64 lowercase hex/],
    ['envelopes not an array', edit((b) => void (b.envelopes = {})), /envelopes must be an array/],
    ['no envelopes', edit((b) => void (b.envelopes = [])), /envelopes is empty/],
    ['a name that is not a string', edit((b) => void ((b.names as Record<string, unknown>)['cd'.repeat(32)] = 7)), /must be a string/],
    ['a name keyed by a non-key', edit((b) => void ((b.names as Record<string, unknown>)['Alice'] = 'Alice')), /is not a public key/],
    ['an unknown status', edit((b) => void ((b.claimed as Record<string, unknown>).status = 'SIGNED')), /claimed.status must be one of/],
    ['an extra claim', edit((b) => void ((b.claimed as Record<string, unknown>).signers = [])), /claimed: unknown field/],
    ['a bad bindingHash', edit((b) => void ((b.claimed as Record<string, unknown>).bindingHash = 42)), /claimed.bindingHash must be/],
    ['too many envelopes', JSON.stringify({ ...JSON.parse(text), envelopes: new Array(MAX_BUNDLE_ENVELOPES + 1).fill({}) }), /the limit is 50000/],
    ['too many bytes', ' '.repeat(MAX_BUNDLE_BYTES + 1), /the limit is 16777216/],
  ]

  for (const [what, input, pattern] of cases) {
    it(`refuses ${what} with BAD_BUNDLE, in parseBundle and in the report`, () => {
      let thrown: unknown
      try {
        parseBundle(input)
      } catch (err) {
        thrown = err
      }
      expect(thrown).toBeInstanceOf(TrustError)
      expect((thrown as TrustError).code).toBe('BAD_BUNDLE')
      expect((thrown as TrustError).message).toMatch(pattern)
      expectInvalid(input, at, 'BAD_BUNDLE', pattern)
    })
  }

  it('refuses a malformed envelope with the protocol error and its index', () => {
    const extra = copyBundle(bundle)
    envelopeAt(extra, 3).extra = true
    expectInvalid(extra, at, 'BAD_ENVELOPE', /^BAD_ENVELOPE: envelope 3 is malformed: /, 3)
    expect(() => parseBundle(extra)).toThrow(/^BAD_BUNDLE: envelope 3 is malformed: .*\(BAD_ENVELOPE\)$/)

    const notObject = copyBundle(bundle)
    notObject.envelopes[4] = 'GENESIS'
    expectInvalid(notObject, at, 'BAD_ENVELOPE', /envelope 4 is malformed: must be a JSON object/, 4)

    const wrongVersion = copyBundle(bundle)
    envelopeAt(wrongVersion, 1).v = 2
    expectInvalid(wrongVersion, at, 'BAD_ENVELOPE', /envelope 1 is malformed: .*v/, 1)

    // An object from the API may carry what strict JSON cannot: refused, not encoded.
    const float = copyBundle(bundle)
    envelopeAt(float, 2).seq = 0.5
    expectInvalid(float, at, 'INVALID_ENCODING', /envelope 2 is malformed: .*floats/, 2)
  })

  it('parses a valid bundle into the exact signed envelopes', () => {
    const { builder } = bindingAgreement()
    const parsed = parseBundle(text)
    expect(parsed.negotiation).toBe(builder.id)
    expect(new Set(parsed.envelopes.map((e) => e.hash))).toEqual(new Set(builder.messages.map((m) => m.hash)))
    expect(parsed.claimed).toEqual(bundle.claimed)
  })
})

describe('exportBundle', () => {
  it('takes envelopes as bytes or parsed, sorted by (lamport, hash), without duplicates', () => {
    const { builder, alice, bob } = bindingAgreement()
    const state = builder.state()
    const names = { [alice.publicKey]: 'Alice', [bob.publicKey]: 'Bob' }
    const parsed = exportBundle({ negotiation: builder.id, envelopes: shuffled(builder.messages, 9), names, state })
    const fromBytes = exportBundle({
      negotiation: builder.id,
      envelopes: [...builder.messages, ...builder.messages].map((m) => m.bytes),
      names,
      state,
    })
    expect(fromBytes).toEqual(parsed)
    expect(parsed.envelopes).toHaveLength(builder.messages.length)
    const keys = parseBundle(parsed).envelopes.map((e) => [e.envelope.lamport, e.hash] as const)
    for (let i = 1; i < keys.length; i++) {
      const [l0, h0] = keys[i - 1]!
      const [l1, h1] = keys[i]!
      expect(l0 < l1 || (l0 === l1 && h0 < h1)).toBe(true)
    }
    expect(parsed.claimed).toEqual({ status: 'BINDING', termsHash: state.termsHash, bindingHash: state.bindingHash })
  })

  it('refuses a negotiation without its GENESIS, or a bad id or state', () => {
    const { builder } = bindingAgreement()
    const state = builder.state()
    const rest = builder.messages.slice(1)
    expect(() => exportBundle({ negotiation: builder.id, envelopes: rest, state })).toThrow(/^INVALID_NEGOTIATION: /)
    expect(() => exportBundle({ negotiation: 'xyz', envelopes: builder.messages, state })).toThrow(/^INVALID_INPUT: /)
    expect(() =>
      exportBundle({ negotiation: builder.id, envelopes: builder.messages, state: { ...state, termsHash: 'nope' } }),
    ).toThrow(/^INVALID_INPUT: /)
    expect(() => exportBundle({ negotiation: builder.id, envelopes: [Uint8Array.of(1, 2)], state })).toThrow(TrustError)
    const { status: _status, ...invalid } = state
    expect(() => exportBundle({ negotiation: builder.id, envelopes: builder.messages, state: invalid })).toThrow(
      /^INVALID_NEGOTIATION: cannot export an invalid negotiation/,
    )
  })
})

describe('every envelope signature checks with OpenSSL (DESIGN section 3)', () => {
  const version = spawnSync('openssl', ['version'], { encoding: 'utf8' })

  it('runs OpenSSL 3', () => {
    expect(version.status).toBe(0)
    expect(version.stdout).toMatch(/^OpenSSL 3\./)
  })

  it('openssl pkeyutl -verify accepts each envelope and refuses a flipped byte', () => {
    const { bundle }: { bundle: Bundle } = bindingAgreement()
    const dir = mkdtempSync(join(tmpdir(), 'trust-openssl-'))
    try {
      const run = (msg: string, sig: string, pub: string) =>
        spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', msg, '-sigfile', sig], {
          encoding: 'utf8',
        })
      bundle.envelopes.forEach((value, i) => {
        const envelope = value as Record<string, unknown> & { sig: string; author: string }
        const { sig, ...unsigned } = envelope
        // Built here by hand from DESIGN section 3, not by the code under test...
        const input = 'trust-primitive/v1:' + canonicalizeStrict(unsigned)
        // ...which must agree with it.
        expect(envelopeSigningText(envelope)).toBe(input)
        const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(envelope.author, 'hex')])
        const pem = `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`
        expect(publicKeyPem(envelope.author)).toBe(pem)
        const msg = join(dir, `msg-${i}.bin`)
        const sigFile = join(dir, `sig-${i}.bin`)
        const pub = join(dir, `pub-${i}.pem`)
        writeFileSync(msg, input, 'utf8')
        writeFileSync(sigFile, Buffer.from(sig, 'hex'))
        writeFileSync(pub, pem)
        const ok = run(msg, sigFile, pub)
        expect(ok.status, `${ok.stdout}${ok.stderr}`).toBe(0)
        expect(ok.stdout).toMatch(/Signature Verified Successfully/)

        const flipped = Buffer.from(input, 'utf8')
        flipped.writeUInt8(flipped.readUInt8(flipped.length - 2) ^ 0x01, flipped.length - 2)
        writeFileSync(msg, flipped)
        expect(run(msg, sigFile, pub).status).not.toBe(0)
        const badSig = Buffer.from(sig, 'hex')
        badSig.writeUInt8(badSig.readUInt8(0) ^ 0x80, 0)
        writeFileSync(msg, input, 'utf8')
        writeFileSync(sigFile, badSig)
        expect(run(msg, sigFile, pub).status).not.toBe(0)
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
