/**
 * `trust demo --ui [--port P]` opens the same story as the app's live demo
 * screen in a browser (demo-ui.ts).
 *
 * `trust demo [--parties N] [--json] [--out DIR]` (DESIGN section 11, README's
 * main command): N peers (2..5) with temporary profiles on an embedded DHT run a
 * whole negotiation to BINDING, step by step with timings and each party's
 * growing receipt chain. Writes the agreement bundle `<negotiation-prefix>.trust.json`
 * and each party's latest signed checkpoint `<name>.checkpoint` to DIR, then
 * verifies the bundle with the code `trust verify` runs. Exit 0 only when every
 * party is BINDING with one binding hash and the bundle verifies.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIo, type Command } from '../command.js'
import { portFrom } from '../profile-flags.js'

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run a whole negotiation between 2 to 5 local peers, to a verified agreement',
  help: `Usage: trust demo [--parties N] [--json] [--out DIR]
       trust demo --ui [--port P]

Starts an embedded DHT on 127.0.0.1 and N peers (Alice, Bob, then Carol, Dave,
Erin) with temporary profiles, and runs a negotiation through the same API the
app uses: identities, contact cards, an invite, offers and a counter-offer, a
locked clause, accept, finalize to BINDING, and an offer refused afterwards.
Then it writes the agreement bundle and every party's signed receipt checkpoint
to DIR and verifies the bundle as \`trust verify\` does.

With --ui it runs the live demo in a browser instead: Alice and Bob as two
peers with temporary profiles, a screen with the state machine and the hash
chain, step by step or by autoplay. It prints one line,
  demo http://127.0.0.1:<port>/#token=<token>&to=/demo
to open in a browser on this computer (\`npm run build\` must have built the
app), and runs until Ctrl-C. Your own profile is never opened.

Options:
  --ui         the live demo in a browser (see above)
  --port P     with --ui: TCP port (default: a free one)
  --parties N  2 to 5 (default 2); k is n for two parties, a majority otherwise
  --json       also print a JSON summary as the last line of stdout:
               {status, negotiation, bindingHash, bundle, parties, messages, ms}
  --out DIR    where to write <id>.trust.json and <name>.checkpoint (default: .)
  -h, --help   show this help

Exit codes: 0 every party BINDING with one binding hash and the bundle valid,
1 otherwise, 2 bad usage.
`,
  options: {
    parties: { type: 'string', short: 'n' },
    json: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    ui: { type: 'boolean' },
    port: { type: 'string', short: 'p' },
  },
  positionals: [0, 0],
  async run(args, io) {
    if (args.values.ui === true) {
      const clash = ['parties', 'json', 'out'].filter((k) => args.values[k] !== undefined)
      if (clash.length > 0) throw new UsageError(`--ui runs the demo in a browser; it takes no --${clash.join(', --')}`)
      const { runDemoUi } = await import('../demo-ui.js')
      return runDemoUi(io, portFrom(args.values.port, 0))
    }
    if (args.values.port !== undefined) throw new UsageError('--port goes with --ui')
    const parties = partiesFrom(args.values.parties)
    const outDir = path.resolve(typeof args.values.out === 'string' ? args.values.out : '.')
    fs.mkdirSync(outDir, { recursive: true })
    const { runDemo } = await import('../../core/node/demo-scenario.js')
    const { serializeBundle } = await import('../../core/bundle/export-bundle.js')
    const { verifyBundle } = await import('../../core/bundle/verify-bundle.js')
    const { MAX_BUNDLE_BYTES } = await import('../../core/bundle/bundle.js')
    const { readInputFile } = await import('../read-input-file.js')
    const { formatReport } = await import('../format-report.js')

    const started = performance.now()
    const profilesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-demo-'))
    let bundleFile = ''
    let bundleValid = false
    io.stdout(`trust demo: ${parties} parties, each a full peer with its own profile, over a DHT on 127.0.0.1\n\n`)
    try {
      const result = await runDemo({
        parties,
        profilesDir,
        onStep: (step) => printStep(io, step),
        async atEnd(nodes, res) {
          const bundle = await nodes[0]!.node.call('negotiations.export', { negotiation: res.negotiation })
          bundleFile = path.join(outDir, `${res.negotiation.slice(0, 16)}.trust.json`)
          fs.writeFileSync(bundleFile, serializeBundle(bundle as Parameters<typeof serializeBundle>[0]))
          io.stdout(`wrote ${bundleFile}\n`)
          for (const p of nodes) {
            const { note } = (await p.node.call('receipts.checkpoint')) as { note: string }
            const file = path.join(outDir, `${p.name.toLowerCase()}.checkpoint`)
            fs.writeFileSync(file, note)
            io.stdout(`wrote ${file} (${p.name}'s receipt log: ${note.split('\n')[1]} receipts, signed)\n`)
          }
        },
      })
      // The same code path as `trust verify FILE`: read the file back, recompute everything.
      const report = verifyBundle(readInputFile(bundleFile, MAX_BUNDLE_BYTES))
      bundleValid = report.valid && report.bindingHash === result.bindingHash
      io.stdout(`\n${formatReport(report, bundleFile)}`)
      const ok = result.converged && bundleValid
      const ms = Math.round(performance.now() - started)
      io.stdout(
        ok
          ? `\nBINDING at all ${parties} parties with one binding hash ${result.bindingHash}; the bundle verifies offline (${ms} ms)\n`
          : `\nFAILED: ${result.converged ? 'the bundle did not verify' : 'the parties did not all reach BINDING with one binding hash'}\n`,
      )
      if (args.values.json === true) {
        const summary = {
          status: ok ? 'BINDING' : 'FAILED',
          negotiation: result.negotiation,
          bindingHash: result.bindingHash,
          bundle: bundleFile,
          parties: result.parties,
          messages: result.messages,
          ms,
        }
        io.stdout(`${JSON.stringify(summary)}\n`)
      }
      return ok ? EXIT_OK : EXIT_FAILURE
    } finally {
      fs.rmSync(profilesDir, { recursive: true, force: true })
    }
  },
}

function partiesFrom(value: unknown): number {
  if (value === undefined) return 2
  if (typeof value !== 'string' || !/^[2-5]$/.test(value)) throw new UsageError(`--parties must be 2, 3, 4 or 5; got ${JSON.stringify(value)}`)
  return Number(value)
}

function printStep(
  io: CliIo,
  step: { index: number; title: string; lines: string[]; ms: number; receipts: { name: string; count: number; head: string | null }[] },
): void {
  io.stdout(`${String(step.index).padStart(2)}. ${step.title}  (${step.ms} ms)\n`)
  for (const line of step.lines) io.stdout(`      ${line}\n`)
  const chain = step.receipts.map((r) => `${r.name} #${r.count}${r.head ? ` ${r.head.slice(0, 8)}` : ''}`).join('  ')
  if (chain) io.stdout(`      receipts: ${chain}\n`)
}
