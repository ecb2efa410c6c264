/**
 * The negotiation's state machine between the two parties (DESIGN section 4):
 * INITIATED, NEGOTIATING, CONSENSUS_REACHED, BINDING, with DISPUTED branching off
 * BINDING. Each side's own status (from its own fold) is a marker that glides to
 * its state, Alice's on the left and Bob's on the right; a state either side has
 * passed stays lit. The glide is a CSS transition, which reduced motion turns off.
 */
import { memo } from 'react'
import type { DemoParty, DemoSide, NegotiationStatus } from '../../../src-main/api.js'
import { SIDE_NAMES } from './demo-names.js'

const STATES: readonly { status: NegotiationStatus; label: string; hint: string }[] = [
  { status: 'INITIATED', label: 'Initiated', hint: 'waiting for every party to join' },
  { status: 'NEGOTIATING', label: 'Negotiating', hint: 'offers, locks and acceptances' },
  { status: 'CONSENSUS_REACHED', label: 'Consensus', hint: 'everyone accepted the same terms' },
  { status: 'BINDING', label: 'Binding', hint: 'signed by all: the terms can no longer change' },
  { status: 'DISPUTED', label: 'Disputed', hint: 'a signer disputes; the binding stands' },
]

const ROW = new Map<NegotiationStatus, number>(STATES.map((s, i) => [s.status, i]))

/** How far along the main line a status is (DISPUTED and later count as past BINDING). */
function reached(status: NegotiationStatus | null): number {
  if (status === null) return -1
  if (status === 'DISPUTED' || status === 'RESOLVED') return ROW.get('BINDING')!
  return ROW.get(status) ?? -1
}

export const StateMachine = memo(function StateMachine({ parties }: { parties: readonly DemoParty[] }) {
  const statusOf = (side: DemoSide): NegotiationStatus | null => parties.find((p) => p.side === side)?.state?.status ?? null
  const status = { alice: statusOf('alice'), bob: statusOf('bob') }
  const furthest = Math.max(reached(status.alice), reached(status.bob))
  return (
    <section className="demo-sm" aria-labelledby="demo-sm-title">
      <h2 className="demo-sm__title" id="demo-sm-title">
        State, as each side computes it
      </h2>
      <div className="demo-sm__track">
      <ol className="demo-sm__states">
        {STATES.map((s, i) => {
          const here = (['alice', 'bob'] as const).filter((side) => status[side] === s.status)
          const lit = s.status === 'DISPUTED' ? here.length > 0 : i <= furthest
          return (
            <li
              key={s.status}
              className={['demo-sm__state', s.status === 'DISPUTED' ? 'demo-sm__state--branch' : '', lit ? 'is-lit' : '', here.length > 0 ? 'is-current' : '']
                .filter(Boolean)
                .join(' ')}
              data-status={s.status}
            >
              <span className="demo-sm__name">{s.label}</span>
              <span className="demo-sm__hint">{s.hint}</span>
              <span className="demo-visually-hidden">{here.length > 0 ? `: ${here.map((side) => SIDE_NAMES[side]).join(' and ')} here` : ''}</span>
            </li>
          )
        })}
      </ol>
      {(['alice', 'bob'] as const).map((side) => {
        const row = status[side] === null ? null : (ROW.get(status[side]!) ?? null)
        return (
          <span
            key={side}
            className={`demo-sm__marker demo-sm__marker--${side}${row === null ? ' is-away' : ''}`}
            style={{ transform: `translateY(calc(${row ?? 0} * var(--demo-sm-row)))` }}
            aria-hidden="true"
          >
            {SIDE_NAMES[side].charAt(0)}
          </span>
        )
      })}
      </div>
      {(['alice', 'bob'] as const).some((side) => status[side] !== null && !ROW.has(status[side]!)) ? (
        <p className="muted">
          {(['alice', 'bob'] as const)
            .filter((side) => status[side] !== null && !ROW.has(status[side]!))
            .map((side) => `${SIDE_NAMES[side]}: ${status[side]}`)
            .join('; ')}
        </p>
      ) : null}
    </section>
  )
})
