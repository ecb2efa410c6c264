/**
 * The local identity (DESIGN sections 2 and 11, `identity.*`): create, unlock, lock,
 * change passphrase, back up and restore. The service starts locked. While unlocked
 * the secret key lives only inside one Signer (crypto/signer.ts); lock(), the idle
 * timeout and close() wipe it, and every Signer handed out before then throws LOCKED.
 * Nothing here returns or logs a secret key or a passphrase.
 */
import { TrustError } from '../errors.js'
import { encodeContactCard, normalizeDisplayName } from '../crypto/contact-card.js'
import { fingerprint, generateKeyPair, publicKeyFromSecret } from '../crypto/ed25519.js'
import { bytesToHex } from '../crypto/hex.js'
import { KDF_FLOOR, checkPassphrasePolicy, encodeKeyBlob, openSecret, parseKeyBlob, sealSecret, type KeyBlob } from '../crypto/keystore.js'
import { createSigner, type Signer, type WipeableSigner } from '../crypto/signer.js'
import type { Db } from '../store/database.js'
import { type IdentityRecord, insertIdentity, readIdentity, replaceKeyBlob } from '../store/identity.js'
import { decodeBackup, encodeBackup } from './backup.js'

export interface IdentityStatus {
  exists: boolean
  unlocked: boolean
  publicKey?: string
  name?: string
  fingerprint?: string
}

/** `unlocked` mirrors `state` for TrustEvent in src-main/api.ts. */
export interface IdentityEvent {
  type: 'identity'
  state: 'locked' | 'unlocked'
  unlocked: boolean
}

/** Injectable so tests can fire the idle timeout without waiting. */
export interface IdleTimers {
  setTimeout(fire: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface IdentityServiceOptions {
  /** Lock after this many ms without touch(); 0 or absent: never. */
  idleLockMs?: number
  timers?: IdleTimers
  now?: () => Date
}

const realTimers: IdleTimers = {
  setTimeout(fire, ms) {
    const t = setTimeout(fire, ms)
    t.unref() // an armed idle lock must not keep the process alive
    return t
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  },
}

const MAX_TIMER_MS = 2 ** 31 - 1

export class IdentityService {
  private readonly db: Db
  private idleLockMs: number
  private readonly timers: IdleTimers
  private readonly now: () => Date
  private readonly listeners = new Set<(event: IdentityEvent) => void>()
  private unlocked: { inner: WipeableSigner; facade: Signer } | null = null
  private idleHandle: unknown = undefined
  /** Bumped by lock(): an unlock still deriving when the user locks must not unlock. */
  private epoch = 0
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  constructor(db: Db, options: IdentityServiceOptions = {}) {
    this.db = db
    this.idleLockMs = checkIdleLockMs(options.idleLockMs ?? 0)
    this.timers = options.timers ?? realTimers
    this.now = options.now ?? (() => new Date())
  }

  status(): IdentityStatus {
    this.open()
    const row = readIdentity(this.db)
    if (row === undefined) return { exists: false, unlocked: false }
    return { exists: true, unlocked: this.unlocked !== null, publicKey: row.publicKey, name: row.name, fingerprint: fingerprint(row.publicKey) }
  }

  /** Generates and stores a new identity; it is unlocked afterwards. */
  async create(input: { name: string; passphrase: string }): Promise<{ publicKey: string; fingerprint: string }> {
    const { name: rawName, passphrase } = fields(input, ['name', 'passphrase'])
    const name = normalizeDisplayName(rawName)
    checkPassphrasePolicy(passphrase)
    const epoch = this.epoch // taken at call time: a lock() after this call wins
    return this.serial(async () => {
      if (readIdentity(this.db) !== undefined) throw new TrustError('IDENTITY_EXISTS', 'this profile already has an identity')
      const { secretKey, publicKey } = generateKeyPair()
      const publicKeyHex = bytesToHex(publicKey)
      try {
        const blob = await sealSecret(secretKey, passphrase)
        insertIdentity(this.db, { publicKey: publicKeyHex, name, keyBlob: encodeKeyBlob(blob), createdAt: this.now().toISOString() })
      } catch (err) {
        secretKey.fill(0)
        throw err
      }
      this.install(secretKey, epoch)
      return { publicKey: publicKeyHex, fingerprint: fingerprint(publicKeyHex) }
    })
  }

  /** BAD_PASSPHRASE on a wrong passphrase (nothing changes); NO_IDENTITY if there is none. */
  async unlock(input: { passphrase: string }): Promise<IdentityStatus> {
    const { passphrase } = fields(input, ['passphrase'])
    const epoch = this.epoch
    await this.serial(async () => {
      const row = this.requireRow()
      const secret = await openSecret(storedBlob(row), passphrase)
      checkDerives(secret, row.publicKey)
      if (epoch !== this.epoch) {
        secret.fill(0)
        throw new TrustError('LOCKED', 'the identity was locked while it was being unlocked')
      }
      this.install(secret, epoch)
    })
    return this.status()
  }

  /** Wipes the secret key. Idempotent; emits 'locked' only when it was unlocked. */
  lock(): void {
    this.epoch++
    this.disarm()
    const current = this.unlocked
    if (current === null) return
    this.unlocked = null
    current.inner.wipe()
    this.emit({ type: 'identity', state: 'locked', unlocked: false })
  }

  /** Re-seals under a new passphrase with a fresh salt and nonce; a wrong old one changes nothing. */
  async changePassphrase(input: { old: string; new: string }): Promise<void> {
    const { old, new: next } = fields(input, ['old', 'new'])
    checkPassphrasePolicy(next)
    return this.serial(async () => {
      const row = this.requireRow()
      const current = storedBlob(row)
      const secret = await openSecret(current, old)
      try {
        checkDerives(secret, row.publicKey)
        const blob = await sealSecret(secret, next, atLeastFloor(current))
        replaceKeyBlob(this.db, row.publicKey, row.keyBlob, encodeKeyBlob(blob))
      } finally {
        secret.fill(0)
      }
    })
  }

  /** The sealed key with its public key and name; works while locked. */
  exportBackup(): { blob: string } {
    this.open()
    const row = this.requireRow()
    return { blob: encodeBackup({ publicKey: row.publicKey, name: row.name, key: storedBlob(row) }) }
  }

  /**
   * Restores a backup and unlocks it. Refused (IDENTITY_EXISTS) when this profile
   * holds a different identity; for the same key the backup's sealed blob (and so its
   * passphrase) replaces the stored one, which is how a forgotten newer passphrase is
   * recovered. Every check passes before anything is written.
   */
  async importBackup(input: { blob: string; passphrase: string }): Promise<{ publicKey: string; fingerprint: string }> {
    const { blob, passphrase } = fields(input, ['blob', 'passphrase'])
    const backup = decodeBackup(blob)
    const epoch = this.epoch
    return this.serial(async () => {
      const before = readIdentity(this.db)
      if (before !== undefined && before.publicKey !== backup.publicKey) {
        throw new TrustError('IDENTITY_EXISTS', 'this profile already has a different identity; use a new profile to restore this backup')
      }
      const secret = await openSecret(backup.key, passphrase)
      try {
        if (bytesToHex(publicKeyFromSecret(secret)) !== backup.publicKey) {
          throw new TrustError('BAD_BACKUP', 'the backup key does not belong to the public key it names')
        }
        const keyBlob = encodeKeyBlob(backup.key)
        if (before === undefined) {
          insertIdentity(this.db, { publicKey: backup.publicKey, name: backup.name, keyBlob, createdAt: this.now().toISOString() })
        } else {
          replaceKeyBlob(this.db, before.publicKey, before.keyBlob, keyBlob)
        }
      } catch (err) {
        secret.fill(0)
        throw err
      }
      this.install(secret, epoch)
      return { publicKey: backup.publicKey, fingerprint: fingerprint(backup.publicKey) }
    })
  }

  /** The signer of the unlocked identity; LOCKED otherwise. It stops working at the next lock. */
  signer(): Signer {
    this.open()
    if (this.unlocked === null) throw TrustError.locked()
    return this.unlocked.facade
  }

  /** Our own contact card, signed now (Ed25519 is deterministic, so it is stable). */
  myCard(): { card: string } {
    const signer = this.signer()
    const row = this.requireRow()
    return { card: encodeContactCard(signer, row.name) }
  }

  /** Subscribes to 'identity' events; returns the unsubscribe function. */
  onChange(listener: (event: IdentityEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Milliseconds without touch() before the key is wiped; 0: never. */
  get idleLockTimeout(): number {
    return this.idleLockMs
  }

  /** Changes the idle timeout; while unlocked the countdown restarts with the new length. */
  setIdleLockTimeout(ms: number): void {
    this.open()
    this.idleLockMs = checkIdleLockMs(ms)
    if (this.unlocked !== null) this.arm()
    else this.disarm()
  }

  /** User activity: restarts the idle timeout. */
  touch(): void {
    if (this.unlocked !== null) this.arm()
  }

  /** On quit: wipes the key; every later call throws CLOSED. */
  close(): void {
    this.lock()
    this.closed = true
    this.listeners.clear()
  }

  private install(secret: Uint8Array, epoch: number): void {
    if (epoch !== this.epoch || this.closed) {
      secret.fill(0) // locked meanwhile: stay locked
      return
    }
    if (this.unlocked !== null) {
      secret.fill(0) // already unlocked with this key: keep the Signers handed out
      this.arm()
      return
    }
    const inner = createSigner(secret)
    const facade: Signer = {
      publicKey: inner.publicKey,
      signCanonical: (domain, value) => inner.signCanonical(domain, value),
      signBytes: (message) => inner.signBytes(message),
    }
    this.unlocked = { inner, facade }
    this.arm()
    this.emit({ type: 'identity', state: 'unlocked', unlocked: true })
  }

  private arm(): void {
    this.disarm()
    if (this.idleLockMs > 0) this.idleHandle = this.timers.setTimeout(() => this.lock(), this.idleLockMs)
  }

  private disarm(): void {
    if (this.idleHandle !== undefined) this.timers.clearTimeout(this.idleHandle)
    this.idleHandle = undefined
  }

  private emit(event: IdentityEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch {
        // A failing listener must not stop the lock or the other listeners.
      }
    }
  }

  private requireRow(): IdentityRecord {
    const row = readIdentity(this.db)
    if (row === undefined) throw new TrustError('NO_IDENTITY', 'there is no identity yet; create one or import a backup')
    return row
  }

  private open(): void {
    if (this.closed) throw new TrustError('CLOSED', 'the identity service is closed')
  }

  /** One key operation at a time, so two creates or a create and an import cannot interleave. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    this.open()
    const run = this.queue.then(() => {
      this.open()
      return task()
    })
    this.queue = run.catch(() => undefined)
    return run
  }
}

function checkIdleLockMs(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_TIMER_MS) {
    throw TrustError.invalidInput(`idleLockMs must be an integer from 0 to ${MAX_TIMER_MS}`)
  }
  return ms
}

function fields<K extends string>(input: unknown, keys: readonly K[]): Record<K, string> {
  if (typeof input !== 'object' || input === null) throw TrustError.invalidInput(`expected an object with ${keys.join(', ')}`)
  const o = input as Record<string, unknown>
  for (const k of keys) {
    if (typeof o[k] !== 'string') throw TrustError.invalidInput(`${k} must be a string`)
  }
  return o as Record<K, string>
}

function storedBlob(row: IdentityRecord): KeyBlob {
  try {
    return parseKeyBlob(row.keyBlob)
  } catch (err) {
    // A downgraded or absurd KDF stays BAD_KDF_PARAMS (DESIGN section 2); the rest is damage.
    if (err instanceof TrustError && err.code === 'BAD_KDF_PARAMS') throw err
    throw new TrustError('DB_CORRUPT', `the stored key is damaged: ${(err as Error).message}`)
  }
}

function checkDerives(secret: Uint8Array, publicKey: string): void {
  if (bytesToHex(publicKeyFromSecret(secret)) !== publicKey) {
    secret.fill(0)
    throw new TrustError('DB_CORRUPT', 'the stored key does not belong to the stored public key')
  }
}

/** Keeps parameters someone raised; never re-seals below the floor. */
function atLeastFloor(blob: KeyBlob): { N: number; r: number; p: number } {
  return { N: Math.max(blob.N, KDF_FLOOR.N), r: Math.max(blob.r, KDF_FLOOR.r), p: Math.max(blob.p, KDF_FLOOR.p) }
}
