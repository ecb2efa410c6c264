/**
 * A workaround, to be removed once sync/network.ts does it: on a private DHT whose
 * bootstrap nodes are all on this machine (`bootstrap=127.0.0.1:P`, DESIGN
 * section 5), every DHT node is made non-firewalled. Such a node is reachable on
 * loopback by definition, but a lone bootstrapper cannot prove it, so hyperdht
 * marks it firewalled and holepunches; between OS processes the server side then
 * often drops the first connection and Hyperswarm retries ~15 s later, so a join
 * by invite can wait 10-30 s or time out. Measured here: 2 of 2 raw Hyperswarm
 * runs stalled with default nodes, 3 of 3 connected at once with
 * `firewalled: false`. Other modes go to the network unchanged.
 */
import DHT from 'hyperdht'
import Hyperswarm from 'hyperswarm'
import type { Network } from '../sync/index.js'

const LOOPBACK = new Set(['127.0.0.1', 'localhost'])

export function loopbackFriendly(base: Network): Network {
  const mode = base.mode
  if (mode.kind !== 'bootstrap' || !mode.nodes.every((n) => LOOPBACK.has(n.host))) return base
  return {
    mode,
    bootstrap: base.bootstrap,
    createSwarm: (opts = {}) => {
      const firewall = opts.firewall
      const dht = new DHT({ bootstrap: base.bootstrap, host: '127.0.0.1', firewalled: false })
      // The swarm destroys its DHT node; the replicator destroys the swarm on close.
      return new Hyperswarm({ dht, ...(firewall ? { firewall: (key: Buffer) => firewall(key) } : {}) })
    },
    close: () => base.close(),
  }
}
