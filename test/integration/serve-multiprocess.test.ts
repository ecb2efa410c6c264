/**
 * Three `trust serve` processes on a private DHT (`trust bootstrap`, a fourth
 * process), driven only over JSON-RPC like any script would (DESIGN section 11):
 * identities, contact cards, create, join by invite, offers, locks, accepts and
 * finalizations to BINDING. Carol's process is killed with SIGKILL right after
 * one of her actions; while she is down the others go on; she restarts on her
 * profile (stale lock taken over), starts locked, is unlocked with her
 * passphrase, and converges: nothing she signed is lost, nothing the others did
 * is missed, and all three end with one binding hash.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NegotiationState } from '../../src-main/api.js'
import { RpcClient, RpcError, apiUrlOf, eventually, spawnTrust, stopTrust, type TrustProcess } from '../fixtures/rpc-client.js'

interface Party {
  name: string
  passphrase: string
  profile: string
  proc?: TrustProcess
  rpc?: RpcClient
  publicKey?: string
}

describe('three trust serve processes over a private DHT', () => {
  let dir: string
  let bootstrap: TrustProcess
  let network: string
  const parties: Party[] = ['Alice', 'Bob', 'Carol'].map((name) => ({ name, passphrase: `${name} has a long passphrase`, profile: '' }))
  const [alice, bob, carol] = parties as [Party, Party, Party]
  let negotiation = ''

  const rpc = (p: Party): RpcClient => p.rpc!
  const get = (p: Party) => rpc(p).call<NegotiationState>('negotiations.get', { negotiation })
  const until = (p: Party, what: string, ok: (s: NegotiationState) => boolean) =>
    eventually(async () => {
      const s = await get(p)
      return ok(s) ? s : undefined
    }, `${p.name}: ${what}`, 150_000)

  /**
   * negotiations.join answers NETWORK when GENESIS takes longer than its wait to
   * arrive and goes on in the background (peer/negotiation-peer.ts); across OS
   * processes the first handshake can take that long here, so both outcomes are
   * accepted and the join is then awaited through the state.
   */
  async function join(p: Party, invite: string): Promise<void> {
    const answer = await rpc(p)
      .call('negotiations.join', { invite })
      .catch((e: unknown) => e)
    if (answer instanceof RpcError) expect(answer.code).toBe('NETWORK')
    else expect(answer).toEqual({ negotiation })
    await until(p, 'joined', (s) => s.joined.includes(p.publicKey!))
  }

  async function start(p: Party): Promise<void> {
    p.proc = await spawnTrust(['serve', '--profile', p.profile, '--network', network])
    p.rpc = await RpcClient.connect(apiUrlOf(p.proc.line))
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-mp-'))
    bootstrap = await spawnTrust(['bootstrap'])
    const m = /^bootstrap (127\.0\.0\.1:\d+)$/.exec(bootstrap.line)
    expect(m).not.toBeNull()
    network = `bootstrap=${m![1]}`
    for (const p of parties) p.profile = path.join(dir, p.name.toLowerCase())
    await Promise.all(parties.map(start))
  }, 120_000)

  afterAll(async () => {
    for (const p of parties) {
      await p.rpc?.close().catch(() => {})
      if (p.proc) await stopTrust(p.proc)
    }
    if (bootstrap) await stopTrust(bootstrap)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('creates identities and exchanges contact cards over JSON-RPC', async () => {
    for (const p of parties) {
      p.publicKey = (await rpc(p).call<{ publicKey: string }>('identity.create', { name: p.name, passphrase: p.passphrase })).publicKey
    }
    const cards = await Promise.all(parties.map((p) => rpc(p).call<{ card: string }>('contacts.myCard')))
    for (const p of parties) {
      for (const [i, other] of parties.entries()) if (other !== p) await rpc(p).call('contacts.add', { card: cards[i]!.card })
      const list = await rpc(p).call<{ publicKey: string }[]>('contacts.list')
      expect(list.map((c) => c.publicKey).sort()).toEqual(parties.filter((o) => o !== p).map((o) => o.publicKey).sort())
    }
  }, 60_000)

  it('negotiates, survives a SIGKILL of one party mid-way, and all three reach one BINDING', async () => {
    const created = await rpc(alice).call<{ negotiation: string; invite: string }>('negotiations.create', {
      title: 'Shared fence repair',
      participants: [bob.publicKey, carol.publicKey],
      clauses: [
        { id: 'cost', title: 'Cost', text: 'Each household pays a third of $3,000.' },
        { id: 'contractor', title: 'Contractor', text: 'Carol picks the contractor.' },
      ],
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
    })
    negotiation = created.negotiation
    await Promise.all([bob, carol].map((p) => join(p, created.invite)))
    for (const p of parties) await until(p, 'NEGOTIATING', (s) => s.status === 'NEGOTIATING')

    await rpc(alice).call('negotiations.offer', { negotiation, changes: [{ op: 'set', clause: 'cost', text: 'Alice pays $1,500, Bob and Carol $750 each.' }] })
    await until(bob, 'the offer', (s) => s.clauses[0]!.text.startsWith('Alice pays $1,500'))
    await rpc(bob).call('negotiations.offer', { negotiation, changes: [{ op: 'set', clause: 'cost', text: 'Alice pays $1,200, Bob and Carol $900 each.' }] })
    await until(carol, 'the counter-offer', (s) => s.clauses[0]!.text.startsWith('Alice pays $1,200'))

    // Carol locks the contractor clause and her process dies at once, without any chance to clean up.
    const carolLock = await rpc(carol).call<{ hash: string }>('negotiations.lock', { negotiation, clause: 'contractor' })
    carol.proc!.child.kill('SIGKILL')
    expect(await carol.proc!.exited).toBe('SIGKILL')
    await carol.rpc!.close().catch(() => {})
    expect(fs.existsSync(path.join(carol.profile, 'profile.lock'))).toBe(true) // stale, left behind

    // Alice and Bob go on while Carol is down (k = 3: the lock completes with Carol's, whenever it arrives).
    await rpc(alice).call('negotiations.lock', { negotiation, clause: 'contractor' })
    await rpc(bob).call('negotiations.lock', { negotiation, clause: 'contractor' })
    const terms = (await until(alice, "Bob's counter-offer", (s) => s.clauses[0]!.text.startsWith('Alice pays $1,200'))).termsHash
    await rpc(alice).call('negotiations.accept', { negotiation, termsHash: terms })
    await until(bob, "Alice's accept", (s) => s.accepts.includes(alice.publicKey!))
    await rpc(bob).call('negotiations.accept', { negotiation, termsHash: terms })

    // Carol restarts on her profile: it starts locked, and only her passphrase opens it.
    await start(carol)
    expect(await rpc(carol).call('identity.status')).toMatchObject({ exists: true, unlocked: false, publicKey: carol.publicKey })
    const lockedErr = (await rpc(carol).call('negotiations.accept', { negotiation, termsHash: terms }).catch((e: unknown) => e)) as RpcError
    expect(lockedErr.code).toBe('LOCKED')
    const wrong = (await rpc(carol).call('identity.unlock', { passphrase: 'Alice has a long passphrase' }).catch((e: unknown) => e)) as RpcError
    expect(wrong.code).toBe('BAD_PASSPHRASE')
    await rpc(carol).call('identity.unlock', { passphrase: carol.passphrase })

    // She converges: her lock survived the kill, and she sees both accepts made while she was down.
    const caughtUp = await until(carol, 'the locks and accepts made while down', (s) => s.accepts.length === 2 && s.lockedClauses.includes('contractor'))
    expect(caughtUp.timeline.find((m) => m.hash === carolLock.hash)).toMatchObject({ author: carol.publicKey, type: 'LOCK', verdict: 'applied' })
    expect(caughtUp.termsHash).toBe(terms)
    await rpc(carol).call('negotiations.accept', { negotiation, termsHash: terms })
    for (const p of parties) await until(p, 'CONSENSUS_REACHED', (s) => s.status === 'CONSENSUS_REACHED')

    for (const p of parties) await rpc(p).call('negotiations.finalize', { negotiation, termsHash: terms })
    const finals = await Promise.all(parties.map((p) => until(p, 'BINDING', (s) => s.status === 'BINDING')))
    const hash = finals[0]!.bindingHash
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    for (const s of finals) {
      expect(s.bindingHash).toBe(hash)
      expect(s.signers).toEqual(parties.map((p) => p.publicKey!).sort())
      expect(s.rejected).toEqual([])
    }
    // The same messages everywhere, in the same fold order.
    const timelines = finals.map((s) => s.timeline.map((m) => m.hash))
    expect(timelines[1]).toEqual(timelines[0])
    expect(timelines[2]).toEqual(timelines[0])

    // Immutable after BINDING, refused before anything is signed.
    const late = (await rpc(bob).call('negotiations.offer', { negotiation, changes: [{ op: 'remove', clause: 'cost' }] }).catch((e: unknown) => e)) as RpcError
    expect(late.code).toBe('ILLEGAL_ACTION')

    // Carol's own receipt log survived the kill intact.
    expect(await rpc(carol).call('receipts.verify')).toMatchObject({ ok: true })
    const bundle = await rpc(carol).call('negotiations.export', { negotiation })
    expect(await rpc(alice).call('bundles.verify', { bundle: JSON.stringify(bundle) })).toMatchObject({ valid: true, status: 'BINDING', bindingHash: hash })
  }, 600_000)

  it('a second trust serve on a running profile exits with PROFILE_LOCKED', async () => {
    await expect(spawnTrust(['serve', '--profile', bob.profile, '--network', network])).rejects.toThrow(/PROFILE_LOCKED/)
    expect(await rpc(bob).call('identity.status')).toMatchObject({ unlocked: true })
  }, 60_000)

  it('network.status names the connected counterparties', async () => {
    const status = await rpc(alice).call<{ mode: string; bootstrap: string[]; peers: { publicKey: string }[] }>('network.status')
    expect(status.mode).toBe('bootstrap')
    expect(status.bootstrap).toEqual([network.slice('bootstrap='.length)])
    expect(status.peers.map((p) => p.publicKey).sort()).toEqual([bob.publicKey, carol.publicKey].sort())
  })
})
