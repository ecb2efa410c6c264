/**
 * The negotiation screens' pure parts (src-renderer/src/negotiations):
 * - legal-actions.ts mirrors the core's action guard: on real folded states of
 *   a negotiation walked through every status, each party is offered exactly the
 *   actions the core would allow (lock and decide only where they can still apply);
 * - history.ts reads the timeline as the fold did (the terms before each offer,
 *   who locked what, what each accepted and finalized);
 * - the new-negotiation draft's validation and params, the counter-offer changes.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { NegotiationState as ApiState } from '../../src-main/api.js'
import { TrustError } from '../../src-main/core/errors.js'
import { assertAllowed, type ActionType } from '../../src-main/core/negotiation/action-guard.js'
import { stateJson } from '../../src-main/core/node/state-json.js'
import { readHistory } from '../../src-renderer/src/negotiations/history.js'
import { Terms, type ClauseChange } from '../../src-main/core/protocol/terms.js'

/** The terms after `changes`, by the fold's own rule (protocol/terms.ts). */
function applied(terms: readonly { id: string; title: string; text: string }[], changes: readonly ClauseChange[]) {
  const next = Terms.of(terms).apply(changes, new Set())
  if (!next.ok) throw new Error(`the changes do not apply: ${next.problem}`)
  return next.terms.clauses
}
import { legalActions, type UserAction } from '../../src-renderer/src/negotiations/legal-actions.js'
import { clauseIdFrom, consensusRange, createParams, emptyDraft, validateDraft, type Draft } from '../../src-renderer/src/negotiations/negotiation-draft.js'
import { ALL_STATUSES, STATUS_TEXT, describeCountdown, describeReason } from '../../src-renderer/src/negotiations/negotiation-text.js'
import { changesFrom, offerProblem } from '../../src-renderer/src/negotiations/offer-changes.js'
import { TestClock, cleanupPeers, deliver, makePeer, type Peer } from '../fixtures/negotiation-peers.js'

const DAY = 86_400_000

afterEach(cleanupPeers)

const TYPE: Record<UserAction, ActionType> = {
  offer: 'OFFER',
  lock: 'LOCK',
  accept: 'ACCEPT',
  finalize: 'FINALIZE',
  withdraw: 'WITHDRAW',
  dispute: 'DISPUTE',
  decide: 'APPEAL_DECISION',
  resolve: 'RESOLVE',
}
/** The guard allows these whenever the status does; whether one more can apply is the fold's DUPLICATE_ACTION. */
const NARROWER: ReadonlySet<UserAction> = new Set(['lock', 'decide'])

function guardAllows(peer: Peer, id: string, me: string, type: ActionType): boolean {
  try {
    assertAllowed(peer.service.get(id), me, type)
    return true
  } catch (err) {
    if (err instanceof TrustError) return false
    throw err
  }
}

/** Every party's offered actions against the core's guard, on the state as `observer` holds it. */
function expectMirrors(observer: Peer, id: string, parties: Peer[]): ApiState {
  const state = stateJson(observer.service.get(id))
  const history = readHistory(state)
  for (const p of parties) {
    const legal = legalActions(state, p.key, history)
    for (const [action, type] of Object.entries(TYPE) as [UserAction, ActionType][]) {
      const allowed = guardAllows(observer, id, p.key, type)
      const offered = legal.actions.has(action)
      if (NARROWER.has(action)) expect(!offered || allowed, `${p.name} ${action} in ${state.status}`).toBe(true)
      else expect(offered, `${p.name} ${action} in ${state.status}`).toBe(allowed)
    }
  }
  return state
}

function world() {
  const clock = new TestClock()
  const alice = makePeer('alice', clock)
  const bob = makePeer('bob', clock)
  const judge = makePeer('judge', clock)
  const all = [alice, bob, judge]
  const created = alice.service.create({
    title: 'Walked through every status',
    participants: [bob.key],
    clauses: [
      { id: 'a', title: 'A', text: 'first' },
      { id: 'b', title: 'B', text: 'second' },
    ],
    deadline: clock.iso(10 * DAY),
    arbiters: { keys: [judge.key], threshold: 1 },
  })
  deliver(created.genesis.bytes, alice, [bob, judge])
  const send = (from: Peer, run: (s: Peer['service']) => { bytes: Uint8Array }) => {
    clock.tick()
    const r = run(from.service)
    for (const v of deliver(r.bytes, from, all.filter((p) => p !== from))) expect(v.verdict).toBe('applied')
  }
  return { clock, alice, bob, judge, all, id: created.negotiation, send }
}

describe('legal actions mirror the core guard', () => {
  it('from INITIATED to RESOLVED, for a participant, the other and an arbiter', () => {
    const { alice, bob, judge, all, id, send } = world()
    const check = () => expectMirrors(alice, id, all)
    expect(check().status).toBe('INITIATED')
    expect(legalActions(check(), alice.key, readHistory(check())).actions).toEqual(new Set(['withdraw']))
    send(bob, (s) => s.join({ negotiation: id, feed: 'b'.repeat(64) }))
    send(judge, (s) => s.join({ negotiation: id, feed: 'c'.repeat(64) }))
    let state = check()
    expect(state.status).toBe('NEGOTIATING')
    expect(legalActions(state, judge.key, readHistory(state)).actions.size).toBe(0)
    send(alice, (s) => s.lock({ negotiation: id, clause: 'a' }))
    state = check()
    // Alice locked `a` already: only `b` is left for her; Bob may lock either.
    expect([...legalActions(state, alice.key, readHistory(state)).lockable]).toEqual(['b'])
    expect([...legalActions(state, bob.key, readHistory(state)).lockable]).toEqual(['a', 'b'])
    send(bob, (s) => s.lock({ negotiation: id, clause: 'a' }))
    state = check()
    expect(state.lockedClauses).toEqual(['a'])
    expect(readHistory(state).lockedBy.get('a')).toEqual([alice.key, bob.key])
    send(bob, (s) => s.offer({ negotiation: id, changes: [{ op: 'set', clause: 'b', text: 'second, revised' }] }))
    check()
    send(alice, (s) => s.accept({ negotiation: id, termsHash: s.get(id).termsHash }))
    expect(legalActions(check(), alice.key, readHistory(check())).actions.has('accept')).toBe(false)
    send(bob, (s) => s.accept({ negotiation: id, termsHash: s.get(id).termsHash }))
    expect(check().status).toBe('CONSENSUS_REACHED')
    send(alice, (s) => s.finalize({ negotiation: id, termsHash: s.get(id).termsHash }))
    check()
    send(bob, (s) => s.finalize({ negotiation: id, termsHash: s.get(id).termsHash }))
    state = check()
    expect(state.status).toBe('BINDING')
    expect(legalActions(state, bob.key, readHistory(state)).actions).toEqual(new Set(['dispute']))
    send(bob, (s) => s.dispute({ negotiation: id, reason: 'not done' }))
    state = check()
    expect(state.status).toBe('DISPUTED')
    expect(legalActions(state, judge.key, readHistory(state)).actions).toEqual(new Set(['decide']))
    send(alice, (s) => s.resolve({ negotiation: id, settlement: 'redo it' }))
    check()
    send(judge, (s) => s.decide({ negotiation: id, outcome: 'upheld', remedy: 'redo' }))
    state = check()
    expect(state.status).toBe('RESOLVED')
    for (const p of all) expect(legalActions(state, p.key, readHistory(state)).actions.size).toBe(0)
  })

  it('nothing after a withdrawal ends it, and nothing once expired', () => {
    const { clock, alice, bob, all, id, send } = world()
    send(bob, (s) => s.join({ negotiation: id, feed: 'b'.repeat(64) }))
    send(bob, (s) => s.withdraw({ negotiation: id, reason: 'no' }))
    expect(expectMirrors(alice, id, all).status).toBe('WITHDRAWN')
    const other = world()
    other.clock.tick(11 * DAY)
    const state = expectMirrors(other.alice, other.id, other.all)
    expect(state.status).toBe('EXPIRED')
    expect(legalActions(state, other.alice.key, readHistory(state)).actions.size).toBe(0)
    void clock
  })
})

describe('the timeline as the screens read it', () => {
  it('each offer carries the terms it was judged against; applying every applied offer gives the current terms', () => {
    const { alice, bob, id, send } = world()
    send(bob, (s) => s.join({ negotiation: id, feed: 'b'.repeat(64) }))
    send(alice, (s) => s.offer({ negotiation: id, changes: [{ op: 'set', clause: 'a', text: 'first, v2' }], note: 'tweak' }))
    send(bob, (s) => s.offer({ negotiation: id, changes: [{ op: 'add', clause: 'c', title: 'C', text: 'third' }, { op: 'remove', clause: 'b' }] }))
    send(alice, (s) => s.accept({ negotiation: id, termsHash: s.get(id).termsHash }))
    const state = stateJson(alice.service.get(id))
    const history = readHistory(state)
    const offers = [...history.offers.values()]
    expect(offers).toHaveLength(2)
    expect(offers[0]!.before.map((c) => c.text)).toEqual(['first', 'second'])
    expect(offers[0]!.note).toBe('tweak')
    expect(offers[1]!.before.map((c) => c.text)).toEqual(['first, v2', 'second'])
    expect(applied(offers[1]!.before, offers[1]!.changes as ClauseChange[])).toEqual(state.clauses)
    expect(history.accepts).toEqual([expect.objectContaining({ author: alice.key, termsHash: state.termsHash })])
  })
})

describe('the new-negotiation draft', () => {
  const now = Date.parse('2026-11-24T10:00:00.000Z')
  const key = (c: string) => c.repeat(64)
  const filled = (patch: Partial<Draft> = {}): Draft => ({
    ...emptyDraft(now),
    title: 'Fence',
    participants: [key('b')],
    clauses: [{ key: 1, id: 'price', idEdited: false, title: 'Price', text: '600 EUR' }],
    ...patch,
  })

  it('k must be a majority up to everyone', () => {
    expect(consensusRange(2)).toEqual({ min: 2, max: 2 })
    expect(consensusRange(5)).toEqual({ min: 3, max: 5 })
    const three = filled({ participants: [key('b'), key('c')] })
    expect(validateDraft({ ...three, requiredConsensus: '1' }, now).requiredConsensus).toMatch(/choose 2 to 3/)
    expect(validateDraft({ ...three, requiredConsensus: '4' }, now).requiredConsensus).toMatch(/choose 2 to 3/)
    expect(validateDraft({ ...three, requiredConsensus: '2' }, now)).toEqual({})
    expect(validateDraft({ ...three, requiredConsensus: '' }, now)).toEqual({})
  })

  it('names each problem: no title, no party, a bad or repeated clause id, an empty text, a past deadline, arbiters that are parties', () => {
    const errors = validateDraft(
      filled({
        title: ' ',
        participants: [],
        clauses: [
          { key: 1, id: 'Price', idEdited: true, title: 'Price', text: 'x' },
          { key: 2, id: 'date', idEdited: false, title: 'Date', text: '' },
          { key: 3, id: 'date', idEdited: false, title: '', text: 'y' },
        ],
        deadline: '2026-11-24T09:00',
        useArbiters: true,
        arbiters: [],
        threshold: '0',
        appealWindowDays: '400',
      }),
      now,
    )
    expect(Object.keys(errors).sort()).toEqual(['appealWindowDays', 'arbiters', 'clause', 'deadline', 'participants', 'threshold', 'title'])
    expect(errors.clause?.[1]?.id).toMatch(/lowercase/)
    expect(errors.clause?.[2]?.text).toBe('A clause needs its text.')
    expect(errors.clause?.[3]).toMatchObject({ id: 'Another clause has this id.', title: 'A clause needs a title.' })
    expect(validateDraft(filled({ useArbiters: true, arbiters: [key('b')] }), now).arbiters).toMatch(/cannot also be a party/)
  })

  it('becomes negotiations.create params: trimmed, k only when typed, the deadline in UTC, arbiters only when on', () => {
    const params = createParams(filled({ title: '  Fence  ', deadline: '2026-12-01T12:30', useArbiters: true, arbiters: [key('d')], threshold: '1', appealWindowDays: '5' }))
    expect(params).toEqual({
      title: 'Fence',
      participants: [key('b')],
      clauses: [{ id: 'price', title: 'Price', text: '600 EUR' }],
      deadline: new Date(2026, 11, 1, 12, 30).toISOString(),
      arbiters: { keys: [key('d')], threshold: 1 },
      appealWindowDays: 5,
    })
    expect(createParams(filled({ requiredConsensus: '2' })).requiredConsensus).toBe(2)
  })

  it('makes clause ids from titles, unique and in the protocol alphabet', () => {
    expect(clauseIdFrom('Payment Date', new Set())).toBe('payment-date')
    expect(clauseIdFrom('Crème brûlée!', new Set())).toBe('creme-brulee')
    expect(clauseIdFrom('Price', new Set(['price', 'price-2']))).toBe('price-3')
    expect(clauseIdFrom('日本', new Set())).toBe('clause')
    expect(clauseIdFrom('x'.repeat(100), new Set())).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/)
  })
})

describe('a counter-offer as changes', () => {
  const terms = [
    { id: 'a', title: 'A', text: 'one' },
    { id: 'b', title: 'B', text: 'two' },
  ]
  it('sets only what changed, removes, and adds at the end', () => {
    const edited = [
      { id: 'a', title: 'A', text: 'one!', added: false, removed: false },
      { id: 'b', title: 'B', text: 'two', added: false, removed: true },
      { id: 'c', title: 'C', text: 'three', added: true, removed: false },
    ]
    const changes = changesFrom(terms, edited)
    expect(changes).toEqual([
      { op: 'set', clause: 'a', text: 'one!' },
      { op: 'remove', clause: 'b' },
      { op: 'add', clause: 'c', title: 'C', text: 'three' },
    ])
    expect(applied(terms, changes as ClauseChange[])).toEqual([
      { id: 'a', title: 'A', text: 'one!' },
      { id: 'c', title: 'C', text: 'three' },
    ])
    expect(offerProblem(edited, terms)).toBeNull()
    expect(offerProblem(edited.map((e) => ({ ...e, removed: true })), terms)).toMatch(/at least one clause/)
    expect(offerProblem([...edited, { id: 'a', title: 'Again', text: 'x', added: true, removed: false }], terms)).toMatch(/id of its own/)
  })
})

describe('words', () => {
  it('every status has a label and a meaning; unknown reasons show their code', () => {
    for (const s of ALL_STATUSES) expect(STATUS_TEXT[s].label.length).toBeGreaterThan(0)
    expect(ALL_STATUSES).toHaveLength(8)
    expect(describeReason('SUPERSEDED')).toMatch(/replaced/)
    expect(describeReason('SOMETHING_NEW')).toContain('SOMETHING_NEW')
  })
  it('counts down coarsely, and says when it ended', () => {
    const t = 1_000_000_000_000
    expect(describeCountdown(t + 7 * DAY, t)).toBe('7 days left')
    expect(describeCountdown(t + DAY + 3 * 3_600_000, t)).toBe('1 day 3 hours left')
    expect(describeCountdown(t + 90 * 60_000, t)).toBe('1 hour 30 minutes left')
    expect(describeCountdown(t + 61_000, t)).toBe('1 minute left')
    expect(describeCountdown(t + 5_000, t)).toBe('5 seconds left')
    expect(describeCountdown(t - 2 * 3_600_000, t)).toBe('ended 2 hours ago')
  })
})
