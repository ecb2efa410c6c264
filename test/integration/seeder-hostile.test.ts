/**
 * A hostile seeder delays nobody who can reach the other party directly (DESIGN
 * section 5, issue 12). Alice and Bob both list a seeder that accepts every keep
 * request, stores nothing, never serves a block and answers the directory with
 * garbage (test/fixtures/hostile-seeder.ts, its own process). Online together,
 * they negotiate to one BINDING as if it were not there: the join answers at once
 * (no wait for GENESIS from the seeder), the garbage is reported in the log, and
 * seeders.status says honestly that nothing has reached a seeder.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SeederInfo, SeedingStatus } from '../../src-main/api.js'
import { spawnTrust, stopTrust, type TrustProcess } from '../fixtures/rpc-client.js'
import { ServeParty } from '../fixtures/serve-party.js'
import { waitFor } from '../fixtures/wait.js'

const HOSTILE = fileURLToPath(new URL('../fixtures/hostile-seeder.ts', import.meta.url))

function startHostile(network: string): Promise<{ key: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOSTILE, network], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the hostile seeder exited (${code})`)))
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const m = /^seeder ([0-9a-f]{64})$/.exec(line)
      if (!m) return reject(new Error(`unexpected line ${line}`))
      resolve({
        key: m[1]!,
        stop: async () => {
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
          await exited
          clearTimeout(timer)
        },
      })
    })
  })
}

describe('a seeder that withholds and serves garbage', () => {
  let dir: string
  let bootstrap: TrustProcess
  let network: string
  let hostile: { key: string; stop(): Promise<void> }
  let alice: ServeParty
  let bob: ServeParty

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-hostile-seeder-'))
    bootstrap = await spawnTrust(['bootstrap'])
    network = `bootstrap=${/^bootstrap (127\.0\.0\.1:\d+)$/.exec(bootstrap.line)![1]}`
    hostile = await startHostile(network)
    alice = new ServeParty('Alice', path.join(dir, 'alice'))
    bob = new ServeParty('Bob', path.join(dir, 'bob'))
    await Promise.all([alice.start(network, [hostile.key]), bob.start(network, [hostile.key])])
    const [aCard, bCard] = await Promise.all([alice, bob].map((p) => p.rpc.call<{ card: string }>('contacts.myCard')))
    await alice.rpc.call('contacts.add', { card: bCard!.card })
    await bob.rpc.call('contacts.add', { card: aCard!.card })
  }, 120_000)

  afterAll(async () => {
    await Promise.all([alice?.stop().catch(() => {}), bob?.stop().catch(() => {})])
    await hostile?.stop()
    if (bootstrap) await stopTrust(bootstrap)
    fs.rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  it('two parties online together reach BINDING directly, unharmed', async () => {
    const { negotiation, invite } = await alice.rpc.call<{ negotiation: string; invite: string }>('negotiations.create', {
      title: 'Lawn mowing',
      participants: [bob.publicKey],
      clauses: [{ id: 'price', title: 'Price', text: 'Bob pays 20 EUR a week.' }],
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    })
    // GENESIS comes straight from Alice: the join answers, it does not wait out its 30 s for the seeder.
    expect(await bob.rpc.call('negotiations.join', { invite })).toEqual({ negotiation })
    const { state } = await bob.rpc.call<{ state: { termsHash: string } }>('negotiations.offer', {
      negotiation,
      changes: [{ op: 'set', clause: 'price', text: 'Bob pays 25 EUR a week.' }],
    })
    const terms = state.termsHash
    await alice.until(negotiation, "Bob's offer", (s) => s.termsHash === terms)
    for (const p of [alice, bob]) await p.rpc.call('negotiations.accept', { negotiation, termsHash: terms })
    await Promise.all([alice, bob].map((p) => p.until(negotiation, 'consensus', (s) => s.status === 'CONSENSUS_REACHED')))
    for (const p of [alice, bob]) await p.rpc.call('negotiations.finalize', { negotiation, termsHash: terms })
    const [atAlice, atBob] = await Promise.all([alice, bob].map((p) => p.until(negotiation, 'BINDING', (s) => s.status === 'BINDING')))
    expect(atAlice!.bindingHash).toBe(atBob!.bindingHash)
    expect(atAlice!.rejected).toEqual([])

    // The seeder is connected but holds nothing: the UI is told so.
    const list = await alice.rpc.call<SeederInfo[]>('seeders.list')
    expect(list).toMatchObject([{ publicKey: hostile.key, connected: true, negotiations: [negotiation] }])
    const status = await alice.rpc.call<SeedingStatus>('seeders.status')
    expect(status).toMatchObject({ allSeeded: false, pending: 3, negotiations: [{ negotiation, signed: 3, seeded: 0 }] })
    // Its garbage directory entries were read, found to be no claims, and logged.
    const log = path.join(alice.profile, 'logs', 'trust.log')
    await waitFor(() => fs.readFileSync(log, 'utf8').includes('are not valid claims'), 'the garbage reported in the log')
  }, 120_000)
})
