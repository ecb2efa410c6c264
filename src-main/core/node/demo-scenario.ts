/**
 * The demo negotiation (DESIGN section 11, "Demo"): N parties (2..5) on one
 * embedded DHT, each a full createNode() peer on a temporary profile, driven only
 * through the TrustApi (`node.call`), as a UI would. The story is the seed's:
 * Alice claims damages from Bob; offers and counter-offers; a clause locked;
 * accept; finalize -> BINDING; a later offer refused because the terms are
 * immutable. Each step reports its time and every party's receipt chain, so a
 * caller (the CLI, the app's demo view) can show the chain growing.
 */
import path from 'node:path'
import type { NegotiationState } from '../../api.js'
import { TrustError } from '../errors.js'
import { createNetwork } from '../sync/index.js'
import { createNode, type TrustNode } from '../node.js'

export const DEMO_NAMES = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin'] as const

export interface DemoParty {
  name: string
  publicKey: string
  fingerprint: string
  node: TrustNode
}

export interface DemoStep {
  index: number
  title: string
  /** One line per fact worth showing. */
  lines: string[]
  /** Wall time of this step. */
  ms: number
  /** Receipts per party after the step: count and head hash. */
  receipts: { name: string; count: number; head: string | null }[]
}

export interface DemoResult {
  negotiation: string
  parties: { name: string; publicKey: string; status: string; bindingHash: string | null }[]
  bindingHash: string | null
  /** Messages in the negotiation (GENESIS included) as Alice holds them. */
  messages: number
  /** True when every party is BINDING with one binding hash. */
  converged: boolean
}

export interface DemoOptions {
  parties: number
  /** Where the temporary profiles go (one sub-directory per party). */
  profilesDir: string
  onStep(step: DemoStep): void
  /** Longest wait for the parties to converge after a step. Default 60 s. */
  stepTimeoutMs?: number
  /** Runs once the negotiation is BINDING, before the nodes close (the CLI writes its files here). */
  atEnd?(parties: DemoParty[], result: DemoResult): Promise<void>
}

/** Demo profiles are throwaway; the passphrase still has to pass the policy. */
const DEMO_PASSPHRASE = 'demo passphrase, not a secret'

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const n = options.parties
  if (!Number.isSafeInteger(n) || n < 2 || n > DEMO_NAMES.length) throw TrustError.invalidInput(`--parties must be 2 to ${DEMO_NAMES.length}`)
  const timeout = options.stepTimeoutMs ?? 60_000
  const network = await createNetwork('local')
  const parties: DemoParty[] = []
  let index = 0
  const step = async (title: string, body: () => Promise<string[]>): Promise<void> => {
    const started = performance.now()
    const lines = await body()
    const ms = Math.round(performance.now() - started)
    const receipts = await Promise.all(parties.map(async (p) => ({ name: p.name, ...(await receiptHead(p.node)) })))
    options.onStep({ index: ++index, title, lines, ms, receipts })
  }
  const waitAll = (what: string, ok: (s: NegotiationState) => boolean, id: string): Promise<NegotiationState[]> =>
    Promise.all(parties.map((p) => waitFor(p, id, ok, `${p.name}: ${what}`, timeout)))

  try {
    await step(`start ${n} peers on an embedded DHT (127.0.0.1)`, async () => {
      const nodes = await Promise.all(
        DEMO_NAMES.slice(0, n).map((name) => createNode({ profileDir: path.join(options.profilesDir, name.toLowerCase()), network, logLevel: 'info' })),
      )
      const keys = await Promise.all(
        nodes.map((node, i) => node.call('identity.create', { name: DEMO_NAMES[i], passphrase: DEMO_PASSPHRASE }) as Promise<{ publicKey: string; fingerprint: string }>),
      )
      nodes.forEach((node, i) => parties.push({ name: DEMO_NAMES[i]!, publicKey: keys[i]!.publicKey, fingerprint: keys[i]!.fingerprint, node }))
      return parties.map((p) => `${p.name.padEnd(5)} ${p.fingerprint}  (new Ed25519 identity, key sealed with scrypt)`)
    })

    await step('exchange signed contact cards', async () => {
      const cards = await Promise.all(parties.map((p) => p.node.call('contacts.myCard') as Promise<{ card: string }>))
      for (const p of parties) {
        for (const [i, other] of parties.entries()) if (other !== p) await p.node.call('contacts.add', { card: cards[i]!.card })
      }
      return [`${parties.length * (parties.length - 1)} cards checked and added (signature, key, name)`]
    })

    const [alice, bob] = [parties[0]!, parties[1]!]
    const k = n === 2 ? 2 : Math.floor(n / 2) + 1
    let negotiation = ''
    let invite = ''
    await step(`Alice opens the negotiation (n = ${n}, k = ${k})`, async () => {
      const created = (await alice.node.call('negotiations.create', {
        title: `Damages claim: Alice v. Bob${n > 2 ? ` (with ${parties.slice(2).map((p) => p.name).join(', ')})` : ''}`,
        participants: parties.slice(1).map((p) => p.publicKey),
        clauses: [
          { id: 'amount', title: 'Damages', text: 'Bob pays Alice $1,000 in damages for the broken fence.' },
          { id: 'deadline', title: 'Payment date', text: 'Payment is due within 30 days of signing.' },
          { id: 'venue', title: 'Disputes', text: 'Any dispute about this agreement goes to mediation first.' },
        ],
        requiredConsensus: k,
        deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      })) as { negotiation: string; invite: string }
      negotiation = created.negotiation
      invite = created.invite
      return [`negotiation ${negotiation}`, `invite ${invite.slice(0, 48)}...`]
    })

    await step('the others join by invite (GENESIS fetched from Alice\'s feed)', async () => {
      await Promise.all(parties.slice(1).map((p) => p.node.call('negotiations.join', { invite })))
      await waitAll('NEGOTIATING', (s) => s.status === 'NEGOTIATING', negotiation)
      return [`all ${n} joined; status NEGOTIATING everywhere`]
    })

    const offer = async (who: DemoParty, text: string, note: string): Promise<string[]> => {
      const r = (await who.node.call('negotiations.offer', { negotiation, changes: [{ op: 'set', clause: 'amount', text }], note })) as {
        state: NegotiationState
      }
      await waitAll('the new terms', (s) => s.termsHash === r.state.termsHash, negotiation)
      return [`${who.name}: "${text}"`, `terms ${r.state.termsHash.slice(0, 16)}... seen by all`]
    }
    await step('Alice offers $500', () => offer(alice, 'Bob pays Alice $500 in damages for the broken fence.', 'a quick settlement'))
    await step('Bob counters with $750', () => offer(bob, 'Bob pays Alice $750 in damages for the broken fence.', 'meet in the middle'))

    await step(`${k} parties lock the disputes clause`, async () => {
      for (const p of parties.slice(0, k)) await p.node.call('negotiations.lock', { negotiation, clause: 'venue' })
      await waitAll('the lock', (s) => s.lockedClauses.includes('venue'), negotiation)
      const refused = await alice.node.call('negotiations.offer', { negotiation, changes: [{ op: 'remove', clause: 'venue' }] }).then(
        () => 'accepted?!',
        (e: unknown) => TrustError.from(e).code,
      )
      return ['clause "venue" is locked: it can no longer change', `an offer removing it is refused: ${refused}`]
    })

    let termsHash = ''
    await step('everyone accepts the $750 terms (naming the terms hash they read)', async () => {
      termsHash = ((await alice.node.call('negotiations.get', { negotiation })) as NegotiationState).termsHash
      await Promise.all(parties.map((p) => p.node.call('negotiations.accept', { negotiation, termsHash })))
      await waitAll('every accept', (s) => s.status === 'CONSENSUS_REACHED' && s.accepts.length === n, negotiation)
      return [`${n} accepts for ${termsHash.slice(0, 16)}...; status CONSENSUS_REACHED`]
    })

    let states: NegotiationState[] = []
    await step(`${k} parties finalize: BINDING`, async () => {
      await Promise.all(parties.slice(0, k).map((p) => p.node.call('negotiations.finalize', { negotiation, termsHash })))
      states = await waitAll('BINDING', (s) => s.status === 'BINDING', negotiation)
      const hashes = new Set(states.map((s) => s.bindingHash))
      return [`signers: ${states[0]!.signers.map((key) => parties.find((p) => p.publicKey === key)?.name ?? key).join(', ')}`, `binding hash ${[...hashes].join(' / ')}`]
    })

    await step('Alice tries to change the amount after binding', async () => {
      const refused = await alice.node.call('negotiations.offer', { negotiation, changes: [{ op: 'set', clause: 'amount', text: 'Bob pays Alice $2,000.' }] }).then(
        () => null,
        (e: unknown) => TrustError.from(e),
      )
      if (refused === null) throw new TrustError('INTERNAL', 'an offer after BINDING was accepted')
      return [`refused: ${refused.message}`, 'the agreement is immutable; nothing was signed']
    })

    const finals = await Promise.all(parties.map((p) => p.node.call('negotiations.get', { negotiation }) as Promise<NegotiationState>))
    const bindingHash = finals[0]?.bindingHash ?? null
    const result: DemoResult = {
      negotiation,
      parties: finals.map((s, i) => ({ name: parties[i]!.name, publicKey: parties[i]!.publicKey, status: s.status, bindingHash: s.bindingHash })),
      bindingHash,
      messages: finals[0]?.timeline.length ?? 0,
      converged: bindingHash !== null && finals.every((s) => s.status === 'BINDING' && s.bindingHash === bindingHash),
    }
    await options.atEnd?.(parties, result)
    return result
  } finally {
    await Promise.allSettled(parties.map((p) => p.node.close()))
    await network.close()
  }
}

async function receiptHead(node: TrustNode): Promise<{ count: number; head: string | null }> {
  const status = (await node.call('identity.status')) as { exists: boolean }
  if (!status.exists) return { count: 0, head: null }
  const verified = (await node.call('receipts.verify')) as { count: number }
  if (verified.count === 0) return { count: 0, head: null }
  const [last] = (await node.call('receipts.list', { from: verified.count - 1, limit: 1 })) as { hash: string }[]
  return { count: verified.count, head: last?.hash ?? null }
}

async function waitFor(party: DemoParty, negotiation: string, ok: (s: NegotiationState) => boolean, what: string, timeoutMs: number): Promise<NegotiationState> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const state = (await party.node.call('negotiations.get', { negotiation }).catch(() => null)) as NegotiationState | null
    if (state !== null && ok(state)) return state
    if (Date.now() > deadline) throw new TrustError('NETWORK', `the demo did not converge: ${what} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
