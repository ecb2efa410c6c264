/**
 * `trust certificate FILE [--out FILE.html] [--at TIME]`: verifies an agreement
 * bundle and writes its printable certificate (DESIGN section 10). An invalid
 * bundle gets no certificate: exit 1 with the verification error.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { TrustError } from '../../core/errors.js'
import { displayText } from '../../core/bundle/display-text.js'
import { EXIT_OK, type Command } from '../command.js'
import { parseTimeFlag } from '../parse-time.js'
import { readInputFile } from '../read-input-file.js'
import { profileDirFrom } from '../profile-flags.js'
import { bundleFromProfile, isNegotiationRef } from '../profile-bundle.js'

export const certificateCommand: Command = {
  name: 'certificate',
  summary: 'write the printable HTML certificate of a valid agreement bundle',
  help: `Usage: trust certificate FILE|NEGOTIATION [--out FILE.html] [--at TIME] [--profile DIR]

Verifies the bundle FILE (as \`trust verify\` does), or the bundle of
NEGOTIATION (an id or 8+ hex prefix) exported from the profile, and writes a self-contained,
printable HTML certificate: title, terms, signers with fingerprints, binding
hash, and how to re-check it all. An invalid bundle is refused.

Options:
  --out FILE   where to write (default: next to the bundle, <name>.certificate.html)
  --at TIME    evaluate deadlines at TIME (ISO 8601 or ms since the epoch)
  --profile DIR  for NEGOTIATION: the profile (default: $TRUST_PROFILE, else ~/.trust-primitive/default)
  -h, --help   show this help

Exit codes: 0 written, 1 invalid or unreadable bundle, 2 bad usage.
`,
  options: {
    out: { type: 'string', short: 'o' },
    at: { type: 'string' },
    profile: { type: 'string' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const file = args.positionals[0] as string
    const at = typeof args.values.at === 'string' ? parseTimeFlag('--at', args.values.at) : Date.now()
    // Loaded on use, so `trust --help` and other commands do not pay for the protocol.
    const { MAX_BUNDLE_BYTES } = await import('../../core/bundle/bundle.js')
    const { renderCertificate } = await import('../../core/bundle/certificate.js')
    let out: string
    let html: string
    if (!existsSync(file) && isNegotiationRef(file)) {
      // A negotiation in a profile (trust certificate NEGOTIATION [--profile DIR]).
      const { negotiation, text } = await bundleFromProfile(file, profileDirFrom(args.values.profile, io.env))
      const name = `${negotiation.slice(0, 16)}.trust.json`
      out = typeof args.values.out === 'string' ? args.values.out : defaultCertificatePath(name)
      html = renderCertificate(text, { at, bundleFileName: name })
    } else {
      out = typeof args.values.out === 'string' ? args.values.out : defaultCertificatePath(file)
      html = renderCertificate(readInputFile(file, MAX_BUNDLE_BYTES), { at, bundleFileName: basename(file) })
    }
    try {
      writeFileSync(out, html, { mode: 0o644 })
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown error'
      throw TrustError.invalidInput(`cannot write ${out} (${code})`)
    }
    io.stdout(`wrote ${displayText(out)}\n`)
    return EXIT_OK
  },
}

/** `deal.trust.json` -> `deal.certificate.html`, in the bundle's folder. */
export function defaultCertificatePath(bundlePath: string): string {
  const name = basename(bundlePath).replace(/(\.trust)?\.json$/i, '')
  return join(dirname(bundlePath), `${name || 'agreement'}.certificate.html`)
}
