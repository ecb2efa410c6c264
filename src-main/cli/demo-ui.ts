/**
 * `trust demo --ui`: the live demo in a browser, without Electron. A serving node
 * on a throwaway profile (the user's own profile and identity are never opened)
 * starts the demo's two peers and serves the app and the TrustApi on 127.0.0.1,
 * exactly as `trust serve` does; the printed link opens the demo screen. Ctrl-C
 * closes everything and deletes the temporary profiles.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './command.js'
import { untilSignal } from './profile-flags.js'

/** The built renderer (`npm run build` writes out/renderer), or null. */
function builtUi(): string | null {
  const dir = fileURLToPath(new URL('../../out/renderer/', import.meta.url))
  return fs.existsSync(`${dir}index.html`) ? dir : null
}

export async function runDemoUi(io: CliIo, port: number): Promise<number> {
  const staticDir = builtUi()
  if (staticDir === null) {
    io.stderr('trust demo --ui: the browser app is not built yet; run `npm run build` first\n')
    return EXIT_FAILURE
  }
  const { createNode } = await import('../core/node.js')
  const { startJsonRpcServer } = await import('../web/jsonrpc-server.js')
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-demo-ui-'))
  let node: Awaited<ReturnType<typeof createNode>> | null = null
  let server: Awaited<ReturnType<typeof startJsonRpcServer>> | null = null
  try {
    node = await createNode({ profileDir, network: 'local', logLevel: 'warn' })
    const host = node
    server = await startJsonRpcServer({
      port,
      dispatch: (method, params) => host.call(method, params),
      methods: host.methods,
      events: { on: (listener) => host.on(listener) },
      metricsText: () => host.metrics.text(),
      logger: host.logger,
      staticDir,
      ...(io.env.TRUST_API_TOKEN ? { token: io.env.TRUST_API_TOKEN } : {}),
    })
    // The peers come up now, so the first step is quick once the page opens.
    await host.call('demo.start')
    io.stdout(`demo ${server.appUrl}&to=/demo\n`)
    io.stderr(
      'trust demo --ui: Alice and Bob run as two peers with temporary profiles on a DHT on 127.0.0.1.\n' +
        'Open the demo line in a browser on this computer. Ctrl-C stops it and deletes the temporary profiles.\n',
    )
    await untilSignal()
    return EXIT_OK
  } finally {
    await server?.close()
    await node?.close()
    fs.rmSync(profileDir, { recursive: true, force: true })
  }
}
