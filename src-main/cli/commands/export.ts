/**
 * `trust export NEGOTIATION [--profile DIR] [--out FILE]` (DESIGN section 10):
 * writes the agreement bundle of a negotiation held in a profile, for anyone to
 * check with `trust verify`, offline.
 */
import fs from 'node:fs'
import path from 'node:path'
import { TrustError } from '../../core/errors.js'
import { EXIT_OK, type Command } from '../command.js'
import { profileDirFrom } from '../profile-flags.js'
import { bundleFromProfile } from '../profile-bundle.js'

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the agreement bundle (*.trust.json) of a negotiation in a profile',
  help: `Usage: trust export NEGOTIATION [--profile DIR] [--out FILE]

Writes every signed envelope of the negotiation, the names you know and the
state you hold, as one bundle that \`trust verify\` checks with no network,
profile or key. NEGOTIATION is its id or a unique prefix (8+ hex characters).
The profile must not be open elsewhere (while \`trust serve\` runs on it, use
its negotiations.export method instead).

Options:
  --profile DIR  profile directory (default: $TRUST_PROFILE, else ~/.trust-primitive/default)
  --out FILE     where to write (default: ./<id prefix>.trust.json)
  -h, --help     show this help

Exit codes: 0 written, 1 failed (unknown negotiation, profile in use), 2 bad usage.
`,
  options: {
    profile: { type: 'string' },
    out: { type: 'string', short: 'o' },
  },
  positionals: [1, 1],
  async run(args, io) {
    const profileDir = profileDirFrom(args.values.profile, io.env)
    const { negotiation, text } = await bundleFromProfile(args.positionals[0] as string, profileDir)
    const out = path.resolve(typeof args.values.out === 'string' ? args.values.out : `${negotiation.slice(0, 16)}.trust.json`)
    try {
      fs.writeFileSync(out, text, { mode: 0o644 })
    } catch (err) {
      throw TrustError.invalidInput(`cannot write ${out} (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`)
    }
    io.stdout(`wrote ${out}\n`)
    return EXIT_OK
  },
}
