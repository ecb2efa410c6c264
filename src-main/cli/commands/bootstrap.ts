/**
 * `trust bootstrap [--port P]` (DESIGN section 11): a DHT bootstrap node on
 * 127.0.0.1, so peers in separate processes find each other with
 * `--network bootstrap=127.0.0.1:P`. Prints `bootstrap 127.0.0.1:<port>` once
 * it is listening, then runs until SIGINT or SIGTERM.
 */
import dgram from 'node:dgram'
import { EXIT_OK, type Command } from '../command.js'
import { portFrom, untilSignal } from '../profile-flags.js'

export const bootstrapCommand: Command = {
  name: 'bootstrap',
  summary: 'run a private DHT bootstrap node on 127.0.0.1',
  help: `Usage: trust bootstrap [--port P]

Runs a DHT bootstrap node bound to 127.0.0.1 and prints one line
\`bootstrap 127.0.0.1:<port>\`. Start peers with
\`trust serve --network bootstrap=127.0.0.1:<port>\` to form a private network.
Stops on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --port P     UDP port (default: a free one)
  -h, --help   show this help
`,
  options: { port: { type: 'string', short: 'p' } },
  positionals: [0, 0],
  async run(args, io) {
    const asked = portFrom(args.values.port, 0)
    const { startBootstrapNode } = await import('../../core/sync/index.js')
    const node = await startBootstrapNode(asked === 0 ? await freeUdpPort() : asked)
    io.stdout(`bootstrap ${node.host}:${node.port}\n`)
    await untilSignal()
    await node.close()
    return EXIT_OK
  },
}

/** hyperdht's bootstrapper needs a fixed port: ask the OS for a free one. */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4')
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address()
      socket.close(() => resolve(port))
    })
  })
}
