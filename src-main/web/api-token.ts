/**
 * The bearer token of the local API (DESIGN section 11: a connection without the
 * token is refused). Other local users and web pages can reach 127.0.0.1; the token
 * is what separates the owner from them.
 */
import crypto from 'node:crypto'
import { TrustError } from '../core/errors.js'

/** 32 random bytes, base64url: URL-safe, so it can ride in `?token=`. */
export function generateApiToken(): string {
  return crypto.randomBytes(32).toString('base64url')
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,256}$/

export function checkApiToken(token: unknown): string {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) {
    throw TrustError.invalidInput('an API token must be 16 to 256 characters of A-Z a-z 0-9 _ -')
  }
  return token
}

/**
 * Constant-time comparison. Both sides are hashed first so the comparison has
 * equal lengths and its time says nothing about the token's length either.
 */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string') return false
  const a = crypto.createHash('sha256').update(expected, 'utf8').digest()
  const b = crypto.createHash('sha256').update(presented, 'utf8').digest()
  return crypto.timingSafeEqual(a, b)
}
