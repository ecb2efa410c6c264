/**
 * Properties of the fold (DESIGN section 4) over random histories: 2 to 5
 * parties (and sometimes arbiters) playing random legal and illegal actions,
 * concurrent messages included. Every envelope is really signed.
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TrustError } from '../../src-main/core/errors.js'
import type { FoldInput } from '../../src-main/core/protocol/envelope.js'
import { checkEnvelope } from '../../src-main/core/protocol/envelope-check.js'
import { fold } from '../../src-main/core/protocol/fold/fold.js'
import { NegotiationFolder } from '../../src-main/core/protocol/fold/folder.js'
import { sortForFold } from '../../src-main/core/protocol/fold/order.js'
import type { NegotiationState } from '../../src-main/core/protocol/fold/state.js'
import { canonicalizeStrict } from '../../src-main/core/protocol/jcs.js'
import type { Party } from '../fixtures/negotiation-builder.js'
import { DAY, NegotiationBuilder, T0, parties, verdictOf, withoutRejections } from '../fixtures/negotiation-builder.js'

/** FOLD_RUNS=2000 for a deeper search. */
const RUNS = { numRuns: Number(process.env.FOLD_RUNS ?? 200) }
const PEOPLE = parties('alice', 'bob', 'carol', 'dave', 'erin')
const ARBITERS = parties('judge1', 'judge2')
const OUTSIDERS = parties('mallory', 'trudy')
const DEADLINE = T0 + 30 * DAY

const KINDS = [
  'join', 'join', 'offerSet', 'offerSet', 'offerAdd', 'offerRemove', 'offerStale', 'lock', 'lock', 'lockStale',
  'accept', 'accept', 'acceptStale', 'acceptAll', 'finalize', 'finalizeAll', 'agree', 'agree',
  'withdraw', 'dispute', 'decide', 'resolve', 'late', 'badSeq', 'equivocate',
] as const
type Kind = (typeof KINDS)[number]

interface Action {
  kind: Kind
  actor: number
  pick: number
  stale: number
}

interface Config {
  n: number
  k: number
  arbiters: boolean
  actions: Action[]
}

const actionArb: fc.Arbitrary<Action> = fc.record({
  kind: fc.constantFrom(...KINDS),
  actor: fc.nat({ max: 9 }),
  pick: fc.nat({ max: 9 }),
  // Mostly in causal order; sometimes a message concurrent with the last one or two.
  stale: fc.constantFrom(0, 0, 0, 1, 2),
})

const configArb: fc.Arbitrary<Config> = fc
  .integer({ min: 2, max: 5 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      k: fc.integer({ min: Math.floor(n / 2) + 1, max: n }),
      arbiters: fc.boolean(),
      actions: fc.array(actionArb, { minLength: 4, maxLength: 18 }),
    }),
  )

/** Plays the actions; returns the builder (its `messages` are the history). */
function play(config: Config): NegotiationBuilder {
  const members = PEOPLE.slice(0, config.n)
  const [creator, ...others] = members as [Party, ...Party[]]
  const b = NegotiationBuilder.start({
    creator,
    others,
    requiredConsensus: config.k,
    deadline: DEADLINE,
    ...(config.arbiters ? { arbiters: { parties: ARBITERS, threshold: 2 } } : {}),
  })
  // Everyone joins first most of the time, so that histories get far.
  if (config.actions.length % 4 !== 0) for (const p of others) b.join(p)
  for (const a of config.actions) act(b, members, a)
  return b
}

function act(b: NegotiationBuilder, members: readonly Party[], a: Action): void {
  const p = members[a.actor % members.length]!
  const o = a.stale > 0 ? { stale: a.stale } : {}
  const ids = b.currentTerms().ids
  const clause = ids[a.pick % Math.max(1, ids.length)] ?? 'amount'
  switch (a.kind) {
    case 'join':
      b.join(p, o)
      return
    case 'offerSet':
      b.offer(p, [{ op: 'set', clause, text: `Version ${a.pick} of ${clause}.` }], o)
      return
    case 'offerAdd':
      b.offer(p, [{ op: 'add', clause: `extra-${a.pick}`, title: 'Extra', text: `Extra ${a.pick}.` }], o)
      return
    case 'offerRemove':
      b.offer(p, [{ op: 'remove', clause }], o)
      return
    case 'offerStale':
      b.offer(p, [{ op: 'set', clause, text: 'stale' }], { ...o, base: b.genesis.hash })
      return
    case 'lock':
      b.lock(p, clause, o)
      return
    case 'lockStale':
      b.lock(p, clause, { ...o, textHash: 'c'.repeat(64) })
      return
    case 'accept':
      b.accept(p, o)
      return
    case 'acceptStale':
      b.accept(p, { ...o, termsHash: 'd'.repeat(64) })
      return
    case 'acceptAll':
      for (const m of members) b.accept(m)
      return
    case 'finalize':
      b.finalize(p, o)
      return
    case 'finalizeAll':
      for (const m of members) b.finalize(m)
      return
    case 'agree':
      for (const m of members) b.accept(m)
      for (const m of members) b.finalize(m)
      return
    case 'withdraw':
      // Rare, or nothing ever binds.
      if (a.pick === 0) b.withdraw(p, o)
      else b.accept(p, o)
      return
    case 'dispute':
      b.dispute(p, `Dispute ${a.pick}`, o)
      return
    case 'decide':
      b.decide(ARBITERS[a.pick % 2]!, a.pick % 3 === 0 ? 'rejected' : 'upheld', o)
      return
    case 'resolve':
      b.resolve(p, `Settlement ${a.pick % 2}`, o)
      return
    case 'late':
      b.accept(p, { time: DEADLINE + 1 + a.pick })
      return
    case 'badSeq':
      b.accept(p, { seq: b.folder.nextFor(p.publicKey).seq + 1 + a.pick })
      return
    case 'equivocate': {
      const next = b.folder.nextFor(p.publicKey)
      b.accept(p, { ...next })
      b.accept(p, { ...next, termsHash: 'e'.repeat(64) })
      return
    }
  }
}

/** A deterministic shuffle driven by fast-check's random source. */
function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)]! * 1000 + i }))
    .sort((x, y) => x.key - y.key)
    .map((x) => x.item)
}

describe('fold properties', () => {
  it('any permutation and duplication of a history folds to the identical state (fold and folder alike)', () => {
    fc.assert(
      fc.property(configArb, fc.array(fc.nat(), { minLength: 1, maxLength: 50 }), fc.array(fc.nat(), { maxLength: 8 }), (config, keys, dups) => {
        const b = play(config)
        const expected = fold(b.id, b.messages, b.clock)
        const reordered = shuffled(b.messages, keys)
        const duplicated = [...reordered, ...dups.map((d) => b.messages[d % b.messages.length]!)]
        expect(fold(b.id, duplicated, b.clock)).toEqual(expected)
        const folder = new NegotiationFolder(b.id)
        for (const m of duplicated) folder.apply(m)
        expect(folder.state(b.clock)).toEqual(expected)
      }),
      RUNS,
    )
  })

  it('envelopes from keys outside the negotiation never change the state, only add rejections', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(fc.record({ who: fc.nat({ max: 1 }), kind: fc.nat({ max: 5 }), stale: fc.nat({ max: 3 }), lamport: fc.option(fc.integer({ min: 1, max: 40 })) }), { minLength: 1, maxLength: 6 }),
        (config, intrusions) => {
          const b = play(config)
          const history = [...b.messages]
          const before = fold(b.id, history, b.clock)
          const members = PEOPLE.slice(0, config.n)
          const added: FoldInput[] = []
          for (const x of intrusions) {
            const out = OUTSIDERS[x.who]!
            const o = { stale: x.stale, ...(x.lamport === null ? {} : { lamport: x.lamport }) }
            const victim = members[x.kind % members.length]!
            switch (x.kind) {
              case 0: added.push(b.join(out, o)); break
              case 1: added.push(b.offer(out, [{ op: 'set', clause: 'amount', text: 'Mallory gets it all.' }], o)); break
              case 2: added.push(b.accept(out, o)); break
              case 3: added.push(b.finalize(out, o)); break
              case 4: added.push(b.decide(out, 'upheld', o)); break
              // Signed by an outsider while claiming a participant: the signature fails.
              default: added.push(b.forge(victim, out, 'WITHDRAW', {}, o))
            }
          }
          const after = fold(b.id, [...history, ...added], b.clock)
          expect(withoutRejections(after)).toEqual(withoutRejections(before))
          const addedHashes = new Set(added.map((m) => m.hash))
          expect(after.rejected.filter((r) => !addedHashes.has(r.hash))).toEqual(before.rejected)
          for (const r of after.rejected.filter((r) => addedHashes.has(r.hash))) {
            expect(['NOT_PARTICIPANT', 'BAD_SIGNATURE']).toContain(r.reason)
          }
        },
      ),
      RUNS,
    )
  })

  it('BINDING always rests on k distinct, correctly signed FINALIZE messages over the current terms', () => {
    let bound = 0
    fc.assert(
      fc.property(configArb, (config) => {
        const b = play(config)
        const s = fold(b.id, b.messages, b.clock)
        if (s.bindingHash === null) return
        bound++
        const finalizes = b.messages.filter(
          (m) => m.envelope.type === 'FINALIZE' && verdictOf(s, m) === 'applied' && (m.envelope.body as { termsHash: string }).termsHash === s.termsHash,
        )
        const authors = finalizes.map((m) => m.envelope.author)
        expect(new Set(authors).size).toBe(authors.length)
        expect([...authors].sort()).toEqual(s.signers)
        expect(s.signers.length).toBe(s.requiredConsensus)
        for (const signer of s.signers) expect(s.participants).toContain(signer)
        for (const m of finalizes) expect(checkEnvelope(m.bytes).sigValid).toBe(true)
        const jcs = canonicalizeStrict({ negotiation: b.id, termsHash: s.termsHash, signers: s.signers })
        expect(s.bindingHash).toBe(createHash('sha256').update(jcs).digest('hex'))
      }),
      RUNS,
    )
    // The generator must actually reach BINDING often enough for this to mean something.
    expect(bound).toBeGreaterThan(RUNS.numRuns / 10)
  })

  it('after BINDING no message changes the terms, the signers or the binding hash', () => {
    let bound = 0
    fc.assert(
      fc.property(configArb, fc.array(actionArb, { maxLength: 8 }), (config, more) => {
        const b = play(config)
        // More random actions after the history, bound or not.
        const members = PEOPLE.slice(0, config.n)
        for (const a of more) act(b, members, a)
        const folder = new NegotiationFolder(b.id)
        let binding: NegotiationState | null = null
        for (const m of sortForFold(b.messages)) {
          folder.apply(m)
          const s = folder.state(b.clock)
          if (binding === null) {
            if (s.bindingHash !== null) binding = s
            continue
          }
          expect(s.clauses).toEqual(binding.clauses)
          expect(s.termsHash).toBe(binding.termsHash)
          expect(s.signers).toEqual(binding.signers)
          expect(s.bindingHash).toBe(binding.bindingHash)
          expect(s.lockedClauses).toEqual(binding.lockedClauses)
        }
        if (binding !== null) bound++
      }),
      RUNS,
    )
    expect(bound).toBeGreaterThan(RUNS.numRuns / 10)
  })

  it('a single flipped byte anywhere in a signed envelope is caught', () => {
    fc.assert(
      fc.property(configArb, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (config, which, where, mask) => {
        const b = play(config)
        const original = b.messages[which % b.messages.length]!
        const bytes = new Uint8Array(original.bytes)
        const at = where % bytes.length
        bytes[at] = bytes[at]! ^ mask
        let mutant: FoldInput
        try {
          mutant = checkEnvelope(bytes)
        } catch (err) {
          expect(err).toBeInstanceOf(TrustError) // refused as bytes: encoding, canonical form or schema
          return
        }
        // Parsed: then it is a different message whose signature fails, and the fold rejects it.
        expect(mutant.hash).not.toBe(original.hash)
        expect(mutant.sigValid).toBe(false)
        const before = fold(b.id, b.messages, b.clock)
        const after = fold(b.id, [...b.messages, mutant], b.clock)
        expect(verdictOf(after, mutant)).not.toBe('applied')
        expect(withoutRejections(after)).toEqual(withoutRejections(before))
      }),
      RUNS,
    )
  })
})
