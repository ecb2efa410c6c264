/**
 * Network modes (DESIGN section 5): `public`, `local`, or `bootstrap=host:port,...`
 * (a private DHT). Parsed strictly: a typo must not silently fall back to the
 * public DHT.
 */
import { isIPv4 } from 'node:net'
import { TrustError } from '../errors.js'

export interface BootstrapAddress {
  host: string
  port: number
}

export type NetworkMode =
  | { kind: 'public' }
  | { kind: 'local' }
  | { kind: 'bootstrap'; nodes: BootstrapAddress[] }

const MAX_BOOTSTRAP_NODES = 16
// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
const HOSTNAME_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/
const PORT_RE = /^[1-9][0-9]{0,4}$/

function bad(text: string, detail?: Record<string, unknown>): TrustError {
  return TrustError.invalidInput(text, detail)
}

/** Parses one `host:port` (IPv4 or a lowercase host name; port 1-65535, no leading zeros). */
export function parseBootstrapAddress(text: string): BootstrapAddress {
  const colon = text.lastIndexOf(':')
  if (colon <= 0) throw bad(`bootstrap node "${text}" must be host:port`)
  const host = text.slice(0, colon)
  const portText = text.slice(colon + 1)
  if (!isIPv4(host) && (!HOSTNAME_RE.test(host) || /^[0-9.]+$/.test(host))) {
    throw bad(`bootstrap host "${host}" is not an IPv4 address or a host name`)
  }
  if (!PORT_RE.test(portText) || Number(portText) > 65535) {
    throw bad(`bootstrap port "${portText}" must be an integer from 1 to 65535`)
  }
  return { host, port: Number(portText) }
}

export function parseNetworkMode(text: unknown): NetworkMode {
  if (typeof text !== 'string') throw bad('a network mode must be a string')
  if (text === 'public') return { kind: 'public' }
  if (text === 'local') return { kind: 'local' }
  if (!text.startsWith('bootstrap=')) {
    throw bad(`unknown network mode "${text}": use public, local or bootstrap=host:port,...`)
  }
  const list = text.slice('bootstrap='.length)
  if (list === '') throw bad('bootstrap= needs at least one host:port')
  const parts = list.split(',')
  if (parts.length > MAX_BOOTSTRAP_NODES) throw bad(`at most ${MAX_BOOTSTRAP_NODES} bootstrap nodes`)
  const nodes = parts.map(parseBootstrapAddress)
  const seen = new Set<string>()
  for (const n of nodes) {
    const id = `${n.host}:${n.port}`
    if (seen.has(id)) throw bad(`bootstrap node ${id} is listed twice`)
    seen.add(id)
  }
  return { kind: 'bootstrap', nodes }
}

export function formatNetworkMode(mode: NetworkMode): string {
  if (mode.kind !== 'bootstrap') return mode.kind
  return 'bootstrap=' + mode.nodes.map((n) => `${n.host}:${n.port}`).join(',')
}
