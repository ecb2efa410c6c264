/**
 * The live demo's story (issue 11, after the original plan): Alice claims $1,000
 * in damages from Bob; offers go back and forth; a clause is locked; both accept,
 * both finalize: BINDING; a change after binding is refused. Then the optional
 * steps: a forgery by a third party, a fork of an earlier offer by Bob's modified
 * app (DESIGN 4.1), and a dispute with its appeal window.
 *
 * One protocol action per step, through each peer's own TrustApi, as a user's app
 * would. A step that signs a message waits until the other side's engine has it,
 * so the next step acts on what both have seen. Every line a step reports is
 * read from the engines' answers.
 */
import type { ActionResult, DemoActor, DemoCheckpoint, DemoLatency, NegotiationState, TrustErrorCode } from '../../api.js'
import { TrustError } from '../errors.js'
import { generateKeyPair } from '../crypto/ed25519.js'
import { createSigner } from '../crypto/signer.js'
import { parseEnvelope, type SignedEnvelope } from '../protocol/envelope.js'
import type { UnsignedEnvelope } from '../protocol/envelope-schema.js'
import { forgeEnvelope, forkEnvelope } from './demo-adversary.js'
import { DEMO_PASSPHRASE, PARTY_NAMES, preciseNow, type DemoPeer, type DemoSession, type Side } from './demo-session.js'

export interface StepOutcome {
  lines: string[]
  hash?: string
  latency?: DemoLatency
  refused?: { side: Side; code: TrustErrorCode; reason: string | null; message: string }
}

/** What the steps share within one session. */
export interface ScriptContext {
  readonly session: DemoSession
  negotiation: string | null
  invite: string | null
  readonly checkpoints: Record<Side, DemoCheckpoint[]>
  /** Called as soon as a step has signed its message, before the other side has it. */
  signed(hash: string, latency: DemoLatency): void
}

export interface ScriptStep {
  id: string
  title: string
  actor: DemoActor
  optional: boolean
  run(ctx: ScriptContext): Promise<StepOutcome>
}

const amount = (dollars: string): string => `Bob pays Alice ${dollars} in damages for the broken fence.`

export const DEMO_TITLE = 'Damages claim: Alice v. Bob'
const CLAUSES = [
  { id: 'amount', title: 'Damages', text: amount('$1,000') },
  { id: 'payment', title: 'Payment date', text: 'Payment is due within 30 days of signing.' },
  { id: 'venue', title: 'Disputes', text: 'Any dispute about this agreement goes to mediation first.' },
]

const short = (hash: string): string => hash.slice(0, 12)
const POSSESSIVE: Readonly<Record<Side, string>> = { alice: 'her', bob: 'his' }

function negotiationOf(ctx: ScriptContext): string {
  if (ctx.negotiation === null) throw new TrustError('ILLEGAL_ACTION', 'the negotiation has not been opened yet')
  return ctx.negotiation
}

function stateOf(ctx: ScriptContext, side: Side): Promise<NegotiationState> {
  return ctx.session.guard(ctx.session.peers[side].api['negotiations.get']({ negotiation: negotiationOf(ctx) }))
}

/**
 * Lets the state that shows a new arrival go out before the step goes on: the
 * controller announces once per turn of the event loop, and what a step does
 * next (signing checkpoints) would otherwise stand between the arrival and the paint.
 */
const afterAnnouncement = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** One action on `side`'s engine; resolves once the other side's engine has stored the message. */
async function act(ctx: ScriptContext, side: Side, run: (peer: DemoPeer) => Promise<ActionResult>): Promise<ActionResult & { latency: DemoLatency }> {
  const s = ctx.session
  const actedAt = preciseNow()
  const result = await s.guard(run(s.peers[side]))
  const to = s.other(side)
  ctx.signed(result.hash, { from: side, to, hash: result.hash, actedAt, arrivedAt: s.arrivedAt(to, result.hash) })
  const arrivedAt = await s.waitHeld(to, result.hash)
  await afterAnnouncement()
  return { ...result, latency: { from: side, to, hash: result.hash, actedAt, arrivedAt } }
}

/** The other side's fold after it took the message in. */
async function seenBy(ctx: ScriptContext, side: Side): Promise<string> {
  const state = await stateOf(ctx, side)
  return `${PARTY_NAMES[side]}'s engine: ${state.status}, terms ${short(state.termsHash)}`
}

function offerStep(id: string, side: Side, dollars: string, note: string, title: string): ScriptStep {
  return {
    id,
    title,
    actor: side,
    optional: false,
    async run(ctx) {
      const negotiation = negotiationOf(ctx)
      const r = await act(ctx, side, (p) => p.api['negotiations.offer']({ negotiation, changes: [{ op: 'set', clause: 'amount', text: amount(dollars) }], note }))
      return {
        hash: r.hash,
        latency: r.latency,
        lines: [`OFFER ${short(r.hash)} signed by ${PARTY_NAMES[side]}: "${amount(dollars)}"`, `new terms ${short(r.state.termsHash)}`, await seenBy(ctx, ctx.session.other(side))],
      }
    },
  }
}

function lockStep(id: string, side: Side, title: string): ScriptStep {
  return {
    id,
    title,
    actor: side,
    optional: false,
    async run(ctx) {
      const negotiation = negotiationOf(ctx)
      const r = await act(ctx, side, (p) => p.api['negotiations.lock']({ negotiation, clause: 'venue' }))
      const other = await stateOf(ctx, ctx.session.other(side))
      const locked = other.lockedClauses.includes('venue')
      return {
        hash: r.hash,
        latency: r.latency,
        lines: [
          `LOCK ${short(r.hash)} of the clause "venue" by ${PARTY_NAMES[side]}`,
          locked ? 'both parties locked it: no offer may change it any more' : `${r.state.requiredConsensus} locks are needed; this is the first`,
        ],
      }
    },
  }
}

function acceptStep(id: string, side: Side, title: string): ScriptStep {
  return {
    id,
    title,
    actor: side,
    optional: false,
    async run(ctx) {
      const negotiation = negotiationOf(ctx)
      // The terms hash this side's own engine shows: what its user read.
      const { termsHash } = await stateOf(ctx, side)
      const r = await act(ctx, side, (p) => p.api['negotiations.accept']({ negotiation, termsHash }))
      return {
        hash: r.hash,
        latency: r.latency,
        lines: [`ACCEPT ${short(r.hash)} of terms ${short(termsHash)} by ${PARTY_NAMES[side]}`, `${r.state.accepts.length} of ${r.state.requiredConsensus} accepts`, await seenBy(ctx, ctx.session.other(side))],
      }
    },
  }
}

async function checkpointBoth(ctx: ScriptContext): Promise<string[]> {
  const lines: string[] = []
  for (const side of ['alice', 'bob'] as const) {
    const { note } = await ctx.session.guard(ctx.session.peers[side].api['receipts.checkpoint']({}))
    const size = Number(note.split('\n')[1])
    const list = ctx.checkpoints[side]
    if (list.at(-1)?.size !== size) list.push({ size, time: new Date().toISOString() })
    lines.push(`${PARTY_NAMES[side]} signs a checkpoint of ${POSSESSIVE[side]} receipt log: ${size} receipts`)
  }
  return lines
}

function finalizeStep(id: string, side: Side, title: string, last: boolean): ScriptStep {
  return {
    id,
    title,
    actor: side,
    optional: false,
    async run(ctx) {
      const negotiation = negotiationOf(ctx)
      const { termsHash } = await stateOf(ctx, side)
      const r = await act(ctx, side, (p) => p.api['negotiations.finalize']({ negotiation, termsHash }))
      const lines = [`FINALIZE ${short(r.hash)} of terms ${short(termsHash)} by ${PARTY_NAMES[side]}`]
      if (!last) return { hash: r.hash, latency: r.latency, lines: [...lines, `${r.state.finalizers.length} of ${r.state.requiredConsensus} signatures`] }
      const [a, b] = [await stateOf(ctx, 'alice'), await stateOf(ctx, 'bob')]
      lines.push(`Alice's engine: ${a.status}, binding hash ${a.bindingHash ?? 'none'}`)
      lines.push(`Bob's engine: ${b.status}, binding hash ${b.bindingHash ?? 'none'}`)
      lines.push(a.bindingHash !== null && a.bindingHash === b.bindingHash ? 'the same binding hash, computed by each side on its own' : 'the binding hashes differ')
      return { hash: r.hash, latency: r.latency, lines: [...lines, ...(await checkpointBoth(ctx))] }
    },
  }
}

/** Both sides' stored envelopes, one per hash. */
function storedEnvelopes(ctx: ScriptContext, side: Side): SignedEnvelope[] {
  return ctx.session.peers[side].internals.storedEnvelopes(negotiationOf(ctx)).map((m) => parseEnvelope(m.bytes))
}

async function verdictLine(ctx: ScriptContext, side: Side, hash: string): Promise<string> {
  const entry = (await stateOf(ctx, side)).timeline.find((m) => m.hash === hash)
  return `${PARTY_NAMES[side]}'s engine: ${entry === undefined ? 'does not hold it' : `${entry.verdict}${entry.reason ? ` (${entry.reason})` : ''}`}`
}

export const DEMO_SCRIPT: readonly ScriptStep[] = [
  {
    id: 'identities',
    title: 'Alice and Bob each create an identity and exchange contact cards',
    actor: 'demo',
    optional: false,
    async run(ctx) {
      const s = ctx.session
      // Both at once: scrypt runs on the thread pool, one core each.
      const keys = await s.guard(
        Promise.all((['alice', 'bob'] as const).map((side) => s.peers[side].api['identity.create']({ name: PARTY_NAMES[side], passphrase: DEMO_PASSPHRASE }))),
      )
      const lines = (['alice', 'bob'] as const).map(
        (side, i) => `${PARTY_NAMES[side]}: a new Ed25519 key, fingerprint ${keys[i]!.fingerprint}, sealed on ${POSSESSIVE[side]} own disk with scrypt`,
      )
      const cards = { alice: await s.peers.alice.api['contacts.myCard']({}), bob: await s.peers.bob.api['contacts.myCard']({}) }
      await s.guard(s.peers.alice.api['contacts.add']({ card: cards.bob.card }))
      await s.guard(s.peers.bob.api['contacts.add']({ card: cards.alice.card }))
      lines.push('signed contact cards exchanged; each side checked the other\'s signature')
      return { lines }
    },
  },
  {
    id: 'create',
    title: 'Alice opens the negotiation and claims $1,000',
    actor: 'alice',
    optional: false,
    async run(ctx) {
      const s = ctx.session
      const bob = (await s.peers.bob.api['identity.status']({})).publicKey
      if (bob === undefined) throw new TrustError('NO_IDENTITY', 'Bob has no identity yet')
      const created = await s.guard(
        s.peers.alice.api['negotiations.create']({
          title: DEMO_TITLE,
          participants: [bob],
          clauses: CLAUSES,
          requiredConsensus: 2,
          deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        }),
      )
      ctx.negotiation = created.negotiation
      ctx.invite = created.invite
      return {
        hash: created.negotiation,
        lines: [
          `GENESIS ${short(created.negotiation)} signed by Alice: its hash is the negotiation's id`,
          'two parties, and both must sign (k = 2)',
          `Alice sends Bob the invite ${created.invite.slice(0, 28)}...`,
        ],
      }
    },
  },
  {
    id: 'join',
    title: 'Bob joins by invite',
    actor: 'bob',
    optional: false,
    async run(ctx) {
      const s = ctx.session
      const invite = ctx.invite
      if (invite === null) throw new TrustError('ILLEGAL_ACTION', 'there is no invite yet')
      const actedAt = preciseNow()
      const { negotiation } = await s.guard(s.peers.bob.api['negotiations.join']({ invite }))
      const bobKey = (await s.peers.bob.api['identity.status']({})).publicKey
      const entry = (await stateOf(ctx, 'bob')).timeline.find((m) => m.type === 'JOIN' && m.author === bobKey)
      if (entry === undefined) throw new TrustError('INTERNAL', 'Bob joined but holds no JOIN of his own')
      ctx.signed(entry.hash, { from: 'bob', to: 'alice', hash: entry.hash, actedAt, arrivedAt: s.arrivedAt('alice', entry.hash) })
      const arrivedAt = await s.waitHeld('alice', entry.hash)
      await afterAnnouncement()
      return {
        hash: entry.hash,
        latency: { from: 'bob', to: 'alice', hash: entry.hash, actedAt, arrivedAt },
        lines: [
          `Bob found Alice on the DHT by the invite's secret topic and fetched GENESIS ${short(negotiation)} from her feed`,
          `JOIN ${short(entry.hash)} signed by Bob`,
          await seenBy(ctx, 'alice'),
        ],
      }
    },
  },
  offerStep('offer-500', 'bob', '$500', 'The fence was old.', 'Bob offers $500'),
  offerStep('offer-750', 'alice', '$750', 'Meet me in the middle.', 'Alice counters with $750'),
  lockStep('lock-alice', 'alice', 'Alice locks the disputes clause'),
  lockStep('lock-bob', 'bob', 'Bob locks it too: the clause can no longer change'),
  acceptStep('accept-bob', 'bob', 'Bob accepts $750, naming the terms hash he read'),
  acceptStep('accept-alice', 'alice', 'Alice accepts: consensus'),
  finalizeStep('finalize-alice', 'alice', 'Alice finalizes', false),
  finalizeStep('finalize-bob', 'bob', 'Bob finalizes: BINDING', true),
  {
    id: 'change-refused',
    title: 'Alice tries to raise the amount to $2,000 after binding',
    actor: 'alice',
    optional: false,
    async run(ctx) {
      const negotiation = negotiationOf(ctx)
      const outcome = await ctx.session
        .guard(ctx.session.peers.alice.api['negotiations.offer']({ negotiation, changes: [{ op: 'set', clause: 'amount', text: amount('$2,000') }] }))
        .then(
          () => null,
          (err: unknown) => TrustError.from(err),
        )
      if (outcome === null) throw new TrustError('INTERNAL', 'an offer after BINDING was signed')
      if (outcome.code === 'CLOSED') throw outcome
      const reason = typeof outcome.detail?.reason === 'string' ? outcome.detail.reason : null
      return {
        refused: { side: 'alice', code: outcome.code, reason, message: outcome.message },
        lines: [`refused by Alice's own engine before signing: ${outcome.message}`, 'nothing was signed or sent; the agreement stands'],
      }
    },
  },
  {
    id: 'forgery',
    title: 'Mallory, not a party, forges a dispute in Alice\'s name',
    actor: 'mallory',
    optional: true,
    async run(ctx) {
      const s = ctx.session
      const negotiation = negotiationOf(ctx)
      const alice = await stateOf(ctx, 'alice')
      const aliceKey = alice.participants[0]!
      const held = storedEnvelopes(ctx, 'alice')
      const latest = held.reduce((a, b) => (b.envelope.lamport > a.envelope.lamport ? b : a))
      const aliceSeq = Math.max(...held.filter((m) => m.envelope.author === aliceKey).map((m) => m.envelope.seq)) + 1
      const mallory = createSigner(generateKeyPair().secretKey)
      let forged: SignedEnvelope
      try {
        forged = forgeEnvelope(mallory, {
          v: 1,
          type: 'DISPUTE',
          negotiation,
          author: aliceKey,
          seq: aliceSeq,
          lamport: latest.envelope.lamport + 1,
          refs: [latest.hash],
          time: new Date().toISOString(),
          body: { reason: 'Bob never paid. (Mallory wrote this.)' },
        } as UnsignedEnvelope)
      } finally {
        mallory.wipe()
      }
      // Mallory is in no feed (the handshake admits only the parties), so she sends it by another channel to both.
      for (const side of ['alice', 'bob'] as const) await s.guard(s.peers[side].internals.ingest(forged.bytes))
      return {
        hash: forged.hash,
        lines: [
          `DISPUTE ${short(forged.hash)} names Alice as its author but is signed with Mallory's key`,
          await verdictLine(ctx, 'alice', forged.hash),
          await verdictLine(ctx, 'bob', forged.hash),
          `still ${(await stateOf(ctx, 'alice')).status} on Alice's side and ${(await stateOf(ctx, 'bob')).status} on Bob's; the forgery is kept as evidence`,
        ],
      }
    },
  },
  {
    id: 'equivocation',
    title: 'Bob\'s modified app rewrites his $500 offer after binding',
    actor: 'bob-modified',
    optional: true,
    async run(ctx) {
      const s = ctx.session
      const negotiation = negotiationOf(ctx)
      const bobKey = (await stateOf(ctx, 'bob')).participants[1]!
      const original = storedEnvelopes(ctx, 'bob').find((m) => m.envelope.author === bobKey && m.envelope.type === 'OFFER')
      if (original === undefined) throw new TrustError('NOT_FOUND', 'Bob has made no offer to fork')
      const before = await stateOf(ctx, 'alice')
      // The modified app holds Bob's real key: the fork is correctly signed.
      const fork = forkEnvelope(s.peers.bob.internals.signer(), original, { base: (original.envelope.body as { base: string }).base, changes: [{ op: 'set', clause: 'amount', text: amount('$50') }] })
      // As if it came on Bob's feed, rewritten: the feed carries his identity.
      await s.guard(s.peers.alice.internals.ingest(fork.bytes, { feedOwner: bobKey, negotiation }))
      const after = await stateOf(ctx, 'alice')
      const evidence = after.equivocations.find((e) => e.author === bobKey)
      return {
        hash: fork.hash,
        lines: [
          `a second version of Bob's OFFER #${original.envelope.seq} ("$50" instead of "$500"), correctly signed with Bob's key, its time chosen so its hash ${short(fork.hash)} sorts before the original ${short(original.hash)}`,
          await verdictLine(ctx, 'alice', fork.hash),
          'Alice had built on the original, so it holds; the fork is evidence against Bob',
          evidence ? `Alice's engine records Bob as an equivocator: seq ${evidence.seq}, ${evidence.hashes.length} versions` : 'no equivocation recorded',
          after.bindingHash === before.bindingHash ? `binding hash unchanged: ${after.bindingHash ?? 'none'}` : 'the binding hash changed',
        ],
      }
    },
  },
  {
    id: 'dispute',
    title: 'Alice disputes: the appeal window opens',
    actor: 'alice',
    optional: true,
    async run(ctx) {
      const negotiation = negotiationOf(ctx)
      const r = await act(ctx, 'alice', (p) => p.api['negotiations.dispute']({ negotiation, reason: 'Bob has not paid; I ask for mediation, as the agreement says.' }))
      const bob = await stateOf(ctx, 'bob')
      return {
        hash: r.hash,
        latency: r.latency,
        lines: [
          `DISPUTE ${short(r.hash)} signed by Alice, a signer of the agreement`,
          `Bob's engine: ${bob.status}; appeal ${bob.appeal?.status ?? 'none'} until ${bob.appeal?.due ?? '?'}`,
          'the binding itself stands: an arbiter\'s decision or both signers\' settlement closes the dispute',
          ...(await checkpointBoth(ctx)),
        ],
      }
    },
  },
]
