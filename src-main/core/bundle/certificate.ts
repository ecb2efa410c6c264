/**
 * The printable certificate of an agreement (DESIGN section 10): one
 * self-contained HTML page with the terms, the signers with fingerprints, the
 * binding hash and how to re-check all of it without us. Only for a bundle that
 * verifies; the status shown is the recomputed one, never the claimed one.
 *
 * Titles, clause text and names are hostile input: every one is sanitized
 * (display-text.ts) and HTML-escaped, and a strict CSP (no scripts, no network,
 * only the one inline stylesheet, by hash) stops anything that slipped through.
 */
import { createHash } from 'node:crypto'
import { TrustError } from '../errors.js'
import { fingerprint } from '../crypto/ed25519.js'
import { sha256Hex } from '../crypto/hash.js'
import { canonicalizeStrict } from '../protocol/jcs.js'
import type { SignedEnvelope } from '../protocol/index.js'
import { parseBundle } from './bundle.js'
import { displayText } from './display-text.js'
import { envelopeSigningText, publicKeyPem } from './signature-check.js'
import { verifyBundle, type VerifyOptions, type VerifyReport } from './verify-bundle.js'

export interface CertificateOptions extends VerifyOptions {
  /** File name of the bundle, for the `trust verify` instruction. */
  bundleFileName?: string
}

/** Verifies the bundle and renders its certificate; an invalid bundle throws its verification error. */
export function renderCertificate(bundle: string | Uint8Array, options: CertificateOptions = {}): string {
  const report = verifyBundle(bundle, options)
  if (!report.valid || report.error) {
    const error = report.error
    const text = error ? error.message.replace(/^[A-Z_]+: /, '') : 'the bundle is not valid'
    throw new TrustError(error?.code ?? 'BAD_BUNDLE', `no certificate for an invalid bundle: ${text}`, error?.index === undefined ? undefined : { index: error.index })
  }
  return certificateHtml(report, finalizations(report, parseBundle(bundle).envelopes), options.bundleFileName ?? 'agreement.trust.json')
}

/** Each signer's FINALIZE of the binding terms: the one signature a reader can check by hand. */
function finalizations(report: VerifyReport, envelopes: readonly SignedEnvelope[]): Map<string, SignedEnvelope> {
  const rejected = new Set(report.rejected.map((r) => r.hash))
  const out = new Map<string, SignedEnvelope>()
  const ordered = [...envelopes].sort((a, b) => a.envelope.lamport - b.envelope.lamport || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
  for (const signed of ordered) {
    const { envelope } = signed
    if (envelope.type !== 'FINALIZE' || rejected.has(signed.hash) || out.has(envelope.author)) continue
    const body = envelope.body as { termsHash?: unknown }
    if (report.signers.includes(envelope.author) && body.termsHash === report.termsHash) out.set(envelope.author, signed)
  }
  return out
}

const STYLE = `
body{font:11pt/1.45 Georgia,"Times New Roman",serif;color:#111;max-width:48rem;margin:2rem auto;padding:0 1.5rem}
h1{font-size:20pt;margin:0 0 .25rem}h2{font-size:13pt;margin:1.6rem 0 .5rem;border-bottom:1px solid #999}
.kind{letter-spacing:.2em;text-transform:uppercase;font-size:9pt;color:#444}
.status{display:inline-block;border:2px solid #111;padding:.1rem .6rem;font-weight:bold;letter-spacing:.05em}
code,pre,.hash{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:9pt;word-break:break-all}
pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem;border:1px solid #ddd}
.clause{margin:.6rem 0;page-break-inside:avoid}.clause-text{white-space:pre-wrap;margin:.2rem 0 0 1.5rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;border-bottom:1px solid #ccc;padding:.3rem .4rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:bold}dd{margin:0}
.note{font-size:9pt;color:#444}
@page{size:A4;margin:18mm}@media print{body{margin:0;max-width:none}pre{background:none}}
`

function cspContent(): string {
  const styleHash = createHash('sha256').update(STYLE).digest('base64')
  return `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'none'; base-uri 'none'; form-action 'none'`
}

/** HTML-escapes after removing controls and bidi overrides (display-text.ts). */
function esc(value: string, multiline = false): string {
  return displayText(value, { multiline })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

function certificateHtml(report: VerifyReport, finals: Map<string, SignedEnvelope>, bundleFileName: string): string {
  const negotiation = report.negotiation ?? ''
  const termsHash = report.termsHash ?? ''
  const verifiedAt = new Date(report.at).toISOString()
  const clauses = report.clauses
    .map(
      (c, i) => `<div class="clause"><div><strong>${i + 1}. ${esc(c.title)}</strong> <code>[${esc(c.id)}]</code></div>
<div class="clause-text">${esc(c.text, true)}</div></div>`,
    )
    .join('\n')
  const signers = report.signers
    .map((key) => {
      const name = report.names[key]
      return `<tr><td>${name ? esc(name) : '<em>(no name given)</em>'}</td><td><strong class="hash">${esc(fingerprint(key))}</strong></td><td class="hash">${esc(key)}</td></tr>`
    })
    .join('\n')
  const bindingInput = canonicalizeStrict({ negotiation, termsHash, signers: report.signers })
  const bindingCheck =
    report.bindingHash !== null && sha256Hex(bindingInput) === report.bindingHash
      ? `<p>The binding hash is SHA-256 of this exact text (JCS of negotiation, terms hash and signers):</p>
<pre>${esc(`printf '%s' ${shellQuote(bindingInput)} | openssl dgst -sha256`)}</pre>`
      : ''
  const signatureChecks = [...finals.entries()].map(([key, signed]) => signatureCheck(key, signed, report)).join('\n')

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(cspContent())}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.title ?? 'Agreement')}: certificate of agreement</title>
<style>${STYLE}</style>
</head>
<body>
<p class="kind">Certificate of agreement &middot; Trust Primitive</p>
<h1>${esc(report.title ?? '')}</h1>
<p><span class="status">${esc(report.status ?? '')}</span> &nbsp;as recomputed from the signed messages on ${esc(verifiedAt)}</p>
<dl>
<dt>Binding hash</dt><dd class="hash">${esc(report.bindingHash ?? '(not binding)')}</dd>
<dt>Terms hash</dt><dd class="hash">${esc(termsHash)}</dd>
<dt>Negotiation id</dt><dd class="hash">${esc(negotiation)}</dd>
<dt>Consensus</dt><dd>${report.signers.length} signer(s) of ${report.participants.length} participant(s); ${report.requiredConsensus ?? '?'} required</dd>
${report.deadline ? `<dt>Deadline</dt><dd>${esc(report.deadline)}</dd>` : ''}
${report.rejected.length > 0 ? `<dt>Rejected messages</dt><dd>${report.rejected.length} signed but illegal message(s), which change nothing</dd>` : ''}
</dl>

<h2>Terms</h2>
${clauses}

<h2>Signers</h2>
<table>
<thead><tr><th>Name (unsigned label)</th><th>Fingerprint</th><th>Public key (Ed25519)</th></tr></thead>
<tbody>
${signers}
</tbody>
</table>
<p class="note">Names come from the bundle and are not signed. Compare each fingerprint with its owner, by voice or in person.</p>

<h2>How to verify</h2>
<p>This page is a summary. The evidence is the bundle file <code>${esc(bundleFileName)}</code>: every message of the negotiation, each signed by its author. Anyone can recompute the agreement from it, offline, with no account and no key:</p>
<pre>npx trust verify ${esc(shellQuote(bundleFileName))}</pre>
<p>It must print VALID, status ${esc(report.status ?? '')} and the binding hash above. The signatures are plain Ed25519 (RFC 8032) over <code>"trust-primitive/v1:"</code> followed by the RFC 8785 canonical JSON of the message without its <code>sig</code>, so any Ed25519 tool can check one. With OpenSSL 3, for each signer's final signature:</p>
${signatureChecks}
${bindingCheck}
<p class="note">Terms hash: SHA-256 of the canonical JSON of the clause list. Binding hash: SHA-256 of the canonical JSON of {negotiation, termsHash, signers}. Each FINALIZE above signs the terms hash.</p>
</body>
</html>
`
}

function signatureCheck(key: string, signed: SignedEnvelope, report: VerifyReport): string {
  const name = report.names[key]
  const text = envelopeSigningText(signed.envelope as unknown as Record<string, unknown>)
  const command = [
    `printf '%s' ${shellQuote(text)} > msg.bin`,
    `echo ${signed.envelope.sig} | xxd -r -p > sig.bin`,
    'openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in msg.bin -sigfile sig.bin',
  ].join('\n')
  return `<h3>${name ? esc(name) : esc(fingerprint(key))}: FINALIZE <span class="hash">${esc(signed.hash)}</span></h3>
<p>Save the public key as <code>pub.pem</code>:</p>
<pre>${esc(publicKeyPem(key), true)}</pre>
<p>then run (it prints <code>Signature Verified Successfully</code>):</p>
<pre>${esc(command, true)}</pre>`
}

/** POSIX single quotes: nothing inside is special to the shell but the quote itself. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}
