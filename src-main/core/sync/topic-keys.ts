/**
 * Keys derived from a negotiation's topic secret (DESIGN section 5), besides the
 * swarm topic of topic.ts. Each is SHA-256 over a UTF-8 domain and the 32 secret
 * bytes, so knowing one value tells nothing about another, and only holders of
 * the invite can compute any of them:
 *
 *   feed encryption key = SHA-256("trust-primitive/v1/feed-encryption:" || secret)
 *   seeder group        = SHA-256("trust-primitive/v1/seeder-group:" || secret)
 *   directory key       = SHA-256("trust-primitive/v1/seeder-directory:" || secret)
 *
 * The feed encryption key is Hypercore's `encryption.key` for every feed of the
 * negotiation (hypercore derives one block key per feed from it); the group
 * names the negotiation's directory on a seeder; the directory key seals the
 * claims stored there (feed-claim.ts).
 */
import { sha256 } from '../crypto/hash.js'
import { hexToBytes } from '../crypto/hex.js'
import { TrustError } from '../errors.js'

export const FEED_ENCRYPTION_DOMAIN = 'trust-primitive/v1/feed-encryption:'
export const SEEDER_GROUP_DOMAIN = 'trust-primitive/v1/seeder-group:'
export const DIRECTORY_KEY_DOMAIN = 'trust-primitive/v1/seeder-directory:'

const utf8 = new TextEncoder()

function derive(domain: string, secret: Uint8Array | string): Uint8Array {
  const bytes = typeof secret === 'string' ? hexToBytes(secret, 32, 'topic secret') : secret
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw TrustError.invalidInput('a topic secret must be 32 bytes')
  const prefix = utf8.encode(domain)
  const input = new Uint8Array(prefix.length + 32)
  input.set(prefix, 0)
  input.set(bytes, prefix.length)
  return sha256(input)
}

/** Hypercore `encryption.key` of every feed of the negotiation. */
export function feedEncryptionKey(secret: Uint8Array | string): Uint8Array {
  return derive(FEED_ENCRYPTION_DOMAIN, secret)
}

/** The negotiation's directory name on a seeder. */
export function seederGroup(secret: Uint8Array | string): Uint8Array {
  return derive(SEEDER_GROUP_DOMAIN, secret)
}

/** AES-256-GCM key of the negotiation's directory entries. */
export function directoryKey(secret: Uint8Array | string): Uint8Array {
  return derive(DIRECTORY_KEY_DOMAIN, secret)
}
