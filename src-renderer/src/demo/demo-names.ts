/**
 * How the demo screen names things: a key by its party's name when it is one of
 * the two, else by its first hex digits; a side by its party. DOM-free.
 */
import type { DemoActor, DemoParty, DemoSide } from '../../../src-main/api.js'

export const SIDE_NAMES: Readonly<Record<DemoSide, string>> = { alice: 'Alice', bob: 'Bob' }

export const ACTOR_NAMES: Readonly<Record<DemoActor, string>> = {
  alice: 'Alice',
  bob: 'Bob',
  mallory: 'Mallory (not a party)',
  'bob-modified': "Bob's modified app",
  demo: 'The demo',
}

export function nameOfKey(key: string, parties: readonly DemoParty[]): string {
  return parties.find((p) => p.publicKey === key)?.name ?? `key ${key.slice(0, 8)}`
}

export function namesOf(keys: readonly string[], parties: readonly DemoParty[]): string {
  return keys.length === 0 ? 'nobody yet' : keys.map((k) => nameOfKey(k, parties)).join(', ')
}

/** "a, b and c" */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

export function shortHash(hash: string): string {
  return hash.slice(0, 8)
}
