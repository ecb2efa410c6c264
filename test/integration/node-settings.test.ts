/**
 * settings.* (DESIGN section 11): the idle lock timeout is read, changed, applied
 * to the running identity at once (the countdown restarts with the new length),
 * announced as a `settings` event, stored in the profile and used again after a
 * restart. Bad values are refused and change nothing. A real profile and node on
 * a manual clock, so no test waits for real time.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Settings, TrustEvent } from '../../src-main/api.js'
import { ManualClock } from '../../src-main/core/jobs/clock.js'
import { createNode, DEFAULT_IDLE_LOCK_MS, type TrustNode } from '../../src-main/core/node.js'
import { createNetwork, type Network } from '../../src-main/core/sync/index.js'

const PASS = 'settings test passphrase'
const MINUTE = 60_000
const T0 = Math.floor(Date.now() / 1000) * 1000

describe('settings', () => {
  let dir: string
  let network: Network
  const open: TrustNode[] = []

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-settings-'))
    network = await createNetwork('local')
  })

  afterAll(async () => {
    for (const n of open) await n.close()
    await network.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  async function start(name: string, clock: ManualClock, idleLockMs?: number): Promise<TrustNode> {
    const node = await createNode({ profileDir: path.join(dir, name), network, clock, ...(idleLockMs === undefined ? {} : { idleLockMs }) })
    open.push(node)
    return node
  }

  async function stop(node: TrustNode): Promise<void> {
    await node.close()
    open.splice(open.indexOf(node), 1)
  }

  const unlocked = async (node: TrustNode): Promise<boolean> => ((await node.call('identity.status')) as { unlocked: boolean }).unlocked

  it('starts with the default, applies a change at once, emits it, and keeps it across a restart', async () => {
    const clock = new ManualClock(T0)
    let node = await start('alice', clock)
    const events: TrustEvent[] = []
    node.on((e) => events.push(e))
    expect(await node.call('settings.get')).toEqual({ idleLockMs: DEFAULT_IDLE_LOCK_MS })
    await node.call('identity.create', { name: 'Alice', passphrase: PASS })

    const after = (await node.call('settings.set', { idleLockMs: 2 * MINUTE })) as Settings
    expect(after).toEqual({ idleLockMs: 2 * MINUTE })
    expect(events.filter((e) => e.type === 'settings')).toEqual([{ type: 'settings', settings: { idleLockMs: 2 * MINUTE } }])
    // The running countdown now has the new length: 2 minutes of silence lock the key.
    await clock.advance(2 * MINUTE - 1)
    expect(await unlocked(node)).toBe(true) // this call restarts the countdown
    await clock.advance(2 * MINUTE + 1)
    expect(events.filter((e) => e.type === 'identity').at(-1)).toEqual({ type: 'identity', unlocked: false })

    // Setting the same value again changes nothing and announces nothing.
    expect(await node.call('settings.set', { idleLockMs: 2 * MINUTE })).toEqual({ idleLockMs: 2 * MINUTE })
    expect(events.filter((e) => e.type === 'settings')).toHaveLength(1)

    await stop(node)
    node = await start('alice', clock)
    expect(await node.call('settings.get')).toEqual({ idleLockMs: 2 * MINUTE })
    await node.call('identity.unlock', { passphrase: PASS })
    await clock.advance(2 * MINUTE + 1)
    expect(await unlocked(node)).toBe(false)
  })

  it.each([
    ['below the minimum', { idleLockMs: 4_999 }],
    ['above the maximum', { idleLockMs: 24 * 60 * MINUTE + 1 }],
    ['zero (never)', { idleLockMs: 0 }],
    ['not an integer', { idleLockMs: 6_000.5 }],
    ['a string', { idleLockMs: '60000' }],
    ['an unknown field', { idleLockMs: 60_000, theme: 'dark' }],
  ])('refuses %s with INVALID_INPUT and keeps the setting', async (_label, params) => {
    const node = await start(`bad-${open.length}-${Math.random().toString(36).slice(2)}`, new ManualClock(T0), 3 * MINUTE)
    await expect(node.call('settings.set', params)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    expect(await node.call('settings.get')).toEqual({ idleLockMs: 3 * MINUTE })
    await stop(node)
  })

  it('ignores a stored value edited out of range and falls back to the node option', async () => {
    const clock = new ManualClock(T0)
    const node = await start('edited', clock)
    await node.call('settings.set', { idleLockMs: 10 * MINUTE })
    await stop(node)
    const db = new BetterSqlite3(path.join(dir, 'edited', 'trust.db'))
    db.prepare("UPDATE preferences SET value = '1' WHERE key = 'idleLockMs'").run()
    db.close()
    const again = await start('edited', clock, 7 * MINUTE)
    expect(await again.call('settings.get')).toEqual({ idleLockMs: 7 * MINUTE })
    await stop(again)
  })
})
