/**
 * `trust serve` (DESIGN section 11): the headless peer. Runs createNode on a
 * profile and serves the whole TrustApi as JSON-RPC 2.0 over WebSocket on
 * 127.0.0.1, with /metrics and the browser UI on the same port. stdout carries
 * exactly two lines, `api ws://127.0.0.1:<port>/api?token=<token>` then
 * `app http://127.0.0.1:<port>/#token=<token>`; logs go to the profile. SIGINT
 * and SIGTERM close everything and release the profile.
 */
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { EXIT_OK, UsageError, type Command } from '../command.js'
import { networkFrom, portFrom, profileDirFrom, untilSignal } from '../profile-flags.js'

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the peer headless and serve the API as JSON-RPC on 127.0.0.1',
  help: `Usage: trust serve [--profile DIR] [--network MODE] [--port P] [--seeder KEY]...

Runs the peer on a profile and serves the TrustApi as JSON-RPC 2.0 over
WebSocket on 127.0.0.1 only, and the app in a browser. Prints two lines:
  api ws://127.0.0.1:<port>/api?token=<token>
  app http://127.0.0.1:<port>/#token=<token>
Open the app line in a browser on this machine: the page takes the token from
the address (the part after #, which is never sent to a server) and connects.
The page needs \`npm run build\` to have built it. API connections without the
token are refused. Metrics are at /metrics on the same port (same token). Logs
are JSON lines in DIR/logs/trust.log. Stops on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --profile DIR   profile directory (default: $TRUST_PROFILE, else ~/.trust-primitive/default)
  --network MODE  local (default: an embedded DHT on 127.0.0.1), public, or
                  bootstrap=host:port,... (a private DHT, see \`trust bootstrap\`)
  --port P        TCP port (default: a free one)
  --seeder KEY    add a seeder (the key \`trust seeder\` prints) to the profile's
                  list; repeatable. Seeders keep your encrypted feeds while you
                  are offline. On SIGTERM the peer waits up to 10 s for them to
                  hold everything you signed.
  --log-level L   fatal, error, warn, info (default), debug, trace or silent
  -h, --help      show this help

Environment:
  TRUST_API_TOKEN  use this token (16 to 256 of A-Z a-z 0-9 _ -) instead of a
                   fresh random one, so a restart keeps the links working; keep
                   it as secret as the links themselves

Exit codes: 0 stopped cleanly, 1 could not start (e.g. PROFILE_LOCKED), 2 bad usage.
`,
  options: {
    profile: { type: 'string' },
    network: { type: 'string' },
    port: { type: 'string', short: 'p' },
    'log-level': { type: 'string' },
    seeder: { type: 'string', multiple: true },
  },
  positionals: [0, 0],
  async run(args, io) {
    const profileDir = profileDirFrom(args.values.profile, io.env)
    const network = networkFrom(args.values.network)
    const port = portFrom(args.values.port, 0)
    const logLevel = typeof args.values['log-level'] === 'string' ? args.values['log-level'] : 'info'
    const seeders = seederKeysFrom(args.values.seeder)
    const { createNode } = await import('../../core/node.js')
    const { startJsonRpcServer } = await import('../../web/jsonrpc-server.js')
    const ui = staticUi()
    const node = await createNode({ profileDir, network, logLevel: logLevel as 'info', seeders })
    let server
    try {
      server = await startJsonRpcServer({
        port,
        dispatch: (method, params) => node.call(method, params),
        methods: node.methods,
        events: { on: (listener) => node.on(listener) },
        metricsText: () => node.metrics.text(),
        logger: node.logger,
        ...(io.env.TRUST_API_TOKEN ? { token: io.env.TRUST_API_TOKEN } : {}),
        ...ui,
      })
    } catch (err) {
      await node.close()
      throw err
    }
    node.logger.info({ port: server.port }, 'JSON-RPC server listening')
    io.stdout(`api ${server.url}\napp ${server.appUrl}\n`)
    if (!ui.staticDir) io.stderr('trust serve: the browser app is not built yet; run `npm run build`, then open the app line\n')
    const signal = await untilSignal()
    node.logger.info({ signal }, 'stopping')
    await server.close()
    await node.close()
    return EXIT_OK
  },
}

function seederKeysFrom(flag: unknown): string[] {
  const keys = Array.isArray(flag) ? flag : typeof flag === 'string' ? [flag] : []
  for (const key of keys) {
    if (typeof key !== 'string' || !/^[0-9a-f]{64}$/.test(key)) throw new UsageError(`--seeder takes a seeder's public key, 64 lowercase hex characters; got ${JSON.stringify(key)}`)
  }
  return keys as string[]
}

/** The built renderer (`npm run build` writes out/renderer), when there is one. */
function staticUi(): { staticDir?: string } {
  const dir = fileURLToPath(new URL('../../../out/renderer/', import.meta.url))
  return fs.existsSync(`${dir}index.html`) ? { staticDir: dir } : {}
}
