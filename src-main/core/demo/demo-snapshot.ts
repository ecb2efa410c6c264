/**
 * What the demo screen shows, read from the two peers: each side's own identity,
 * fold, receipt chain and checkpoints, and the hash chain as the union of the
 * envelopes both sides stored, each node carrying every holder's verdict and
 * receipt. Nothing here decides anything: it copies what the engines answer.
 */
import type { DemoCheckpoint, DemoMessage, DemoMessageView, DemoParty, MessageType, NegotiationState } from '../../api.js'
import { TrustError } from '../errors.js'
import { parseEnvelope } from '../protocol/envelope.js'
import { PARTY_NAMES, SIDES, type DemoSession, type Side } from './demo-session.js'

/** Receipts read per side; a demo writes a few dozen. */
const MAX_RECEIPTS = 1000

export interface DemoPicture {
  parties: DemoParty[]
  messages: DemoMessage[]
}

type ParsedMessage = Omit<DemoMessage, 'views' | 'signatureValid'>

/**
 * What one session has read before: envelopes are parsed once per hash, and each
 * side's receipts are read from where the last read ended (a receipt chain only
 * grows), so a refresh after every engine event stays cheap and does not hold up
 * the replication it reports on.
 */
export class PictureCache {
  readonly parsed = new Map<string, ParsedMessage>()
  readonly receipts: Record<Side, { count: number; head: string | null; byRef: Map<string, number> }> = {
    alice: { count: 0, head: null, byRef: new Map() },
    bob: { count: 0, head: null, byRef: new Map() },
  }
}

/** Lets pending I/O (replication) run between the two sides' reads. */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export async function readPicture(
  session: DemoSession,
  negotiation: string | null,
  checkpoints: Record<Side, DemoCheckpoint[]>,
  cache: PictureCache = new PictureCache(),
): Promise<DemoPicture> {
  const merged = new Map<string, DemoMessage>()
  const parties: DemoParty[] = []
  for (const side of SIDES) {
    if (side !== SIDES[0]) await yieldToIo()
    const { api, internals } = session.peers[side]
    const me = await api['identity.status']({})
    let state: NegotiationState | null = null
    if (negotiation !== null && me.exists) {
      state = await api['negotiations.get']({ negotiation }).catch((err: unknown) => {
        if (TrustError.from(err).code === 'NOT_FOUND') return null // Bob, before he joins
        throw err
      })
    }
    const chain = cache.receipts[side]
    if (me.exists) {
      for (const r of await api['receipts.list']({ from: chain.count, limit: MAX_RECEIPTS })) {
        if (r.seq !== chain.count) break // never skip one: the next read starts here again
        if (r.ref !== null && !chain.byRef.has(r.ref)) chain.byRef.set(r.ref, r.seq)
        chain.count = r.seq + 1
        chain.head = r.hash
      }
    }
    parties.push({
      side,
      name: PARTY_NAMES[side],
      publicKey: me.publicKey ?? null,
      fingerprint: me.fingerprint ?? null,
      state,
      receipts: { count: chain.count, head: chain.head, checkpoints: checkpoints[side].map((c) => ({ ...c })) },
    })
    if (state === null || negotiation === null) continue
    const verdicts = new Map(state.timeline.map((m) => [m.hash, m]))
    for (const stored of internals.storedEnvelopes(negotiation)) {
      const entry = verdicts.get(stored.hash)
      if (entry === undefined) continue
      const view: DemoMessageView = { side, verdict: entry.verdict, ...(entry.reason === undefined ? {} : { reason: entry.reason }), receipt: chain.byRef.get(stored.hash) ?? null }
      const known = merged.get(stored.hash)
      if (known !== undefined) {
        known.views.push(view)
        continue
      }
      let parsed = cache.parsed.get(stored.hash)
      if (parsed === undefined) {
        const env = parseEnvelope(stored.bytes).envelope
        parsed = {
          hash: stored.hash,
          author: env.author,
          type: env.type as MessageType,
          seq: env.seq,
          lamport: env.lamport,
          refs: [...env.refs],
          time: env.time,
          label: labelOf(env.type, env.body as Record<string, unknown>),
        }
        cache.parsed.set(stored.hash, parsed)
      }
      merged.set(stored.hash, { ...parsed, refs: [...parsed.refs], signatureValid: stored.sigValid, views: [view] })
    }
  }
  const messages = [...merged.values()].sort((a, b) => a.lamport - b.lamport || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
  return { parties, messages }
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
