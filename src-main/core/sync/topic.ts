/**
 * The swarm topic of a negotiation (DESIGN section 5): a hash of the invite's
 * secret, so that only holders of an invite can find the negotiation's peers on
 * the DHT. The prefix keeps this hash apart from every other SHA-256 the
 * protocol computes (ids, term hashes).
 */
import { randomBytes } from 'node:crypto'
import { sha256 } from '../crypto/hash.js'
import { TrustError } from '../errors.js'

export const TOPIC_DOMAIN = 'trust-primitive/v1/topic:'

const utf8 = new TextEncoder()

/** SHA-256(UTF-8 of TOPIC_DOMAIN || secret); the secret must be 32 bytes. */
export function topicFromSecret(secret: Uint8Array): Uint8Array {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) {
    throw TrustError.invalidInput('a topic secret must be 32 bytes')
  }
  const domain = utf8.encode(TOPIC_DOMAIN)
  const input = new Uint8Array(domain.length + 32)
  input.set(domain, 0)
  input.set(secret, domain.length)
  return sha256(input)
}

/** A fresh random topic secret for a new negotiation. */
export function createTopicSecret(): Uint8Array {
  return new Uint8Array(randomBytes(32))
}
