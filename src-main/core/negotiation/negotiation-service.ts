/**
 * The negotiation service (DESIGN sections 4, 6, 8 and 11): the user's actions,
 * the one path for incoming envelopes, and the jobs' timeouts, over the local store.
 *
 * Every change follows one order: check (refuse before signing), sign, fold,
 * then ONE transaction for the message, the materialised state, the receipt and
 * any trust events, then events to listeners. A negotiation's folder stays in
 * memory (LRU-bounded) so an action folds one message, not the whole history.
 */
import { sha256Hex } from '../crypto/hash.js'
import { isHex } from '../crypto/hex.js'
import type { Signer } from '../crypto/signer.js'
import { TrustError } from '../errors.js'
import type { BodyByType } from '../protocol/body-schemas.js'
import { checkEnvelope } from '../protocol/envelope-check.js'
import type { FoldInput, SignedEnvelope } from '../protocol/envelope.js'
import { createEnvelope, parseEnvelope, verifyEnvelopeSignature } from '../protocol/envelope.js'
import type { UnsignedEnvelope } from '../protocol/envelope-schema.js'
import { fold } from '../protocol/fold/fold.js'
import { sortForFold } from '../protocol/fold/order.js'
import { NegotiationFolder } from '../protocol/fold/folder.js'
import type { NegotiationState } from '../protocol/fold/state.js'
import type { Db } from '../store/database.js'
import { MessageStore, type MessageSource, type Verdict } from '../store/messages.js'
import { NegotiationStore } from '../store/negotiations.js'
import { ACTION_BODIES, asUserInput } from './action-bodies.js'
import { assertAllowed, refuse, type ActionType } from './action-guard.js'
import { genesisBodyFor, type CreateInput } from './create-input.js'
import { knownMessage, loadNegotiation, remember, storedVerdict, type LoadedNegotiation } from './loaded-negotiation.js'
import { LruCache } from './lru-cache.js'
import { StateWriter, waitingStep, type ReceiptSink, type WaitingFields } from './state-writer.js'
import { TrustLedger, type TrustEvent } from './trust-ledger.js'

import type {
  ActionResult,
  CreateResult,
  IngestOptions,
  IngestResult,
  NegotiationServiceEvent,
  NegotiationServiceOptions,
  NegotiationSummary,
  NegotiationView,
  StoredEnvelope,
  TimelineEntry,
} from './service-types.js'


interface Context {
  signer: Signer
  me: string
  nowMs: number
  nowIso: string
}

const RECEIPT_ACTION: Record<string, string> = {
  GENESIS: 'negotiation.create',
  JOIN: 'negotiation.join',
  OFFER: 'negotiation.offer',
  LOCK: 'negotiation.lock',
  ACCEPT: 'negotiation.accept',
  FINALIZE: 'negotiation.finalize',
  WITHDRAW: 'negotiation.withdraw',
  DISPUTE: 'negotiation.dispute',
  APPEAL_DECISION: 'negotiation.decide',
  RESOLVE: 'negotiation.resolve',
}
const OPEN = new Set(['INITIATED', 'NEGOTIATING', 'CONSENSUS_REACHED'])

function negotiationId(value: unknown): string {
  if (!isHex(value, 32)) throw TrustError.invalidInput('negotiation must be a 64 lowercase hex negotiation id')
  return value
}

function paramsOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw TrustError.invalidInput('parameters must be an object')
  return value as Record<string, unknown>
}

export class NegotiationService {
  readonly ledger: TrustLedger
  private readonly db: Db
  private readonly identity: { signer(): Signer }
  private readonly receipts: ReceiptSink
  private readonly now: () => number
  private readonly onEvent: ((event: NegotiationServiceEvent) => void) | undefined
  private readonly messages: MessageStore
  private readonly negotiations: NegotiationStore
  private readonly writer: StateWriter
  private readonly cache: LruCache<string, LoadedNegotiation>

  constructor(options: NegotiationServiceOptions) {
    this.db = options.db
    this.identity = options.identity
    this.receipts = options.receipts
    this.now = options.now ?? Date.now
    this.onEvent = options.onEvent
    this.ledger = options.ledger ?? new TrustLedger({ db: options.db, now: this.now })
    this.messages = new MessageStore(options.db)
    this.negotiations = new NegotiationStore(options.db)
    this.writer = new StateWriter(this.negotiations, this.ledger, this.receipts)
    this.cache = new LruCache(options.cacheSize ?? 256)
  }

  // ---- actions -------------------------------------------------------------

  create(input: CreateInput): CreateResult {
    const ctx = this.context()
    const body = genesisBodyFor(input, ctx.me, ctx.nowMs)
    const unsigned = { v: 1, type: 'GENESIS', author: ctx.me, seq: 0, lamport: 1, refs: [], time: ctx.nowIso, body } as UnsignedEnvelope
    const genesis = asUserInput('create', () => createEnvelope(ctx.signer, unsigned))
    const entry: LoadedNegotiation = { id: genesis.hash, folder: new NegotiationFolder(genesis.hash), messages: new Map() }
    const state = this.foldAndStore(entry, { ...genesis, sigValid: true }, 'local', ctx)
    return { negotiation: genesis.hash, genesis, state }
  }

  /** Appends our JOIN naming our feed key (the sync layer creates the feed). */
  join(params: { negotiation: string; feed: string }): ActionResult {
    return this.act('JOIN', params)
  }

  /** `base`, when given, must still be the current terms hash (STALE_TERMS otherwise). */
  offer(params: { negotiation: string; changes: unknown[]; note?: string; base?: string }): ActionResult {
    return this.act('OFFER', params)
  }

  /** `textHash`, when given, must still be the clause's current textHash (STALE_TERMS otherwise). */
  lock(params: { negotiation: string; clause: string; textHash?: string }): ActionResult {
    return this.act('LOCK', params)
  }

  accept(params: { negotiation: string; termsHash: string }): ActionResult {
    return this.act('ACCEPT', params)
  }

  finalize(params: { negotiation: string; termsHash: string }): ActionResult {
    return this.act('FINALIZE', params)
  }

  withdraw(params: { negotiation: string; reason?: string }): ActionResult {
    return this.act('WITHDRAW', params)
  }

  dispute(params: { negotiation: string; reason: string; evidence?: string }): ActionResult {
    return this.act('DISPUTE', params)
  }

  /** An arbiter's decision on the open dispute (or the one named). */
  decide(params: { negotiation: string; dispute?: string; outcome: 'upheld' | 'rejected'; remedy?: string }): ActionResult {
    return this.act('APPEAL_DECISION', params)
  }

  resolve(params: { negotiation: string; dispute?: string; settlement: string }): ActionResult {
    return this.act('RESOLVE', params)
  }

  private act<T extends ActionType>(type: T, params: unknown): ActionResult {
    const id = negotiationId(paramsOf(params).negotiation)
    const ctx = this.context()
    const entry = this.load(id)
    const before = entry.folder.state(ctx.nowMs)
    assertAllowed(before, ctx.me, type)
    const body = (ACTION_BODIES[type] as (s: NegotiationState, p: unknown) => BodyByType[T])(before, params)
    const next = entry.folder.nextFor(ctx.me)
    const unsigned = {
      v: 1,
      type,
      negotiation: id,
      author: ctx.me,
      seq: next.seq,
      lamport: next.lamport,
      refs: [...next.refs],
      time: ctx.nowIso,
      body,
    } as UnsignedEnvelope
    const signed = asUserInput(type.toLowerCase(), () => createEnvelope(ctx.signer, unsigned))
    const state = this.foldAndStore(entry, { ...signed, sigValid: true }, 'local', ctx)
    return { hash: signed.hash, bytes: signed.bytes, state }
  }

  // ---- incoming ------------------------------------------------------------

  /**
   * The one path for envelopes from peers. Unreadable bytes are a rejected
   * verdict (never thrown) and nothing is stored. A readable envelope of a known
   * negotiation is stored with the fold's verdict, a bad signature included, as
   * evidence. Throws only LOCKED (receipts are signed) or a store failure.
   */
  /**
   * Runs several ingests in one transaction: one fsync for a burst of entries
   * from a feed instead of one per entry (each ingest is still its own savepoint,
   * so one that fails leaves the others). If the commit itself fails, the
   * in-memory folders may hold uncommitted messages: they are dropped and reload.
   * The negotiation rows are written once, at the end (StateWriter.coalescing).
   */
  ingestTogether<T>(run: () => T): T {
    try {
      return this.db.transaction(() => this.writer.coalescing(run))()
    } catch (err) {
      this.cache.clear()
      throw TrustError.from(err)
    }
  }

  ingest(bytes: Uint8Array, options: IngestOptions = {}): IngestResult {
    const ctx = this.context()
    const rawHash = bytes instanceof Uint8Array ? sha256Hex(bytes) : ''
    const feedOwner = options.feedOwner
    if (feedOwner !== undefined && !isHex(feedOwner, 32)) throw TrustError.invalidInput('feedOwner must be a 64 lowercase hex public key')
    if (options.negotiation !== undefined) negotiationId(options.negotiation)
    let signed: SignedEnvelope
    try {
      signed = parseEnvelope(bytes)
    } catch (err) {
      return { hash: rawHash, verdict: 'rejected', reason: TrustError.from(err, 'BAD_ENVELOPE').code, learnedFeeds: [] }
    }
    const env = signed.envelope
    const known = this.messages.get(signed.hash)
    if (known !== undefined) {
      return { hash: signed.hash, verdict: known.verdict, ...(known.reason === null ? {} : { reason: known.reason }), duplicate: true, learnedFeeds: [] }
    }
    const id = env.type === 'GENESIS' ? signed.hash : env.negotiation
    const rejected = (reason: string): IngestResult => ({ hash: signed.hash, verdict: 'rejected', reason, learnedFeeds: [] })
    if (options.negotiation !== undefined && id !== options.negotiation) return rejected('WRONG_NEGOTIATION')
    const isNew = !this.negotiations.has(id)
    if (feedOwner !== undefined && env.author !== feedOwner) {
      // DESIGN section 5: only the owner writes its feed, so a foreign author on it is the owner's doing.
      this.misbehavior(feedOwner, isNew ? null : id, 'FEED_AUTHOR_MISMATCH', signed.hash)
      return rejected('FEED_AUTHOR_MISMATCH')
    }
    if (isNew && env.type !== 'GENESIS') return rejected('UNKNOWN_NEGOTIATION')
    const input: FoldInput = { ...signed, sigValid: verifyEnvelopeSignature(signed) }
    if (isNew) {
      if (!input.sigValid) {
        if (feedOwner !== undefined) this.misbehavior(feedOwner, null, 'BAD_SIGNATURE', signed.hash)
        return rejected('BAD_SIGNATURE')
      }
      const g = (env as { body: BodyByType['GENESIS'] }).body
      if (!g.participants.includes(ctx.me) && !(g.arbiters?.keys.includes(ctx.me) ?? false)) return rejected('NOT_PARTICIPANT')
    }
    const entry: LoadedNegotiation = isNew
      ? { id, folder: new NegotiationFolder(id), messages: new Map() }
      : this.load(id)
    const learned: { publicKey: string; feed: string }[] = []
    this.foldAndStore(entry, input, 'remote', ctx, { feedOwner, learned })
    const stored = entry.messages.get(signed.hash)!
    return {
      hash: signed.hash,
      verdict: stored.verdict,
      ...(stored.reason === null ? {} : { reason: stored.reason }),
      learnedFeeds: learned,
    }
  }

  // ---- queries -------------------------------------------------------------

  /** The state of DESIGN section 4 at now, plus the timeline of every stored message. */
  get(negotiation: string): NegotiationView {
    const id = negotiationId(negotiation)
    const entry = this.load(id)
    const state = entry.folder.state(this.now())
    // Read from the loaded negotiation, not the messages table: it holds every stored
    // envelope parsed and each stored verdict (kept in step with the table), so a
    // 10,000-message timeline costs a sort, not a query and 10,000 rows.
    const inputs: FoldInput[] = []
    for (const hash of entry.messages.keys()) {
      const input = entry.folder.input(hash)
      if (input !== undefined) inputs.push(input)
    }
    const timeline = sortForFold(inputs).map((input): TimelineEntry => {
      const env = input.envelope
      const known = entry.messages.get(input.hash)!
      return {
        hash: input.hash,
        author: env.author,
        type: env.type,
        seq: env.seq,
        lamport: env.lamport,
        time: env.time,
        verdict: known.verdict,
        reason: known.reason,
        refs: env.refs,
        body: env.body as Readonly<Record<string, unknown>>,
        sigValid: input.sigValid,
      }
    })
    return { ...state, timeline }
  }

  /** One stored envelope of `negotiation`, exactly as signed, its signature checked again. NOT_FOUND otherwise. */
  envelope(negotiation: string, hash: string): StoredEnvelope {
    const id = negotiationId(negotiation)
    if (!isHex(hash, 32)) throw TrustError.invalidInput('hash must be 64 lowercase hex characters', { field: 'hash' })
    const row = this.messages.get(hash)
    if (row === undefined || row.negotiation !== id) throw TrustError.notFound(`message ${hash} of negotiation ${id}`)
    const signed = parseEnvelope(row.bytes)
    if (signed.hash !== hash) throw new TrustError('DB_CORRUPT', `stored message ${hash} does not hash to its id`)
    return {
      hash,
      author: signed.envelope.author,
      envelope: signed.envelope as unknown as Readonly<Record<string, unknown>>,
      json: new TextDecoder().decode(row.bytes),
      verified: verifyEnvelopeSignature(signed),
    }
  }

  list(): NegotiationSummary[] {
    const nowIso = new Date(this.now()).toISOString()
    this.writer.flush() // a listener may ask for the list in the middle of a burst
    return this.negotiations.list().map((row) => {
      const summary = JSON.parse(row.stateJson) as WaitingFields
      // The timeout job may not have run yet: a past deadline is EXPIRED whatever the row says.
      const status = OPEN.has(row.status) && row.deadline < nowIso ? 'EXPIRED' : row.status
      const waiting = OPEN.has(status) ? waitingStep(summary) : null
      return {
        negotiation: row.id,
        title: row.title,
        status,
        participants: [...summary.participants],
        deadline: row.deadline,
        updated: row.updatedAt,
        termsHash: row.termsHash,
        bindingHash: row.bindingHash,
        waitingFor: waiting?.step ?? null,
        waitingOn: waiting?.on ?? [],
      }
    })
  }

  /** The state folded from the stored envelope bytes alone, every signature checked again (DESIGN section 6). */
  rebuild(negotiation: string): NegotiationState {
    const id = negotiationId(negotiation)
    if (!this.negotiations.has(id)) throw TrustError.notFound(`negotiation ${id}`)
    const inputs = this.messages.forNegotiation(id).map((row) => checkEnvelope(row.bytes))
    return fold(id, inputs, this.now())
  }

  /** For the sync layer's handshake gating: a participant or arbiter named in GENESIS. */
  isMember(negotiation: string, identity: string): boolean {
    return this.negotiations.participants(negotiation).some((p) => p.publicKey === identity)
  }

  /** Feed keys known for a negotiation: member identity -> Hypercore key (from JOINs, or setFeed). */
  feedsOf(negotiation: string): Map<string, string> {
    const feeds = new Map<string, string>()
    for (const p of this.negotiations.participants(negotiation)) if (p.feedKey !== null) feeds.set(p.publicKey, p.feedKey)
    return feeds
  }

  /**
   * Records a member's feed key learned outside a JOIN (the creator's, from the
   * invite): fills a gap only, a key named by the member's own signed JOIN wins.
   */
  setFeed(negotiation: string, identity: string, feed: string): boolean {
    const id = negotiationId(negotiation)
    if (!isHex(feed, 32)) throw TrustError.invalidInput('feed must be 64 lowercase hex')
    const member = this.negotiations.participants(id).find((p) => p.publicKey === identity)
    if (member === undefined) throw TrustError.notFound(`member ${String(identity)} of negotiation ${id}`)
    if (member.feedKey !== null) return member.feedKey === feed
    this.negotiations.putParticipant(id, { ...member, feedKey: feed })
    return true
  }

  // ---- jobs ----------------------------------------------------------------

  /** The timeout job (DESIGN section 9): marks EXPIRED, with a receipt and TIMEOUT events. Returns the ids. */
  expireDue(now: number = this.now()): string[] {
    this.writer.flush()
    const ids = this.negotiations.openPastDeadline(new Date(now).toISOString())
    return ids.filter((id) => this.rematerialise(id, now, (s) => s.status === 'EXPIRED'))
  }

  /** The appeal SLA job: an appeal past due with no decision is LAPSED (the state stays DISPUTED). */
  lapseDue(now: number = this.now()): string[] {
    const ids = this.negotiations.openAppealsPastDue(new Date(now).toISOString())
    return ids.filter((id) => this.rematerialise(id, now, (s) => s.appeal?.status === 'LAPSED'))
  }

  private rematerialise(id: string, now: number, due: (s: NegotiationState) => boolean): boolean {
    const ctx = this.context(now)
    const state = this.load(id).folder.state(now)
    if (!due(state)) return false
    this.db.transaction(() => this.writer.write(state, { ...ctx, createdAt: ctx.nowIso }))()
    this.emit({ type: 'negotiation', negotiation: id, status: state.status ?? 'INITIATED', termsHash: state.termsHash })
    return true
  }

  // ---- internals -----------------------------------------------------------

  private context(nowMs: number = this.now()): Context {
    // LOCKED here, before any work: nothing is signed or stored while locked.
    const signer = this.identity.signer()
    return { signer, me: signer.publicKey, nowMs, nowIso: new Date(nowMs).toISOString() }
  }

  private load(id: string): LoadedNegotiation {
    const cached = this.cache.get(id)
    if (cached !== undefined) return cached
    if (!this.negotiations.has(id)) throw TrustError.notFound(`negotiation ${id}`)
    const entry = loadNegotiation(id, this.messages.forNegotiation(id))
    this.cache.set(id, entry)
    return entry
  }

  /**
   * Folds `input` and stores it with everything it changed, in one transaction.
   * Our own message must apply, or nothing is stored (the signature is discarded).
   */
  private foldAndStore(
    entry: LoadedNegotiation,
    input: FoldInput,
    source: MessageSource,
    ctx: Context,
    remote: { feedOwner: string | undefined; learned: { publicKey: string; feed: string }[] } = { feedOwner: undefined, learned: [] },
  ): NegotiationState {
    const env = input.envelope
    // A re-fold (a late arrival, a second version of a seq, a FINALIZE that may
    // complete a quorum of its own, ...) may move the verdicts of earlier messages.
    const refoldsBefore = entry.folder.refolds
    const verdict = storedVerdict(entry.folder.apply(input))
    const refolds = entry.folder.refolds !== refoldsBefore
    if (source === 'local' && verdict.verdict !== 'applied') {
      this.cache.delete(entry.id) // the folder now holds a message we will not store
      throw refuse((verdict.reason ?? 'WRONG_STATE') as Parameters<typeof refuse>[0], entry.folder.foldStatus, 'the fold rejected it')
    }
    const state = entry.folder.state(ctx.nowMs)
    const changed: { hash: string; verdict: Verdict; reason: string | null }[] = []
    if (refolds) {
      for (const [hash, known] of entry.messages) {
        const now = storedVerdict(entry.folder.verdict(hash)!)
        if (now.verdict !== known.verdict || now.reason !== known.reason) changed.push({ hash, ...now })
      }
    }
    const mine = knownMessage(input, verdict)
    const joins = [...changed.map((c) => ({ ...entry.messages.get(c.hash)!, verdict: c.verdict })), mine].filter(
      (m) => m.type === 'JOIN' && m.feed !== null && m.verdict === 'applied',
    )
    let trustEvents: TrustEvent[] = []
    const restoreHeld = this.writer.mark(entry.id)
    try {
      this.db.transaction(() => {
        trustEvents = this.writer.write(state, { ...ctx, createdAt: input.envelope.time }).trustEvents
        this.messages.insert({
          hash: input.hash,
          negotiation: entry.id,
          author: env.author,
          seq: env.seq,
          lamport: env.lamport,
          type: env.type,
          bytes: input.bytes,
          sigValid: input.sigValid,
          verdict: verdict.verdict,
          reason: verdict.reason,
          time: env.time,
          receivedAt: ctx.nowIso,
          source,
        })
        for (const c of changed) this.messages.setVerdict(c.hash, c.verdict, c.reason)
        const roles = new Set(state.arbiters?.keys ?? [])
        for (const j of joins) {
          this.negotiations.putParticipant(entry.id, { publicKey: j.author, role: roles.has(j.author) ? 'arbiter' : 'participant', feedKey: j.feed })
        }
        if (source === 'remote') trustEvents.push(...this.remoteMisbehavior(entry.id, input, state, remote.feedOwner, ctx.me))
        const action = source === 'local' ? RECEIPT_ACTION[env.type]! : 'negotiation.received'
        const data = {
          type: env.type,
          ...(source === 'remote' ? { author: env.author, verdict: verdict.verdict } : {}),
          ...(verdict.reason === null ? {} : { reason: verdict.reason }),
          status: state.status ?? null,
          ...(trustEvents.length === 0 ? {} : { trust: trustEvents.map((e) => e.hash) }),
        }
        this.receipts.append({ action, negotiation: entry.id, ref: input.hash, data, time: ctx.nowIso }, ctx.signer)
      })()
    } catch (err) {
      restoreHeld()
      this.cache.delete(entry.id)
      throw TrustError.from(err)
    }
    for (const c of changed) remember(entry, c.hash, { ...entry.messages.get(c.hash)!, verdict: c.verdict, reason: c.reason })
    remember(entry, input.hash, mine)
    this.cache.set(entry.id, entry)
    for (const j of joins) if (j.author !== ctx.me) remote.learned.push({ publicKey: j.author, feed: j.feed! })

    this.emit({
      type: 'message',
      negotiation: entry.id,
      hash: input.hash,
      author: env.author,
      messageType: env.type,
      verdict: verdict.verdict,
      ...(verdict.reason === null ? {} : { reason: verdict.reason }),
    })
    if (verdict.verdict === 'applied' || changed.length > 0) {
      this.emit({ type: 'negotiation', negotiation: entry.id, status: state.status ?? 'INITIATED', termsHash: state.termsHash })
    }
    return state
  }

  /**
   * MISBEHAVIOR from one incoming message (DESIGN sections 5, 8). A bad signature
   * proves nothing about its claimed author (anyone can type a key), so it counts
   * against the feed owner who wrote it to their own feed, and only when known.
   * Equivocation is two valid signatures by one author: it counts against them.
   */
  private remoteMisbehavior(id: string, input: FoldInput, state: NegotiationState, feedOwner: string | undefined, me: string): TrustEvent[] {
    const events: TrustEvent[] = []
    if (!input.sigValid && feedOwner !== undefined && feedOwner !== me) {
      events.push(this.ledger.recordMisbehavior(feedOwner, id, 'BAD_SIGNATURE', input.hash))
    }
    for (const author of state.equivocators) {
      if (author === me || this.ledger.hasEvent(id, 'MISBEHAVIOR', author, { reason: 'EQUIVOCATION' })) continue
      events.push(this.ledger.recordMisbehavior(author, id, 'EQUIVOCATION', input.hash))
    }
    return events
  }

  private misbehavior(counterparty: string, negotiation: string | null, reason: string, ref: string): void {
    if (!isHex(counterparty, 32)) return
    try {
      this.ledger.recordMisbehavior(counterparty, negotiation, reason, ref)
    } catch {
      // An invalid key as feed owner is the sync layer's bug, not the peer's: nothing to record.
    }
  }

  private emit(event: NegotiationServiceEvent): void {
    if (this.onEvent === undefined) return
    try {
      this.onEvent(event)
    } catch {
      // A listener's failure must not undo or interrupt what is already committed.
    }
  }
}
