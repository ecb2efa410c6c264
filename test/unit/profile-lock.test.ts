import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { pathToFileURL, fileURLToPath } from 'node:url'
import { describe, it, expect, afterEach } from 'vitest'
import { acquireProfileLock, LOCK_FILE, type LockRecord } from '../../src-main/core/jobs/profile-lock.js'
import { TrustError } from '../../src-main/core/errors.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const moduleUrl = pathToFileURL(path.join(repoRoot, 'src-main/core/jobs/profile-lock.ts')).href

const children: ChildProcess[] = []
const dirs: string[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function tempProfile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-lock-'))
  dirs.push(dir)
  return path.join(dir, 'profile')
}

/** A real second OS process that takes the lock, says so on stdout, then holds it (or exits if told). */
async function childHolding(profileDir: string, then: 'hold' | 'exit'): Promise<{ child: ChildProcess; record: LockRecord }> {
  const code = `
    const { acquireProfileLock } = await import(${JSON.stringify(moduleUrl)})
    const lock = acquireProfileLock(${JSON.stringify(profileDir)})
    process.stdout.write('locked ' + JSON.stringify(lock.record) + '\\n')
    if (${JSON.stringify(then)} === 'exit') process.exit(0)
    setInterval(() => {}, 1 << 30)
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let out = ''
  let err = ''
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const record = await new Promise<LockRecord>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const line = /^locked (.*)$/m.exec(out)
      if (line?.[1]) resolve(JSON.parse(line[1]) as LockRecord)
    })
    child.on('exit', (codeOrNull) => reject(new Error(`child exited (${codeOrNull}) before locking: ${err}`)))
  })
  return { child, record }
}

function lockedBy(profileDir: string): LockRecord {
  return JSON.parse(fs.readFileSync(path.join(profileDir, LOCK_FILE), 'utf8')) as LockRecord
}

function catchTrust(fn: () => unknown): TrustError {
  try {
    fn()
  } catch (err) {
    if (err instanceof TrustError) return err
    throw err
  }
  throw new Error('expected a TrustError')
}

describe('acquireProfileLock', () => {
  it('refuses a profile held by a live second process, naming its pid, and takes it over after SIGKILL', async () => {
    const profile = tempProfile()
    const { child, record } = await childHolding(profile, 'hold')
    expect(record.pid).toBe(child.pid)
    expect(lockedBy(profile)).toEqual(record)

    const err = catchTrust(() => acquireProfileLock(profile))
    expect(err.code).toBe('PROFILE_LOCKED')
    expect(err.message).toContain(`process ${child.pid}`)
    expect(err.detail).toMatchObject({ pid: child.pid })
    expect(lockedBy(profile)).toEqual(record) // the refusal changed nothing

    child.kill('SIGKILL')
    await once(child, 'exit')
    expect(lockedBy(profile)).toEqual(record) // SIGKILL leaves a stale lock behind

    const lock = acquireProfileLock(profile)
    expect(lockedBy(profile)).toEqual(lock.record)
    expect(lock.record.pid).toBe(process.pid)
    expect(fs.readdirSync(profile).sort()).toEqual([LOCK_FILE]) // no temp or mutex files left
    lock.release()
    expect(fs.existsSync(path.join(profile, LOCK_FILE))).toBe(false)
  })

  it('a child that exits normally releases its lock', async () => {
    const profile = tempProfile()
    const { child } = await childHolding(profile, 'exit')
    if (child.exitCode === null) await once(child, 'exit')
    expect(fs.existsSync(path.join(profile, LOCK_FILE))).toBe(false)
    acquireProfileLock(profile).release()
  })

  it('a second acquisition in the same process is refused until release', () => {
    const profile = tempProfile()
    const lock = acquireProfileLock(profile)
    const err = catchTrust(() => acquireProfileLock(profile))
    expect(err.code).toBe('PROFILE_LOCKED')
    expect(err.message).toContain(`process ${process.pid}`)
    expect(lockedBy(profile)).toEqual(lock.record)
    lock.release()
    lock.release() // idempotent
    const again = acquireProfileLock(profile)
    expect(again.record.nonce).not.toBe(lock.record.nonce)
    again.release()
  })

  it('release removes the lock only while it is ours', () => {
    const profile = tempProfile()
    const lock = acquireProfileLock(profile)
    const foreign: LockRecord = { ...lock.record, nonce: 'someone-else' }
    fs.writeFileSync(lock.path, JSON.stringify(foreign))
    lock.release()
    expect(lockedBy(profile)).toEqual(foreign)
  })

  it('refuses a lock from another host, since its pid cannot be checked here', () => {
    const profile = tempProfile()
    fs.mkdirSync(profile, { recursive: true })
    const foreign: LockRecord = { pid: 1, hostname: `not-${os.hostname()}`, startedAt: '2026-01-01T00:00:00Z', nonce: 'x' }
    fs.writeFileSync(path.join(profile, LOCK_FILE), JSON.stringify(foreign))
    const err = catchTrust(() => acquireProfileLock(profile))
    expect(err.code).toBe('PROFILE_LOCKED')
    expect(err.message).toContain(`on host not-${os.hostname()}`)
    expect(lockedBy(profile)).toEqual(foreign)
  })

  it('takes over a corrupt lock file and an abandoned takeover mutex of a dead process', async () => {
    const profile = tempProfile()
    // A pid that is certainly dead: a child that already exited.
    const { child } = await childHolding(profile, 'exit')
    if (child.exitCode === null) await once(child, 'exit')
    const deadPid = child.pid as number

    fs.writeFileSync(path.join(profile, LOCK_FILE), '{"pid": "not a number"')
    const dead: LockRecord = { pid: deadPid, hostname: os.hostname(), startedAt: 'x', nonce: 'dead' }
    fs.writeFileSync(path.join(profile, `${LOCK_FILE}.takeover`), JSON.stringify(dead))
    const lock = acquireProfileLock(profile)
    expect(lockedBy(profile)).toEqual(lock.record)
    expect(fs.readdirSync(profile)).toEqual([LOCK_FILE])
    lock.release()
  })

  it('refuses while a live process holds the takeover mutex, and leaves the stale lock alone', () => {
    const profile = tempProfile()
    fs.mkdirSync(profile, { recursive: true })
    const stale = 'garbage'
    fs.writeFileSync(path.join(profile, LOCK_FILE), stale)
    const live: LockRecord = { pid: process.pid, hostname: os.hostname(), startedAt: 'x', nonce: 'busy' }
    fs.writeFileSync(path.join(profile, `${LOCK_FILE}.takeover`), JSON.stringify(live))
    const err = catchTrust(() => acquireProfileLock(profile))
    expect(err.code).toBe('PROFILE_LOCKED')
    expect(fs.readFileSync(path.join(profile, LOCK_FILE), 'utf8')).toBe(stale)
  })

  it('refuses an empty profile path', () => {
    expect(catchTrust(() => acquireProfileLock('')).code).toBe('INVALID_INPUT')
  })
})
