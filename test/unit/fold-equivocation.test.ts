/**
 * Equivocation never pays (DESIGN sections 4 and 5). Honest histories of 2 to
 * 5 parties, each acting only on its own view (concurrency included), are
 * attacked by one participant who, after the fact, signs forks of any of its
 * messages (ground to sort first), replays, and new messages on top of its
 * own chain or of a fork. Properties:
 *   no escape     a binding stays with its hash (or is disputed by a legal DISPUTE);
 *   no collateral no honest envelope, and none another party built on, changes verdict;
 *   evidence      every fork is reported with both versions and its author;
 *   split views   parties shown different versions still converge, and the state says so.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FoldInput } from '../../src-main/core/protocol/envelope.js'
import type { BodyByType, MessageType } from '../../src-main/core/protocol/body-schemas.js'
import { fold } from '../../src-main/core/protocol/fold/fold.js'
import { NegotiationFolder } from '../../src-main/core/protocol/fold/folder.js'
import type { NegotiationState } from '../../src-main/core/protocol/fold/state.js'
import { clauseHash } from '../../src-main/core/protocol/terms.js'
import type { HonestKind } from '../fixtures/honest-world.js'
import { HONEST_KINDS, HonestWorld } from '../fixtures/honest-world.js'
import type { Party } from '../fixtures/negotiation-builder.js'
import { MINUTE, feedKeyOf, parties, verdictOf } from '../fixtures/negotiation-builder.js'

/** EQ_RUNS=3000 for a deeper search; 150 keeps `npm test` quick. */
const RUNS = { numRuns: Number(process.env.EQ_RUNS ?? 150) }
const PEOPLE = parties('alice', 'bob', 'carol', 'dave', 'erin')

interface Step {
  actor: number
  kind: HonestKind | 'agree'
  pick: number
  /** 0: act on the current view; 1: sync with one other party first; 2: sync everyone first. */
  sync: number
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  actor: fc.nat({ max: 9 }),
  kind: fc.constantFrom(...HONEST_KINDS.filter((k) => k !== 'withdraw'), 'offer', 'accept', 'agree', 'agree', 'withdraw'),
  pick: fc.nat({ max: 9 }),
  sync: fc.constantFrom(0, 1, 2, 2),
})

interface Honest {
  n: number
  k: number
  steps: Step[]
  /** Whether the parties finish with a round of accept then finalize (each on its own view). */
  finish: number
}

const honestArb: fc.Arbitrary<Honest> = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    k: fc.integer({ min: Math.floor(n / 2) + 1, max: n }),
    steps: fc.array(stepArb, { minLength: 0, maxLength: 10 }),
    finish: fc.nat({ max: 3 }),
  }),
)

/** Plays an honest history; every message is legal in its author's view when signed. */
function playHonest(h: Honest): HonestWorld {
  const members = PEOPLE.slice(0, h.n)
  const w = HonestWorld.start(members, { k: h.k })
  for (const p of members.slice(1)) w.act(p, 'join')
  w.syncAll()
  for (const s of h.steps) {
    const p = members[s.actor % h.n]!
    if (s.sync === 1) w.sync(p, members[(s.actor + 1 + s.pick) % h.n]!)
    if (s.sync === 2) w.syncAll()
    if (s.kind === 'agree') {
      w.act(p, 'accept')
      w.act(p, 'finalize')
    } else {
      w.act(p, s.kind, s.pick)
    }
  }
  // Finish: everyone accepts, then finalizes, syncing more or less (finish 0: no sync at all between).
  for (const round of ['accept', 'finalize'] as const) {
    for (const p of members) {
      if (h.finish >= 2) w.syncAll()
      else if (h.finish === 1) w.sync(p, members[(members.indexOf(p) + 1) % h.n]!)
      w.act(p, round)
    }
  }
  if (h.finish === 3) w.syncAll()
  return w
}

const ATTACK_KINDS = ['offer', 'withdraw', 'accept', 'finalize', 'finalizeOld', 'lock', 'join', 'dispute'] as const
type AttackKind = (typeof ATTACK_KINDS)[number]

interface AttackStep {
  what: 'fork' | 'new' | 'replay'
  target: number
  kind: AttackKind
  /** Extra E messages the attacker references (indices), on top of what it must. */
  widen: number[]
  /** Re-sign with later times until the fork's hash sorts before the original's. */
  grind: boolean
  /** For new messages: on top of the attacker's own chain in E, or of its last fork. */
  onFork: boolean
  pick: number
}

const attackArb: fc.Arbitrary<{ attacker: number; steps: AttackStep[] }> = fc.record({
  attacker: fc.nat({ max: 9 }),
  steps: fc.array(
    fc.record({
      what: fc.constantFrom('fork', 'fork', 'new', 'replay'),
      target: fc.nat({ max: 50 }),
      kind: fc.constantFrom(...ATTACK_KINDS),
      widen: fc.array(fc.nat({ max: 60 }), { maxLength: 3 }),
      grind: fc.boolean(),
      onFork: fc.boolean(),
      pick: fc.nat({ max: 9 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
})

/** The attacker's additions: forks, replays and new messages, signed by `p` alone. */
function attack(w: HonestWorld, honest: readonly FoldInput[], p: Party, steps: readonly AttackStep[]): FoldInput[] {
  const added: FoldInput[] = []
  const own = honest.filter((m) => m.envelope.author === p.publicKey && m.hash !== w.id)
  const byHash = new Map(honest.map((m) => [m.hash, m]))
  let forkTip: FoldInput | null = null
  let ownTip: FoldInput | null = own.reduce<FoldInput | null>((a, m) => (a === null || m.envelope.seq > a.envelope.seq ? m : a), null)
  ownTip ??= p.publicKey === w.genesis.envelope.author ? w.genesis : null
  const termsSeen = [...new Set(honest.flatMap((m) => ('termsHash' in m.envelope.body ? [(m.envelope.body as { termsHash: string }).termsHash] : [])))]

  for (const s of steps) {
    if (s.what === 'replay') {
      added.push(honest[s.target % honest.length]!)
      continue
    }
    const extra = s.widen.map((i) => honest[i % honest.length]!.hash)
    let seq: number
    let refs: string[]
    let time: number
    let original: FoldInput | null = null
    if (s.what === 'fork') {
      if (own.length === 0) continue
      original = own[s.target % own.length]!
      seq = original.envelope.seq
      refs = [...original.envelope.refs, ...extra].filter((r) => byHash.get(r)?.envelope.author !== p.publicKey || byHash.get(r)!.envelope.seq < seq)
      time = Date.parse(original.envelope.time)
    } else {
      const tip: FoldInput | null = s.onFork && forkTip !== null ? forkTip : ownTip
      if (tip === null) continue
      seq = tip.hash === w.id ? 1 : tip.envelope.seq + 1
      refs = [tip.hash, ...extra.filter((r) => byHash.get(r)?.envelope.author !== p.publicKey)]
      time = Date.parse(tip.envelope.time) + MINUTE
    }
    const past = w.pastOf(refs)
    const view = fold(w.id, [...past].map((h) => w.byHash.get(h)!), time)
    const made = bodyFor(view, p, s.kind, s.pick, termsSeen)
    if (made === null) continue
    const known = new Set(w.all.map((x) => x.hash))
    let m = w.sign(p, { type: made.type, seq, refs, time, body: made.body })
    for (let i = 1; s.grind && original !== null && m.hash > original.hash && i < 24; i++) {
      if (!known.has(m.hash)) w.forget(m) // a losing attempt is not sent: only the last one is part of X
      m = w.sign(p, { type: made.type, seq, refs, time: time + i, body: made.body })
    }
    added.push(m)
    if (s.what === 'fork') forkTip = m
    else if (s.onFork && forkTip !== null) forkTip = m
    else ownTip = m
  }
  return added
}

function bodyFor(
  view: NegotiationState,
  p: Party,
  kind: AttackKind,
  pick: number,
  termsSeen: readonly string[],
): { type: Exclude<MessageType, 'GENESIS'>; body: BodyByType[Exclude<MessageType, 'GENESIS'>] } | null {
  const clause = view.clauses[pick % Math.max(1, view.clauses.length)]
  switch (kind) {
    case 'offer':
      return clause === undefined ? null : { type: 'OFFER', body: { base: view.termsHash, changes: [{ op: 'set', clause: clause.id, text: '$0' }] } }
    case 'withdraw':
      return { type: 'WITHDRAW', body: { reason: 'I take it back' } }
    case 'accept':
      return { type: 'ACCEPT', body: { termsHash: view.termsHash } }
    case 'finalize':
      return { type: 'FINALIZE', body: { termsHash: view.termsHash } }
    case 'finalizeOld':
      return termsSeen.length === 0 ? null : { type: 'FINALIZE', body: { termsHash: termsSeen[pick % termsSeen.length]! } }
    case 'lock':
      return clause === undefined ? null : { type: 'LOCK', body: { clause: clause.id, textHash: clauseHash(clause) } }
    case 'join':
      return { type: 'JOIN', body: { feed: feedKeyOf(p) } }
    case 'dispute':
      return { type: 'DISPUTE', body: { reason: 'I never meant it' } }
  }
}

/** Messages of `author` that some other author's message has in its causal past. */
function supportedOf(w: HonestWorld, messages: readonly FoldInput[], author: string): Set<string> {
  const others = messages.filter((m) => m.envelope.author !== author)
  const past = w.pastOf(others.map((m) => m.hash))
  return new Set([...past].filter((h) => w.byHash.get(h)?.envelope.author === author))
}

/**
 * The one case no rule can decide (DESIGN section 4): with k < n, a participant
 * who had not finalized signs a FINALIZE of the binding terms concurrent with
 * the binding. Which k of the finalizers are the signers is then a race, as it
 * would be between honest parties; the terms are never at stake.
 */
function signerRace(before: NegotiationState, added: readonly FoldInput[], p: Party): boolean {
  return (
    before.requiredConsensus < before.participants.length &&
    !before.signers.includes(p.publicKey) &&
    added.some((m) => m.envelope.type === 'FINALIZE' && (m.envelope.body as { termsHash: string }).termsHash === before.termsHash)
  )
}

/**
 * The other race (DESIGN section 4.1): k - 1 participants other than P had
 * finalized other terms without seeing the binding, and those finalizations
 * still stand (each applied in its own causal past, each its author's latest).
 * P then holds the deciding vote of a race that was already on.
 */
function contested(w: HonestWorld, before: NegotiationState, honest: readonly FoldInput[], p: Party): boolean {
  const latest = new Map<string, FoldInput>()
  for (const m of honest) {
    if (m.envelope.type !== 'FINALIZE' || m.envelope.author === p.publicKey) continue
    const prev = latest.get(m.envelope.author)
    if (prev === undefined || m.envelope.seq > prev.envelope.seq) latest.set(m.envelope.author, m)
  }
  const standing = new Map<string, number>()
  for (const f of latest.values()) {
    const terms = (f.envelope.body as { termsHash: string }).termsHash
    if (terms === before.termsHash) continue
    const past = fold(w.id, [...w.pastOf([f.hash])].map((h) => w.byHash.get(h)!), w.clock)
    if (verdictOf(past, f) === 'applied') standing.set(terms, (standing.get(terms) ?? 0) + 1)
  }
  return [...standing.values()].some((count) => count >= before.requiredConsensus - 1)
}

describe('equivocation never pays', () => {
  it('no escape, no collateral, evidence: a binding survives anything one participant signs afterwards', () => {
    let bound = 0
    let forked = 0
    fc.assert(
      fc.property(honestArb, attackArb, (h, a) => {
        const w = playHonest(h)
        const honest = [...w.all]
        const before = fold(w.id, honest, w.clock)
        if (before.status !== 'BINDING') return
        bound++
        const p = w.members[a.attacker % h.n]!
        const added = attack(w, honest, p, a.steps)
        const after = fold(w.id, [...honest, ...added], w.clock)
        const disputed = added.some((m) => m.envelope.type === 'DISPUTE' && verdictOf(after, m) === 'applied')

        // No escape.
        const race = signerRace(before, added, p) || contested(w, before, honest, p)
        expect(after.status).toBe(disputed ? 'DISPUTED' : 'BINDING')
        if (!race) {
          expect(after.termsHash).toBe(before.termsHash)
          expect(after.bindingHash).toBe(before.bindingHash)
          expect(after.signers).toEqual(before.signers)
        }

        // Evidence: every second version of an (author, seq) is reported with the first.
        const bySlot = new Map<string, Set<string>>()
        for (const m of [...honest, ...added]) {
          if (m.envelope.author !== p.publicKey || m.hash === w.id) continue
          const key = String(m.envelope.seq)
          bySlot.set(key, (bySlot.get(key) ?? new Set()).add(m.hash))
        }
        const reported = new Map(after.equivocations.filter((e) => e.author === p.publicKey).map((e) => [String(e.seq), new Set(e.hashes)]))
        for (const [seq, versions] of bySlot) {
          if (versions.size < 2) continue
          forked++
          expect(after.equivocators).toContain(p.publicKey)
          expect([...reported.get(seq)!].sort()).toEqual([...versions].sort())
        }
        expect(after.equivocations.every((e) => e.author === p.publicKey)).toBe(true)

        // No collateral: only the attacker's own unseen messages may trade places with their forks.
        if (race || disputed) return
        const supported = supportedOf(w, honest, p.publicKey)
        // When P's own unseen FINALIZE completed the binding, messages concurrent with it that
        // only P had seen may fall on the other side of it (DESIGN section 4.1): only what the
        // other signers had seen is fixed then.
        const finalizesOf = (author: string) =>
          honest.filter((m) => m.envelope.type === 'FINALIZE' && m.envelope.author === author && verdictOf(before, m) === 'applied')
        const unseenSigner = before.signers.includes(p.publicKey) && finalizesOf(p.publicKey).some((f) => !supported.has(f.hash))
        const fixed = unseenSigner
          ? w.pastOf(before.signers.filter((s) => s !== p.publicKey).flatMap((s) => finalizesOf(s).map((f) => f.hash)))
          : null
        for (const m of honest) {
          const mine = m.envelope.author === p.publicKey && !supported.has(m.hash)
          if (!mine && (fixed === null || fixed.has(m.hash))) expect(verdictOf(after, m)).toBe(verdictOf(before, m))
        }
        const ownBySeq = new Map(honest.filter((m) => m.envelope.author === p.publicKey).map((m) => [m.envelope.seq, m]))
        for (const m of added) {
          if (m.envelope.author !== p.publicKey) continue
          const original = ownBySeq.get(m.envelope.seq)
          if (original === undefined || original.hash === m.hash || verdictOf(before, original) === 'absent') continue
          if (supported.has(original.hash)) expect(verdictOf(after, m)).toBe('EQUIVOCATION')
          else expect([verdictOf(after, m), verdictOf(after, original)]).toContain('EQUIVOCATION')
        }
      }),
      RUNS,
    )
    // The generators must reach BINDING and real forks often enough for this to mean anything.
    expect(bound).toBeGreaterThan(RUNS.numRuns / 5)
    expect(forked).toBeGreaterThan(RUNS.numRuns / 10)
  })

  it('split views: parties shown different versions converge on one state that names the equivocation', () => {
    let split = 0
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.nat({ max: 9 }),
        fc.array(stepArb, { maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        (n, who, steps, order) => {
          const members = PEOPLE.slice(0, n)
          const w = HonestWorld.start(members, { k: n })
          for (const p of members.slice(1)) w.act(p, 'join')
          w.syncAll()
          const mallory = members[who % n]!
          const honest = members.filter((p) => p !== mallory)
          // Two versions of Mallory's next message, each shown to half of the others.
          const state = w.view(mallory)
          const next = new NegotiationFolder(w.id)
          for (const h of w.seen(mallory)) next.apply(w.byHash.get(h)!)
          const at = next.nextFor(mallory.publicKey)
          const clause = state.clauses[0]!
          const versions = ['$1000', '$0'].map((text, i) =>
            w.sign(mallory, {
              type: 'OFFER',
              seq: at.seq,
              refs: at.refs,
              time: w.clock + MINUTE + i,
              body: { base: state.termsHash, changes: [{ op: 'set', clause: clause.id, text }] },
            }),
          )
          honest.forEach((p, i) => w.deliver(p, [versions[i % 2]!]))
          w.deliver(mallory, [versions[0]!])
          // The honest parties carry on, each on what it was shown (and what it syncs).
          for (const s of steps) {
            const p = honest[s.actor % honest.length]!
            if (s.sync === 1) w.sync(p, honest[(s.actor + 1) % honest.length]!)
            if (s.kind === 'agree') {
              w.act(p, 'accept')
              w.act(p, 'finalize')
            } else {
              w.act(p, s.kind, s.pick)
            }
          }
          // Everyone learns everything, in an order of their own.
          const all = [...w.all]
          const expected = fold(w.id, all, w.clock)
          members.forEach((p, i) => {
            const folder = new NegotiationFolder(w.id)
            for (const h of w.seen(p)) folder.apply(w.byHash.get(h)!)
            const shuffled = all
              .map((m, j) => ({ m, key: order[(i + j) % order.length]! * 1000 + j }))
              .sort((x, y) => x.key - y.key)
            for (const { m } of shuffled) folder.apply(m)
            expect(folder.state(w.clock)).toEqual(expected)
          })
          expect(expected.equivocators).toEqual([mallory.publicKey])
          expect(expected.equivocations).toContainEqual({ author: mallory.publicKey, seq: at.seq, hashes: versions.map((v) => v.hash).sort() })
          // Exactly one version holds the seq; the other is rejected as the evidence it is.
          const verdicts = versions.map((v) => verdictOf(expected, v)).sort()
          expect(verdicts.filter((v) => v === 'EQUIVOCATION')).toHaveLength(1)
          if (n > 2) split++
        },
      ),
      RUNS,
    )
    expect(split).toBeGreaterThan(0)
  })
})
