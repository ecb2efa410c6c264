import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TrustError } from '../../src-main/core/errors.js'
import { fingerprint } from '../../src-main/core/crypto/ed25519.js'
import { renderCertificate } from '../../src-main/core/bundle/certificate.js'
import { serializeBundle } from '../../src-main/core/bundle/export-bundle.js'
import { verifyBundle } from '../../src-main/core/bundle/verify-bundle.js'
import { bindingAgreement, copyBundle, envelopeAt } from '../fixtures/bundle-fixtures.js'

/** Written here independently of certificate.ts. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

const HOSTILE_TITLE = `Deal <b>"bold"</b> & 'co'`
const HOSTILE_CLAUSES = [
  { id: 'claim', title: '<img src=x onerror=alert(1)>', text: '<script>alert("pwned")</script>\nSecond line & more' },
  { id: 'amount', title: 'Amount', text: 'Bob pays Alice $0.' },
  { id: 'bidi', title: 'Bidi', text: 'pay \u202e0001$\u202c now \u001b[2J' },
]

function hostileAgreement() {
  const fixture = bindingAgreement({ title: HOSTILE_TITLE, clauses: HOSTILE_CLAUSES })
  fixture.bundle.names[fixture.bob.publicKey] = '<script>document.title=1</script>Bob'
  const text = serializeBundle(fixture.bundle)
  const html = renderCertificate(text, { at: fixture.at, bundleFileName: 'deal.trust.json' })
  const report = verifyBundle(text, { at: fixture.at })
  return { ...fixture, text, html, report }
}

describe('the printable certificate', () => {
  it('shows the escaped title, every clause, every signer fingerprint and the binding hash', () => {
    const { html, report, alice, bob } = hostileAgreement()
    expect(report.valid).toBe(true)
    expect(html).toContain(`<h1>${escapeHtml(HOSTILE_TITLE)}</h1>`)
    for (const clause of report.clauses) {
      expect(html).toContain(escapeHtml(clause.title.replace(/[\u202e\u202c\u001b]/g, '\ufffd')))
    }
    expect(html).toContain(escapeHtml('<script>alert("pwned")</script>\nSecond line & more'))
    expect(html).toContain('Bob pays Alice $750.')
    for (const key of [alice.publicKey, bob.publicKey]) {
      expect(html).toContain(fingerprint(key))
      expect(html).toContain(key)
    }
    expect(report.bindingHash).toMatch(/^[0-9a-f]{64}$/)
    expect(html).toContain(report.bindingHash!)
    expect(html).toContain(report.negotiation!)
    expect(html).toContain('<span class="status">BINDING</span>')
    expect(html).toContain('npx trust verify deal.trust.json')
    expect(html).toContain('Alice')
  })

  it('escapes hostile markup in clauses, titles and names', () => {
    const { html } = hostileAgreement()
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<img/i)
    expect(html).not.toMatch(/<b>/)
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;')
    expect(html).toContain('&lt;script&gt;document.title=1&lt;/script&gt;Bob')
    // Bidi overrides and terminal escapes cannot reorder or hide what was signed.
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u001b]/)
  })

  it('is self-contained under a strict CSP: no scripts, no external resources', () => {
    const { html } = hostileAgreement()
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]
    expect(csp).toBeDefined()
    const policy = unescapeHtml(csp!)
    expect(policy).toMatch(/default-src 'none'/)
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|script-src|https?:/)
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? ''
    expect(style.length).toBeGreaterThan(0)
    const styleHash = createHash('sha256').update(style).digest('base64')
    expect(policy).toContain(`style-src 'sha256-${styleHash}'`)
    // No tag loads anything: the only attributes are these.
    const attributes = new Set([...html.matchAll(/<[a-zA-Z][^>]*>/g)].flatMap((m) => [...m[0].matchAll(/\s([a-zA-Z-]+)="/g)].map((a) => a[1])))
    expect([...attributes].sort()).toEqual(['charset', 'class', 'content', 'http-equiv', 'lang', 'name'])
    expect(html).not.toMatch(/https?:\/\//i)
    expect(html).not.toMatch(/url\(/i)
  })

  it('refuses an invalid bundle with its verification error', () => {
    const { bundle, at } = bindingAgreement()
    const tampered = copyBundle(bundle)
    ;(envelopeAt(tampered, 0).body.clauses as { text: string }[])[1]!.text = 'Bob pays Alice $1.'
    let thrown: unknown
    try {
      renderCertificate(serializeBundle(tampered), { at })
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(TrustError)
    expect((thrown as TrustError).code).toBe('BAD_SIGNATURE')
    expect((thrown as TrustError).message).toMatch(/^BAD_SIGNATURE: no certificate for an invalid bundle: envelope 0 /)
    expect(() => renderCertificate('not json', { at })).toThrow(/^BAD_BUNDLE: no certificate for an invalid bundle/)
  })

  it('its OpenSSL instructions really verify each signer and the binding hash', () => {
    const { html, report } = hostileAgreement()
    const pres = [...html.matchAll(/<pre>([\s\S]*?)<\/pre>/g)].map((m) => unescapeHtml(m[1]!))
    const pems = pres.filter((p) => p.startsWith('-----BEGIN PUBLIC KEY-----'))
    const commands = pres.filter((p) => p.includes('openssl pkeyutl -verify'))
    expect(pems).toHaveLength(report.signers.length)
    expect(commands).toHaveLength(report.signers.length)
    const dir = mkdtempSync(join(tmpdir(), 'trust-certificate-'))
    try {
      commands.forEach((command, i) => {
        writeFileSync(join(dir, 'pub.pem'), pems[i]!)
        const ok = spawnSync('bash', ['-c', command], { cwd: dir, encoding: 'utf8' })
        expect(ok.status, ok.stderr).toBe(0)
        expect(ok.stdout).toMatch(/Signature Verified Successfully/)
        // The same command with a changed signing input must fail.
        const tamperedCommand = command.replace('"type":"FINALIZE"', '"type":"ACCEPT"')
        expect(tamperedCommand).not.toBe(command)
        expect(spawnSync('bash', ['-c', tamperedCommand], { cwd: dir, encoding: 'utf8' }).status).not.toBe(0)
      })
      const digest = pres.find((p) => p.includes('openssl dgst -sha256'))
      expect(digest).toBeDefined()
      const out = spawnSync('bash', ['-c', digest!], { cwd: dir, encoding: 'utf8' })
      expect(out.status).toBe(0)
      expect(out.stdout).toContain(report.bindingHash!)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
