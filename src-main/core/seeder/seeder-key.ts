/**
 * The seeder's key (DESIGN section 5): its Hyperswarm key pair, which is its
 * public identity (`seeder <key>`), so it must survive restarts. Kept as a
 * 32-byte Ed25519 seed in `<storage>/seeder-key.json`, created once with mode 0600
 * and published atomically (O_EXCL temp file, then link), never rewritten.
 */
import { closeSync, existsSync, fsyncSync, linkSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { z } from 'zod'
import { publicKeyFromSecret } from '../crypto/ed25519.js'
import { bytesToHex, hexToBytes } from '../crypto/hex.js'
import { readStateFile } from '../store/state-file.js'

export const SEEDER_KEY_FILE = 'seeder-key.json'

const fileSchema = z.strictObject({ v: z.literal(1), seed: z.string().regex(/^[0-9a-f]{64}$/) })

export interface SeederKeyPair {
  publicKey: Uint8Array
  /** libsodium layout (seed || public key), as Hyperswarm wants it. */
  secretKey: Uint8Array
}

export function loadOrCreateSeederKey(storageDir: string): SeederKeyPair {
  const path = join(storageDir, SEEDER_KEY_FILE)
  if (!existsSync(path)) create(path)
  const file = readStateFile(path, fileSchema, 'a seeder key file')
  const seed = hexToBytes(file.seed, 32)
  const publicKey = publicKeyFromSecret(seed)
  const secretKey = new Uint8Array(64)
  secretKey.set(seed, 0)
  secretKey.set(publicKey, 32)
  seed.fill(0)
  return { publicKey, secretKey }
}

function create(path: string): void {
  const tmp = `${path}.${process.pid}.tmp`
  const seed = randomBytes(32)
  const fd = openSync(tmp, 'wx', 0o600)
  try {
    writeSync(fd, JSON.stringify({ v: 1, seed: bytesToHex(seed) }))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
    seed.fill(0)
  }
  try {
    linkSync(tmp, path) // fails if another process published first: theirs is kept
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  } finally {
    unlinkSync(tmp)
  }
}
