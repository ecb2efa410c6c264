/**
 * What the demo screen shows, read from the two peers: each side's own identity,
 * fold, receipt chain and checkpoints, and the hash chain as the union of the
 * envelopes both sides stored, each node carrying every holder's verdict and
 * receipt. Nothing here decides anything: it copies what the engines answer.
 *
 * A refresh follows every engine event, so it has to be cheap and must not hold
 * up the replication it reports on: only the side whose engine changed is read
 * again, envelopes are parsed once per hash, and receipts are read from where the
 * last read ended (a receipt chain only grows).
 */
import type { DemoCheckpoint, DemoMessage, DemoMessageView, DemoParty, MessageType, NegotiationState } from '../../api.js'
import { TrustError } from '../errors.js'
import { parseEnvelope } from '../protocol/envelope.js'
import { PARTY_NAMES, SIDES, type DemoSession, type Side } from './demo-session.js'

/** Receipts read per call; a demo writes a few dozen. */
const MAX_RECEIPTS = 1000

export interface DemoPicture {
  parties: DemoParty[]
  messages: DemoMessage[]
}

type ParsedMessage = Omit<DemoMessage, 'views' | 'signatureValid'>

interface SideView {
  party: DemoParty
  /** Every message this side stored, in its fold order, with its own verdict and receipt. */
  held: { hash: string; sigValid: boolean; view: DemoMessageView }[]
}

/** What one session has read so far. */
export class PictureCache {
  readonly parsed = new Map<string, ParsedMessage>()
  readonly receipts: Record<Side, { count: number; head: string | null; byRef: Map<string, number> }> = {
    alice: { count: 0, head: null, byRef: new Map() },
    bob: { count: 0, head: null, byRef: new Map() },
  }
  readonly sides: Record<Side, SideView | null> = { alice: null, bob: null }
  readonly keys: Record<Side, { publicKey: string; fingerprint: string } | null> = { alice: null, bob: null }
}

/** Lets pending I/O (replication) run between two reads. */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Reads `sides` again (the others keep what was read before) and returns the whole picture. */
export async function readPicture(
  session: DemoSession,
  negotiation: string | null,
  checkpoints: Record<Side, DemoCheckpoint[]>,
  cache: PictureCache,
  sides: readonly Side[] = SIDES,
): Promise<DemoPicture> {
  for (const [i, side] of sides.entries()) {
    if (i > 0) await yieldToIo()
    cache.sides[side] = await readSide(session, side, negotiation, checkpoints[side], cache)
  }
  return merge(cache, checkpoints)
}

async function readSide(session: DemoSession, side: Side, negotiation: string | null, checkpoints: DemoCheckpoint[], cache: PictureCache): Promise<SideView> {
  const { api, internals } = session.peers[side]
  if (cache.keys[side] === null) {
    const me = await api['identity.status']({})
    if (me.publicKey !== undefined && me.fingerprint !== undefined) cache.keys[side] = { publicKey: me.publicKey, fingerprint: me.fingerprint }
  }
  const key = cache.keys[side]
  let state: NegotiationState | null = null
  if (negotiation !== null && key !== null) {
    state = await api['negotiations.get']({ negotiation }).catch((err: unknown) => {
      if (TrustError.from(err).code === 'NOT_FOUND') return null // Bob, before he joins
      throw err
    })
  }
  const chain = cache.receipts[side]
  if (key !== null) {
    for (const r of await api['receipts.list']({ from: chain.count, limit: MAX_RECEIPTS })) {
      if (r.seq !== chain.count) break // never skip one: the next read starts here again
      if (r.ref !== null && !chain.byRef.has(r.ref)) chain.byRef.set(r.ref, r.seq)
      chain.count = r.seq + 1
      chain.head = r.hash
    }
  }
  const party: DemoParty = {
    side,
    name: PARTY_NAMES[side],
    publicKey: key?.publicKey ?? null,
    fingerprint: key?.fingerprint ?? null,
    state,
    receipts: { count: chain.count, head: chain.head, checkpoints: checkpoints.map((c) => ({ ...c })) },
  }
  const held: SideView['held'] = []
  if (state !== null && negotiation !== null) {
    const verdicts = new Map(state.timeline.map((m) => [m.hash, m]))
    for (const stored of internals.storedEnvelopes(negotiation)) {
      const entry = verdicts.get(stored.hash)
      if (entry === undefined) continue
      if (!cache.parsed.has(stored.hash)) {
        const env = parseEnvelope(stored.bytes).envelope
        cache.parsed.set(stored.hash, {
          hash: stored.hash,
          author: env.author,
          type: env.type as MessageType,
          seq: env.seq,
          lamport: env.lamport,
          refs: [...env.refs],
          time: env.time,
          label: labelOf(env.type, env.body as Record<string, unknown>),
        })
      }
      held.push({
        hash: stored.hash,
        sigValid: stored.sigValid,
        view: { side, verdict: entry.verdict, ...(entry.reason === undefined ? {} : { reason: entry.reason }), receipt: chain.byRef.get(stored.hash) ?? null },
      })
    }
  }
  return { party, held }
}

function emptyParty(side: Side, checkpoints: DemoCheckpoint[]): DemoParty {
  return { side, name: PARTY_NAMES[side], publicKey: null, fingerprint: null, state: null, receipts: { count: 0, head: null, checkpoints: checkpoints.map((c) => ({ ...c })) } }
}

function merge(cache: PictureCache, checkpoints: Record<Side, DemoCheckpoint[]>): DemoPicture {
  const merged = new Map<string, DemoMessage>()
  for (const side of SIDES) {
    for (const h of cache.sides[side]?.held ?? []) {
      const known = merged.get(h.hash)
      if (known !== undefined) {
        known.views.push({ ...h.view })
        continue
      }
      const parsed = cache.parsed.get(h.hash)!
      merged.set(h.hash, { ...parsed, refs: [...parsed.refs], signatureValid: h.sigValid, views: [{ ...h.view }] })
    }
  }
  const messages = [...merged.values()].sort((a, b) => a.lamport - b.lamport || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
  return { parties: SIDES.map((side) => cache.sides[side]?.party ?? emptyParty(side, checkpoints[side])), messages }
}

const MONEY = /\$[0-9][0-9,]*/

/** A few words that tell one node of the chain from another. */
export function labelOf(type: string, body: Record<string, unknown>): string {
  switch (type) {
    case 'GENESIS': {
      const clauses = Array.isArray(body.clauses) ? (body.clauses as { text?: unknown }[]) : []
      const money = clauses.map((c) => (typeof c.text === 'string' ? MONEY.exec(c.text)?.[0] : undefined)).find((m) => m !== undefined)
      return money ? `claims ${money}` : `${clauses.length} clauses`
    }
    case 'JOIN':
      return 'joins'
    case 'OFFER': {
      const [first] = Array.isArray(body.changes) ? (body.changes as { op?: unknown; clause?: unknown; text?: unknown }[]) : []
      if (first === undefined) return 'offer'
      const money = typeof first.text === 'string' ? MONEY.exec(first.text)?.[0] : undefined
      return money ?? `${String(first.op)} ${String(first.clause)}`.slice(0, 24)
    }
    case 'LOCK':
      return `locks ${String(body.clause)}`.slice(0, 24)
    case 'ACCEPT':
    case 'FINALIZE':
      return `terms ${String(body.termsHash).slice(0, 6)}`
    case 'WITHDRAW':
      return 'withdraws'
    case 'DISPUTE':
      return 'disputes'
    case 'APPEAL_DECISION':
      return String(body.outcome)
    case 'RESOLVE':
      return 'settles'
    default:
      return type.toLowerCase()
  }
}
