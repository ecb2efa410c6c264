/**
 * Reads an agreement bundle out of a profile for `trust export` and
 * `trust certificate NEGOTIATION` (DESIGN sections 10, 11). It opens the profile
 * with createNode, so the profile lock is honoured: while `trust serve` runs on
 * it this fails with PROFILE_LOCKED (use `negotiations.export` over its API).
 * Reading needs no key and no network traffic: the identity stays locked.
 */
import { TrustError } from '../core/errors.js'
import { UsageError } from './command.js'

export interface ProfileBundle {
  negotiation: string
  /** The `*.trust.json` text. */
  text: string
}

/** A full id or a unique prefix of at least 8 hex characters. */
export function isNegotiationRef(value: string): boolean {
  return /^[0-9a-f]{8,64}$/.test(value)
}

export async function bundleFromProfile(ref: string, profileDir: string): Promise<ProfileBundle> {
  if (!isNegotiationRef(ref)) throw new UsageError(`NEGOTIATION must be an id or a prefix of at least 8 lowercase hex characters; got ${JSON.stringify(ref)}`)
  const { createNode } = await import('../core/node.js')
  const { serializeBundle } = await import('../core/bundle/export-bundle.js')
  // `local` only binds an embedded DHT on 127.0.0.1; the locked identity never starts the peer.
  const node = await createNode({ profileDir, network: 'local', logLevel: 'warn' })
  try {
    const list = (await node.call('negotiations.list')) as { negotiation: string }[]
    const matches = list.filter((n) => n.negotiation.startsWith(ref))
    if (matches.length === 0) throw TrustError.notFound(`negotiation ${ref} in profile ${profileDir}`)
    if (matches.length > 1) throw TrustError.invalidInput(`${ref} matches ${matches.length} negotiations; give more characters`)
    const negotiation = matches[0]!.negotiation
    const bundle = await node.call('negotiations.export', { negotiation })
    return { negotiation, text: serializeBundle(bundle as Parameters<typeof serializeBundle>[0]) }
  } finally {
    await node.close()
  }
}
