/**
 * `trust seeder` (DESIGN section 5): an always-on blind peer that keeps and
 * serves the encrypted feeds peers ask it to keep, so counterparties who are
 * never online at the same time can negotiate. stdout carries exactly one line,
 * `seeder <public key>`, once it is listening; logs go to DIR/logs/trust.log.
 * SIGINT and SIGTERM close it cleanly; it serves the same feeds again on restart.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EXIT_OK, UsageError, type Command, type CliIo } from '../command.js'
import { networkFrom, portFrom, untilSignal } from '../profile-flags.js'

const QUOTA_FLAGS = {
  'max-feeds': 'maxFeeds',
  'max-bytes': 'maxBytes',
  'max-peer-feeds': 'maxFeedsPerPeer',
  'max-peer-bytes': 'maxBytesPerPeer',
  'max-entries': 'maxEntries',
  'max-peer-entries': 'maxEntriesPerPeer',
} as const

export const seederCommand: Command = {
  name: 'seeder',
  summary: 'run a seeder: keep and serve encrypted feeds for peers that are offline',
  help: `Usage: trust seeder [--storage DIR] [--network MODE] [--metrics-port P]

Runs a seeder: an always-on blind peer that keeps the feeds peers ask it to
keep and serves them to the other participants, so two parties never online at
the same time can still negotiate. Feeds are encrypted: a seeder can withhold
data, never read or forge it. Prints one line once it is listening:
  seeder <public key>
Give that key to peers (\`trust serve --seeder KEY\`, or Settings in the app).
It keeps serving what it holds across restarts. Logs are JSON lines in
DIR/logs/trust.log. Stops on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --storage DIR        where it keeps feeds, its key and records
                       (default: $TRUST_SEEDER_STORAGE, else ~/.trust-primitive/seeder)
  --network MODE       local (default: an embedded DHT on 127.0.0.1), public, or
                       bootstrap=host:port,... (a private DHT, see \`trust bootstrap\`)
  --metrics-port P     serve Prometheus metrics at http://127.0.0.1:P/metrics; the
                       token (Bearer or ?token=) is in DIR/metrics-token
  --max-feeds N        feeds kept in total (default 100000)
  --max-bytes N        bytes kept in total (default 10 GiB)
  --max-peer-feeds N   feeds one requesting peer may have kept (default 1000)
  --max-peer-bytes N   bytes of the feeds one requesting peer asked for (default 256 MiB)
  --max-entries N      directory entries in total (default 100000)
  --max-peer-entries N directory entries one requesting peer may put (default 1000)
  --log-level L        fatal, error, warn, info (default), debug, trace or silent
  -h, --help           show this help

Exit codes: 0 stopped cleanly, 1 could not start (e.g. PROFILE_LOCKED: another
seeder runs on DIR), 2 bad usage.
`,
  options: {
    storage: { type: 'string' },
    network: { type: 'string' },
    'metrics-port': { type: 'string' },
    'log-level': { type: 'string' },
    ...Object.fromEntries(Object.keys(QUOTA_FLAGS).map((f) => [f, { type: 'string' as const }])),
  },
  positionals: [0, 0],
  async run(args, io) {
    const storageDir = storageDirFrom(args.values.storage, io)
    const network = networkFrom(args.values.network)
    const metricsPort = args.values['metrics-port'] === undefined ? null : portFrom(args.values['metrics-port'], 0)
    const logLevel = typeof args.values['log-level'] === 'string' ? args.values['log-level'] : 'info'
    const quotas: Record<string, number> = {}
    for (const [flag, name] of Object.entries(QUOTA_FLAGS)) {
      const value = args.values[flag]
      if (value === undefined) continue
      if (typeof value !== 'string' || !/^[1-9][0-9]{0,15}$/.test(value) || !Number.isSafeInteger(Number(value))) {
        throw new UsageError(`--${flag} must be a positive integer; got ${JSON.stringify(value)}`)
      }
      quotas[name] = Number(value)
    }
    fs.mkdirSync(storageDir, { recursive: true })
    const { createNetwork } = await import('../../core/sync/index.js')
    const { createLogger } = await import('../../core/telemetry/logger.js')
    const { Seeder } = await import('../../core/seeder/seeder.js')
    const logger = createLogger({ dir: storageDir, level: logLevel as 'info' })
    const net = await createNetwork(network)
    let seeder
    try {
      seeder = await Seeder.open({ storageDir, network: net, logger, quotas })
    } catch (err) {
      await net.close()
      throw err
    }
    let metrics = null
    try {
      if (metricsPort !== null) {
        const { startMetricsServer } = await import('../../web/metrics-server.js')
        const running = seeder
        metrics = await startMetricsServer({ port: metricsPort, token: metricsToken(storageDir), text: () => running.metrics.text(), logger })
        logger.info({ url: metrics.url }, 'metrics listening')
      }
    } catch (err) {
      await seeder.close()
      await net.close()
      throw err
    }
    io.stdout(`seeder ${seeder.publicKey}\n`)
    const signal = await untilSignal()
    logger.info({ signal }, 'stopping')
    await metrics?.close()
    await seeder.close()
    await net.close()
    return EXIT_OK
  },
}

function storageDirFrom(flag: unknown, io: CliIo): string {
  if (typeof flag === 'string') {
    if (flag.trim() === '') throw new UsageError('--storage must be a directory path')
    return path.resolve(flag)
  }
  const fromEnv = io.env.TRUST_SEEDER_STORAGE
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(fromEnv)
  return path.join(os.homedir(), '.trust-primitive', 'seeder')
}

/** The metrics token: made once (32 random bytes, base64url) in DIR/metrics-token, mode 0600. */
function metricsToken(storageDir: string): string {
  const file = path.join(storageDir, 'metrics-token')
  if (!fs.existsSync(file)) {
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
  return fs.readFileSync(file, 'utf8').trim()
}
