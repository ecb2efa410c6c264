/**
 * The human summary of `trust verify` (DESIGN section 10): title, terms, signers
 * with fingerprints, binding hash, rejected messages; or the first failure.
 * Every string from the bundle goes through displayText: a clause may carry
 * terminal escape sequences or bidi controls meant to mislead the reader.
 */
import { fingerprint } from '../core/crypto/ed25519.js'
import { displayText } from '../core/bundle/display-text.js'
import type { VerifyReport } from '../core/bundle/verify-bundle.js'

export function formatReport(report: VerifyReport, file: string): string {
  const lines: string[] = []
  const fileName = displayText(file)
  if (!report.valid) {
    lines.push(`INVALID agreement bundle: ${fileName}`)
    if (report.error) {
      const where = report.error.index === undefined ? '' : ` (envelope ${report.error.index})`
      lines.push(`error${where}: ${displayText(report.error.message)}`)
    }
    if (report.status !== null) lines.push(`recomputed status: ${report.status} as of ${iso(report.at)}`)
    return lines.join('\n') + '\n'
  }

  lines.push(`VALID agreement bundle: ${fileName}`)
  lines.push('')
  lines.push(`Title:          ${displayText(report.title ?? '')}`)
  lines.push(`Negotiation:    ${report.negotiation ?? ''}`)
  lines.push(`Status:         ${report.status ?? ''} (recomputed as of ${iso(report.at)})`)
  if (report.deadline) lines.push(`Deadline:       ${report.deadline}`)
  lines.push(`Terms hash:     ${report.termsHash ?? ''}`)
  lines.push(`Binding hash:   ${report.bindingHash ?? '(none: not binding)'}`)
  lines.push('')
  lines.push(`Terms (${report.clauses.length} clause${report.clauses.length === 1 ? '' : 's'}):`)
  report.clauses.forEach((clause, i) => {
    lines.push(`  ${i + 1}. [${displayText(clause.id)}] ${displayText(clause.title)}`)
    for (const line of displayText(clause.text, { multiline: true }).split('\n')) lines.push(`     ${line}`)
  })
  lines.push('')
  const k = report.requiredConsensus
  lines.push(`Signers (${report.signers.length}${k === null ? '' : `, ${k} required`}):`)
  if (report.signers.length === 0) lines.push('  (none yet)')
  for (const key of report.signers) lines.push(`  ${signerLine(report, key)}`)
  if (report.equivocations.length > 0) {
    lines.push('')
    lines.push(`Equivocation (${report.equivocations.length}; one signer signed two versions of one message, evidence against it):`)
    for (const e of report.equivocations) {
      lines.push(`  ${signerLine(report, e.author)}  message ${e.seq}:`)
      for (const hash of e.hashes) lines.push(`    ${hash}`)
    }
  }
  if (report.rejected.length > 0) {
    lines.push('')
    lines.push(`Rejected messages (${report.rejected.length}; signed but illegal, they change nothing):`)
    for (const r of report.rejected) {
      lines.push(`  ${r.hash}  ${r.type} by ${fingerprint(r.author)}: ${r.reason}`)
    }
  }
  lines.push('')
  lines.push('Names are labels from the bundle, not signed: compare fingerprints with the people themselves.')
  return lines.join('\n') + '\n'
}

function signerLine(report: VerifyReport, key: string): string {
  const name = report.names[key]
  return `${fingerprint(key)}  ${name ? `${name}  ` : ''}${key}`
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
