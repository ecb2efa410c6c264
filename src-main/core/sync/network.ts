/**
 * One network per process (DESIGN section 5): it makes a Hyperswarm per peer and
 * closes everything it made. `local` runs an embedded DHT on 127.0.0.1
 * (hyperdht/testnet) and binds every swarm's DHT node there, so nothing leaves
 * the machine; `bootstrap=` uses a private DHT; only `public` uses Hyperswarm's
 * default bootstrap nodes.
 */
import Hyperswarm from 'hyperswarm'
import DHT from 'hyperdht'
import createTestnet, { type Testnet } from 'hyperdht/testnet'
import { TrustError } from '../errors.js'
import { parseNetworkMode, type NetworkMode } from './network-mode.js'

export interface SwarmOptions {
  /** Return true to refuse a connection from or to this swarm key (Hyperswarm `firewall`). */
  firewall?: (remoteSwarmKey: Uint8Array) => boolean
  /** A fixed swarm key pair (a seeder keeps its key across restarts); default a fresh one. */
  keyPair?: { publicKey: Uint8Array; secretKey: Uint8Array }
}

export interface Network {
  readonly mode: NetworkMode
  /** The DHT bootstrap addresses in use (empty for `public`: Hyperswarm's defaults). */
  readonly bootstrap: { host: string; port: number }[]
  createSwarm(opts?: SwarmOptions): Hyperswarm
  /** Destroys every swarm made here, then the embedded DHT. Idempotent. */
  close(): Promise<void>
}

/** Nodes of the embedded DHT in `local` mode; 3 is enough for announces to land on loopback. */
const LOCAL_DHT_NODES = 3

const LOOPBACK = new Set(['127.0.0.1', 'localhost'])

export async function createNetwork(modeOrText: NetworkMode | string): Promise<Network> {
  const mode = typeof modeOrText === 'string' ? parseNetworkMode(modeOrText) : modeOrText
  let testnet: Testnet | null = null
  let bootstrap: { host: string; port: number }[] = []
  if (mode.kind === 'local') {
    try {
      testnet = await createTestnet(LOCAL_DHT_NODES, { host: '127.0.0.1' })
    } catch (err) {
      throw new TrustError('NETWORK', `could not start the local DHT: ${TrustError.from(err).message}`)
    }
    bootstrap = testnet.bootstrap.map((b) => ({ ...b }))
  } else if (mode.kind === 'bootstrap') {
    bootstrap = mode.nodes.map((n) => ({ ...n }))
  }
  // A private DHT whose bootstrap nodes are all on this machine binds to loopback too.
  const loopbackOnly = mode.kind === 'bootstrap' && mode.nodes.every((n) => LOOPBACK.has(n.host))

  const swarms = new Set<Hyperswarm>()
  let closed = false

  return {
    mode,
    bootstrap,
    createSwarm(opts: SwarmOptions = {}): Hyperswarm {
      if (closed) throw new TrustError('CLOSED', 'the network is closed')
      const firewall = opts.firewall
      const swarmOpts = {
        ...(firewall ? { firewall: (key: Buffer) => firewall(key) } : {}),
        ...(opts.keyPair ? { keyPair: { publicKey: Buffer.from(opts.keyPair.publicKey), secretKey: Buffer.from(opts.keyPair.secretKey) } } : {}),
      }
      let swarm: Hyperswarm
      if (testnet) {
        swarm = new Hyperswarm({ ...swarmOpts, dht: testnet.createNode() })
      } else if (mode.kind === 'bootstrap') {
        // On loopback a node is reachable by definition, but a lone bootstrapper cannot
        // prove it, so hyperdht would mark it firewalled and holepunch; between OS
        // processes the first connection then often stalls 10-30 s. Say so up front.
        const dht = new DHT({ bootstrap, ...(loopbackOnly ? { host: '127.0.0.1', firewalled: false } : {}) })
        swarm = new Hyperswarm({ ...swarmOpts, dht })
      } else {
        swarm = new Hyperswarm(swarmOpts)
      }
      swarms.add(swarm)
      return swarm
    },
    async close(): Promise<void> {
      if (closed) return
      closed = true
      await Promise.allSettled([...swarms].map((s) => s.destroy()))
      swarms.clear()
      if (testnet) await testnet.destroy()
    },
  }
}
