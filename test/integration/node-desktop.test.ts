/**
 * The desktop methods through createNode (DESIGN.md section 12): `updates.*`
 * answer "unavailable" where no updater is given (browser mode, `trust serve`),
 * an install runs only for a ready update and never while another call is in
 * flight, and a `*.trust.json` the app was opened with reaches `bundles.verify`
 * through `files.takeOpened`. Real profiles, a real local DHT, a real bundle.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BundleVerifyReport, OpenedFile, UpdateStatus } from '../../src-main/api.js'
import { bundlePathsFromArgv, OpenedFileQueue, readOpenedFile } from '../../src-main/core/bundle/opened-file.js'
import { TrustError } from '../../src-main/core/errors.js'
import { createNode, type TrustNode } from '../../src-main/core/node.js'
import { createNetwork, type Network } from '../../src-main/core/sync/index.js'
import type { UpdateService } from '../../src-main/core/updates/update-service.js'
import { bindingAgreement } from '../fixtures/bundle-fixtures.js'

const PASS = 'a long enough passphrase'

/** An updater stand-in whose state the test sets; it records what the core asked of it. */
class RecordingUpdates implements UpdateService {
  current: UpdateStatus = { state: 'idle', autoCheck: true, current: '0.1.0' }
  installs = 0
  checks = 0
  status(): UpdateStatus {
    return { ...this.current }
  }
  async setAutoCheck(enabled: boolean): Promise<UpdateStatus> {
    this.current = { ...this.current, autoCheck: enabled }
    return this.status()
  }
  async check(): Promise<UpdateStatus> {
    this.checks += 1
    return this.status()
  }
  install(): void {
    this.installs += 1
  }
}

async function refusal(p: Promise<unknown>): Promise<TrustError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(TrustError)
  return err as TrustError
}

describe('createNode: updates and opened files', () => {
  let dir: string
  let network: Network
  let plain: TrustNode
  let desktop: TrustNode
  const updates = new RecordingUpdates()
  const openedFiles = new OpenedFileQueue()

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-node-desktop-'))
    network = await createNetwork('local')
    plain = await createNode({ profileDir: path.join(dir, 'plain'), network, logLevel: 'silent' })
    desktop = await createNode({ profileDir: path.join(dir, 'desktop'), network, logLevel: 'silent', updates, openedFiles })
  }, 60_000)

  afterAll(async () => {
    await plain?.close()
    await desktop?.close()
    await network?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('without an updater (browser mode, trust serve) updates are unavailable and refuse politely', async () => {
    expect(await plain.call('updates.status')).toEqual({ state: 'unavailable', autoCheck: false, reason: 'updates run only in the installed desktop app' })
    for (const [method, params] of [
      ['updates.setAutoCheck', { enabled: true }],
      ['updates.check', {}],
      ['updates.install', {}],
    ] as const) {
      const err = await refusal(plain.call(method, params))
      expect(err.code, method).toBe('ILLEGAL_ACTION')
      expect(err.detail?.['reason'], method).toBe('UPDATES_UNAVAILABLE')
    }
    expect(await plain.call('files.takeOpened')).toBeNull()
  })

  it('checks params like every other method', async () => {
    expect((await refusal(desktop.call('updates.setAutoCheck', { enabled: 'yes' }))).code).toBe('INVALID_INPUT')
    expect((await refusal(desktop.call('updates.setAutoCheck', {}))).detail).toMatchObject({ field: 'enabled' })
    expect((await refusal(desktop.call('updates.status', { verbose: true }))).detail).toMatchObject({ field: 'verbose' })
    expect((await refusal(desktop.call('files.takeOpened', { path: '/etc/passwd' }))).code).toBe('INVALID_INPUT')
  })

  it('the switch and a manual check go to the updater', async () => {
    expect(await desktop.call('updates.setAutoCheck', { enabled: false })).toMatchObject({ autoCheck: false })
    expect(updates.current.autoCheck).toBe(false)
    await desktop.call('updates.check')
    expect(updates.checks).toBe(1)
  })

  it('installs only a ready update, and not while an action is in flight', async () => {
    updates.current = { ...updates.current, state: 'downloading', version: '0.2.0', percent: 40 }
    expect((await refusal(desktop.call('updates.install'))).detail).toMatchObject({ reason: 'NO_UPDATE_READY' })

    updates.current = { ...updates.current, state: 'ready', version: '0.2.0' }
    // identity.create runs scrypt: it is in flight from the moment it is called
    const creating = desktop.api['identity.create']({ name: 'Dana', passphrase: PASS })
    expect(desktop.actionsInFlight()).toBe(1)
    const busy = await refusal(desktop.call('updates.install'))
    expect(busy.detail).toMatchObject({ reason: 'ACTION_IN_FLIGHT' })
    expect(updates.installs).toBe(0)
    await creating
    expect(desktop.actionsInFlight()).toBe(0)

    // a failed action leaves the count right too
    await refusal(desktop.api['identity.unlock']({ passphrase: 'wrong passphrase entirely' }))
    expect(desktop.actionsInFlight()).toBe(0)

    expect(await desktop.call('updates.install')).toBeNull()
    expect(updates.installs).toBe(1)
  }, 60_000)

  it('a file the app was opened with reaches bundles.verify through files.takeOpened', async () => {
    const fixture = bindingAgreement()
    const file = path.join(dir, 'deal.trust.json')
    fs.writeFileSync(file, JSON.stringify(fixture.bundle, null, 2))
    // as a second launch forwards it: executable, a Chromium switch, the file relative to its folder
    for (const found of bundlePathsFromArgv(['--allow-file-access-from-files', 'deal.trust.json'], dir)) {
      openedFiles.push(await readOpenedFile(found))
    }
    const opened = (await desktop.call('files.takeOpened')) as OpenedFile
    expect(opened.name).toBe('deal.trust.json')
    expect(JSON.stringify(opened)).not.toContain(dir)
    const report = (await desktop.call('bundles.verify', { bundle: opened.text!, at: new Date(fixture.at).toISOString() })) as BundleVerifyReport
    expect(report).toMatchObject({ valid: true, status: 'BINDING' })
    expect(report.bindingHash).toBe(fixture.bundle.claimed.bindingHash)
    expect(await desktop.call('files.takeOpened')).toBeNull()
  })
})
