/**
 * `trust verify FILE [--json] [--at TIME]` (DESIGN section 10): recomputes an
 * agreement bundle offline. Exit 0 when valid, 1 when not (or unreadable).
 * Needs no network, no profile and no key.
 */
import { TrustError } from '../../core/errors.js'
import type { VerifyReport } from '../../core/bundle/verify-bundle.js'
import { EXIT_FAILURE, EXIT_OK, type CliIo, type Command } from '../command.js'
import { parseTimeFlag } from '../parse-time.js'
import { readInputFile } from '../read-input-file.js'
import { formatError } from '../print-error.js'

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check an agreement bundle (*.trust.json) offline',
  help: `Usage: trust verify FILE [--json] [--at TIME]

Recomputes an agreement bundle from its signed envelopes alone: every hash and
signature, the negotiation id, the negotiation state, and compares them with
what the bundle claims. Needs no network, no profile and no key.

Options:
  --json       print {valid, status, termsHash, bindingHash, signers, rejected, error?}
  --at TIME    evaluate deadlines at TIME (ISO 8601 with Z or an offset, or ms
               since the epoch) instead of now
  -h, --help   show this help

Exit codes: 0 valid, 1 invalid or unreadable, 2 bad usage.
`,
  options: {
    json: { type: 'boolean' },
    at: { type: 'string' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const file = args.positionals[0] as string
    const json = args.values.json === true
    const at = typeof args.values.at === 'string' ? parseTimeFlag('--at', args.values.at) : Date.now()

    // Loaded on use, so `trust --help` and other commands do not pay for the protocol.
    const { MAX_BUNDLE_BYTES } = await import('../../core/bundle/bundle.js')
    const { reportJson, verifyBundle } = await import('../../core/bundle/verify-bundle.js')
    const { formatReport } = await import('../format-report.js')
    let report: VerifyReport
    try {
      report = verifyBundle(readInputFile(file, MAX_BUNDLE_BYTES), { at })
    } catch (err) {
      return await printUnreadable(err, json, io)
    }
    if (json) io.stdout(`${JSON.stringify(reportJson(report), null, 2)}\n`)
    else io.stdout(formatReport(report, file))
    return report.valid ? EXIT_OK : EXIT_FAILURE
  },
}

/** A file that cannot be read is a failure like any other: exit 1, in the asked format. */
async function printUnreadable(err: unknown, json: boolean, io: CliIo): Promise<number> {
  if (json) {
    const { unreadableReport } = await import('../../core/bundle/verify-bundle.js')
    io.stdout(`${JSON.stringify(unreadableReport(err, Date.now()), null, 2)}\n`)
  } else {
    io.stderr(formatError(TrustError.from(err), io.env))
  }
  return EXIT_FAILURE
}
