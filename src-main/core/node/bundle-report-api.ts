/**
 * `bundles.report` (DESIGN section 10): the same offline verification as
 * `bundles.verify`, with everything the Verify view shows: the signed terms,
 * the participants, the unsigned names and the index of the envelope at fault.
 * Signed text gets the same treatment as in the CLI and the certificate
 * (display-text.ts): control and bidi characters become U+FFFD, so nothing can
 * make the page show other text than what was signed.
 */
import type { BundleReport, TrustApi } from '../../api.js'
import { MAX_BUNDLE_BYTES } from '../bundle/bundle.js'
import { displayText } from '../bundle/display-text.js'
import { verifyBundle, type VerifyReport } from '../bundle/verify-bundle.js'
import { isoTime, paramsOf, str } from './params.js'

export interface BundleReportApiContext {
  /** The node's clock (ms): the fold runs as of now unless `at` is given. */
  now(): number
}

export function bundleReportApi(ctx: BundleReportApiContext): Pick<TrustApi, 'bundles.report'> {
  return {
    'bundles.report': async (params) => {
      const m = 'bundles.report'
      const p = paramsOf(m, params, ['bundle', 'at'])
      const bundle = str(m, p, 'bundle', MAX_BUNDLE_BYTES)
      const at = p.at === undefined ? ctx.now() : Date.parse(isoTime(m, p, 'at'))
      return bundleReportJson(verifyBundle(bundle, { at }))
    },
  }
}

export function bundleReportJson(r: VerifyReport): BundleReport {
  const report: BundleReport = {
    valid: r.valid,
    status: r.status,
    termsHash: r.termsHash,
    bindingHash: r.bindingHash,
    signers: [...r.signers],
    rejected: r.rejected.map((x) => ({ hash: x.hash, reason: x.reason, type: x.type, author: x.author })),
    equivocations: r.equivocations.map((e) => ({ author: e.author, seq: e.seq, hashes: [...e.hashes] })),
    negotiation: r.negotiation,
    title: r.title === null ? null : displayText(r.title),
    clauses: r.clauses.map((c) => ({ id: displayText(c.id), title: displayText(c.title), text: displayText(c.text, { multiline: true }) })),
    participants: [...r.participants],
    requiredConsensus: r.requiredConsensus,
    deadline: r.deadline,
    names: { ...r.names },
    at: new Date(r.at).toISOString(),
  }
  if (r.error) {
    report.error = { code: r.error.code, message: r.error.message, ...(r.error.index === undefined ? {} : { index: r.error.index }) }
  }
  return report
}
