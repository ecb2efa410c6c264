/**
 * `trust bootstrap`: a DHT bootstrap node for a private network
 * (`bootstrap=host:port` mode, DESIGN section 5). hyperdht makes one with
 * DHT.bootstrapper(port, host): a persistent, non-firewalled node that knows
 * its own address and needs no other bootstrap.
 */
import DHT from 'hyperdht'
import { isIPv4 } from 'node:net'
import { TrustError } from '../errors.js'

export interface BootstrapNode {
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

export async function startBootstrapNode(port: number, host = '127.0.0.1'): Promise<BootstrapNode> {
  if (!Number.isSafeInteger(port) || port < 1 || port > 65535) {
    throw TrustError.invalidInput('a bootstrap node port must be an integer from 1 to 65535')
  }
  // hyperdht refuses 0.0.0.0: the node must announce one address peers can reach.
  if (!isIPv4(host) || host === '0.0.0.0') throw TrustError.invalidInput('a bootstrap node host must be a unicast IPv4 address')
  let node: DHT | null = null
  try {
    node = DHT.bootstrapper(port, host, { host })
    await node.ready()
  } catch (err) {
    await node?.destroy().catch(() => {})
    throw new TrustError('NETWORK', `could not start a bootstrap node on ${host}:${port}: ${TrustError.from(err).message}`)
  }
  const running = node
  let closed = false
  return {
    host,
    port: running.address().port,
    async close() {
      if (closed) return
      closed = true
      await running.destroy()
    },
  }
}
