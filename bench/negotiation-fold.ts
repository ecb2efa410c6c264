/**
 * Benchmark: fold() over one negotiation of 10,000 valid signed messages
 * (DESIGN section 4). The history is built and signed once, untimed; signatures
 * are pre-verified as at ingest, so what is timed is the fold alone: the sort,
 * one step per message and the snapshot. Goal: under 500 ms.
 *
 * Run alone: `npx tsx bench/negotiation-fold.ts`.
 */
import { fold } from '../src-main/core/protocol/fold/fold.js'
import type { FoldInput } from '../src-main/core/protocol/envelope.js'
import { NegotiationBuilder, parties, type Party } from '../test/fixtures/negotiation-builder.js'

export const FOLD_MESSAGES = 10_000
const RUNS = 7

export interface FoldBenchResult {
  name: 'negotiation.fold_10k_ms'
  value: number
  unit: 'ms'
  goal: '< 500'
}

/**
 * Five parties, k = 3, twenty clauses: LOCKs on five clauses nobody changes,
 * then rounds of an OFFER followed by every party's ACCEPT, and at the end the
 * k FINALIZEs that make it BINDING. Every message applies.
 */
export function buildFoldHistory(total = FOLD_MESSAGES, owner?: Party): { id: string; inputs: FoldInput[]; now: number } {
  // `owner` takes Bob's place (the ui bench builds the history for a profile's own identity).
  const [alice, bob, ...rest] = parties('alice', 'bob', 'carol', 'dave', 'erin')
  const members: Party[] = [alice, owner ?? bob, ...rest]
  const creator = members[0]!
  const others = members.slice(1)
  const clauses = Array.from({ length: 20 }, (_, i) => ({ id: `clause-${i}`, title: `Clause ${i}`, text: `Text ${i}.` }))
  const b = NegotiationBuilder.negotiating({ creator, others, clauses, requiredConsensus: 3, deadline: Date.parse('2027-01-01T00:00:00.000Z') })
  for (let i = 15; i < 20; i++) for (const p of members.slice(0, 3)) b.lock(p, `clause-${i}`)
  let round = 0
  const offer = (): void => {
    const clause = round % 15
    b.offer(members[round % members.length]!, [{ op: 'set', clause: `clause-${clause}`, text: `Text ${clause}, revision ${round}.` }])
    round++
  }
  const finale = 1 + members.length + 3 // an offer, every accept, k finalizations
  while (b.messages.length + 1 + members.length + finale <= total) {
    offer()
    for (const p of members) b.accept(p)
  }
  while (b.messages.length + finale < total) offer()
  offer()
  for (const p of members) b.accept(p)
  for (const p of members.slice(0, 3)) b.finalize(p)
  return { id: b.id, inputs: b.messages, now: b.clock }
}

export async function benchFold10k(): Promise<FoldBenchResult> {
  const { id, inputs, now } = buildFoldHistory()
  const check = fold(id, inputs, now)
  if (inputs.length !== FOLD_MESSAGES || check.applied.length !== FOLD_MESSAGES || check.status !== 'BINDING') {
    throw new Error(
      `bench history is wrong: ${inputs.length} messages, ${check.applied.length} applied, status ${check.status}`,
    )
  }
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    fold(id, inputs, now)
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)]!
  return { name: 'negotiation.fold_10k_ms', value: Math.round(median * 10) / 10, unit: 'ms', goal: '< 500' }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void benchFold10k().then((result) => console.log(JSON.stringify(result)))
}
