/**
 * The live demo (issue 11): Alice on the left and Bob on the right, each a real
 * peer with its own key and temporary profile, started by the core over a local
 * DHT; between them the state machine; below, the hash chain, the signed
 * envelope of the chosen message and the script. Everything shown is the core's
 * answer: this screen only asks for steps and draws what comes back.
 */
import { useCallback, useEffect, useState } from 'react'
import type { DemoSide } from '../../../src-main/api.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { ProgressNote } from '../components/progress-note.js'
import { Screen } from '../components/screen.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import { BindingProof } from './binding-proof.js'
import { DemoControls } from './demo-controls.js'
import { SIDE_NAMES } from './demo-names.js'
import { HashChain } from './hash-chain.js'
import { MessageDetail } from './message-detail.js'
import { PartyPanel } from './party-panel.js'
import { StateMachine } from './state-machine.js'
import { StepLog } from './step-log.js'
import { usePaintLatency } from './use-paint-latency.js'
import './demo.css'

export function DemoScreen() {
  const remote = useApp((s) => s.demo)
  const loadDemo = useApp((s) => s.loadDemo)
  useEffect(() => void loadDemo(), [loadDemo])
  const demo = valueOf(remote)
  const painted = usePaintLatency(demo)
  const [selection, setSelection] = useState<{ session: number; hash: string } | null>(null)
  const selected = demo !== undefined && selection?.session === demo.session ? selection.hash : null

  const session = demo?.session ?? 0
  const onSelect = useCallback((hash: string) => setSelection({ session, hash }), [session])

  const current = demo?.steps[demo.next]
  const lastPainted = (to: DemoSide): { paintedFrom: string | null; paintedMs: number | null } => {
    for (const step of [...(demo?.steps ?? [])].reverse()) {
      const l = step.latency
      const ms = l === null ? undefined : painted.get(l.hash)
      if (l !== null && l.to === to && ms !== undefined) return { paintedFrom: SIDE_NAMES[l.from], paintedMs: ms }
    }
    return { paintedFrom: null, paintedMs: null }
  }
  const lastRefused = (side: DemoSide) => [...(demo?.steps ?? [])].reverse().find((s) => s.refused?.side === side)?.refused ?? null

  return (
    <div className="demo">
      <Screen
        title="Live demo"
        lead="Two parties who do not trust each other reach a binding agreement. Alice and Bob are two real peers on this computer, each with its own key and profile, talking over a local network: every hash, signature and state below comes from their engines."
      >
        <DemoControls demo={demo} />
        {remote.state === 'failed' ? <ErrorNote error={remote.error} /> : null}
        {demo === undefined ? (
          remote.state === 'failed' ? null : <ProgressNote label="Starting two peers on this computer…" />
        ) : (
          <>
            <p className="demo-progress" role="status" data-next={demo.next}>
              {demo.phase === 'starting'
                ? 'Starting two fresh peers with new keys…'
                : current
                  ? `${current.status === 'running' ? 'Running' : 'Next,'} step ${demo.next + 1} of ${demo.steps.length}: ${current.title}${current.status === 'running' ? '…' : ''}`
                  : `All ${demo.steps.length} steps done.`}
            </p>
            <div className="demo__stage">
              <PartyPanel party={demo.parties[0]!} parties={demo.parties} refused={lastRefused('alice')} {...lastPainted('alice')} />
              <StateMachine parties={demo.parties} />
              <PartyPanel party={demo.parties[1]!} parties={demo.parties} refused={lastRefused('bob')} {...lastPainted('bob')} />
            </div>
            <BindingProof demo={demo} />
            <Panel title="The hash chain">
              <p className="muted">
                One node per signed message, in its author&apos;s colour; arrows point to the messages it references, so messages sent
                at the same time stand side by side. A and B tell whether Alice&apos;s and Bob&apos;s engines hold it and wrote a receipt
                (✓) or rejected it (✕); ⚑ marks where a signed checkpoint of a receipt log ends.
              </p>
              <HashChain
                messages={demo.messages}
                parties={demo.parties}
                selected={selected}
                onSelect={onSelect}
              />
            </Panel>
            <div className="demo__lower">
              <MessageDetail hash={selected} message={demo.messages.find((m) => m.hash === selected)} />
              <StepLog steps={demo.steps} next={demo.next} painted={painted} />
            </div>
          </>
        )}
      </Screen>
    </div>
  )
}
