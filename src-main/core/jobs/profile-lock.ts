/**
 * Keeps two processes from running one profile (DESIGN section 9: two writers on one
 * SQLite file and one Hypercore storage would corrupt both).
 *
 * The lock is `<profile>/profile.lock`, JSON {pid, hostname, startedAt, nonce}.
 * - Acquire: the record is written in full to a temp file opened with 'wx' (O_EXCL),
 *   then published with link(2), which like O_EXCL fails with EEXIST when the lock
 *   exists, but never shows a half-written record to a concurrent reader.
 * - A lock whose pid is alive on this host (or whose host is another machine, where
 *   we cannot tell) is refused with PROFILE_LOCKED.
 * - A stale lock (dead pid on this host, or an unreadable record) is taken over
 *   under a takeover mutex `profile.lock.takeover` (also 'wx'): only its holder may
 *   delete a lock it has re-read and found stale, so two starters cannot both delete
 *   and both win. The one window left: a process that dies while holding the mutex
 *   leaves it behind; the next starter removes it when its pid is dead, and two
 *   starters racing at that exact moment could both pass. That needs a crash
 *   inside a takeover plus a simultaneous double start.
 * - Release deletes the lock only if it still holds our nonce; it also runs on
 *   process 'exit'. A signal-killed process leaves a stale lock, taken over later.
 * - Known limit: a dead pid reused by an unrelated process reads as alive; the
 *   message names the pid and the file so a user can check and delete it.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { TrustError } from '../errors.js'

export const LOCK_FILE = 'profile.lock'
const TAKEOVER_FILE = 'profile.lock.takeover'

export interface LockRecord {
  pid: number
  hostname: string
  startedAt: string
  nonce: string
}

export interface ProfileLock {
  readonly path: string
  readonly record: Readonly<LockRecord>
  /** Removes the lock if it is still ours. Idempotent. */
  release(): void
}

export function acquireProfileLock(profileDir: string): ProfileLock {
  if (typeof profileDir !== 'string' || profileDir.length === 0) {
    throw TrustError.invalidInput('the profile directory must be a non-empty path')
  }
  fs.mkdirSync(profileDir, { recursive: true, mode: 0o700 })
  const lockPath = path.join(profileDir, LOCK_FILE)
  const record: LockRecord = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    nonce: crypto.randomBytes(16).toString('hex'),
  }

  if (!publish(lockPath, record)) {
    const existing = readRecord(lockPath)
    if (existing !== 'missing') refuseIfHeld(lockPath, existing)
    takeOverStale(profileDir, lockPath, record)
  }

  let released = false
  const release = (): void => {
    if (released) return
    released = true
    process.removeListener('exit', release)
    const current = readRecord(lockPath)
    if (current !== 'missing' && current !== 'corrupt' && current.nonce === record.nonce) {
      unlinkQuietly(lockPath)
    }
  }
  process.on('exit', release)
  return { path: lockPath, record, release }
}

/** Writes the record to a private temp file, then links it into place. False if the lock exists. */
function publish(lockPath: string, record: LockRecord): boolean {
  const temp = `${lockPath}.${record.pid}.${record.nonce}.tmp`
  const fd = fs.openSync(temp, 'wx', 0o600)
  try {
    fs.writeSync(fd, JSON.stringify(record))
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  try {
    fs.linkSync(temp, lockPath)
    return true
  } catch (err) {
    if (isCode(err, 'EEXIST')) return false
    throw new TrustError('INTERNAL', `cannot create the profile lock ${lockPath}: ${(err as Error).message}`)
  } finally {
    unlinkQuietly(temp)
  }
}

function takeOverStale(profileDir: string, lockPath: string, record: LockRecord): void {
  const mutexPath = path.join(profileDir, TAKEOVER_FILE)
  const mutex = enterMutex(mutexPath, record)
  try {
    // Re-read under the mutex: another starter may have taken over meanwhile.
    const existing = readRecord(lockPath)
    if (existing !== 'missing') {
      refuseIfHeld(lockPath, existing)
      unlinkQuietly(lockPath)
    }
    if (!publish(lockPath, record)) {
      // A starter that saw no lock at all published without the mutex; it is alive.
      const winner = readRecord(lockPath)
      if (winner !== 'missing') refuseIfHeld(lockPath, winner)
      throw lockedError(lockPath, 'another process is starting this profile at the same moment')
    }
  } finally {
    if (mutex) unlinkQuietly(mutexPath)
  }
}

/** Enters the takeover mutex, clearing one left by a dead process once. */
function enterMutex(mutexPath: string, record: LockRecord): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (publish(mutexPath, record)) return true
    const holder = readRecord(mutexPath)
    if (holder === 'missing') continue
    if (holder !== 'corrupt' && (holder.hostname !== record.hostname || isAlive(holder.pid))) {
      throw lockedError(mutexPath, `process ${holder.pid} is taking over this profile's stale lock right now`)
    }
    unlinkQuietly(mutexPath)
  }
  throw lockedError(mutexPath, 'another process is taking over this profile lock right now')
}

function refuseIfHeld(lockPath: string, existing: LockRecord | 'corrupt'): void {
  if (existing === 'corrupt') return // unreadable: nobody can prove ownership; treated as stale
  if (existing.hostname !== os.hostname()) {
    throw lockedError(
      lockPath,
      `the profile is locked by process ${existing.pid} on host ${existing.hostname} (since ${existing.startedAt}); ` +
        `if that host no longer runs it, delete ${lockPath}`,
      existing,
    )
  }
  if (isAlive(existing.pid)) {
    throw lockedError(
      lockPath,
      `the profile is in use by process ${existing.pid} (since ${existing.startedAt}); ` +
        `close that instance, or delete ${lockPath} if process ${existing.pid} is not Trust Primitive`,
      existing,
    )
  }
}

function lockedError(lockPath: string, text: string, holder?: LockRecord): TrustError {
  return new TrustError('PROFILE_LOCKED', text, {
    lockPath,
    ...(holder ? { pid: holder.pid, hostname: holder.hostname } : {}),
  })
}

function readRecord(file: string): LockRecord | 'missing' | 'corrupt' {
  let text: string
  try {
    const stat = fs.lstatSync(file)
    if (!stat.isFile() || stat.size > 4096) return 'corrupt'
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if (isCode(err, 'ENOENT')) return 'missing'
    throw new TrustError('INTERNAL', `cannot read the profile lock ${file}: ${(err as Error).message}`)
  }
  try {
    const v = JSON.parse(text) as Partial<LockRecord> | null
    if (
      v !== null &&
      typeof v === 'object' &&
      Number.isSafeInteger(v.pid) &&
      (v.pid as number) > 0 &&
      typeof v.hostname === 'string' &&
      typeof v.startedAt === 'string' &&
      typeof v.nonce === 'string'
    ) {
      return { pid: v.pid as number, hostname: v.hostname, startedAt: v.startedAt, nonce: v.nonce }
    }
  } catch {
    // fall through
  }
  return 'corrupt'
}

/** kill(pid, 0) probes without signalling: ESRCH means gone, EPERM means alive but not ours. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return isCode(err, 'EPERM')
  }
}

function unlinkQuietly(file: string): void {
  try {
    fs.unlinkSync(file)
  } catch {
    // already gone
  }
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code
}
