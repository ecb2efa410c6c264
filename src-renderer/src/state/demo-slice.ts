/**
 * The live demo (demo.*): its whole state as the core announces it, and the
 * controls. The core pushes every change as a `demo` event carrying the state
 * (event-feed.ts), so the screen paints an update from one peer on the other
 * without a round trip; an answer or event older than what is shown is ignored.
 */
import type { ApiResult, DemoEnvelope, DemoSide, DemoState } from '../../../src-main/api.js'
import { coalesce } from './coalesce.js'
import { IDLE, loadingFrom, settled, valueOf, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

export type DemoControl = 'demo.step' | 'demo.pause' | 'demo.reset' | 'demo.stop'

export interface DemoSlice {
  demo: Remote<DemoState>
  /** Starts the demo's peers if they are not running (the core makes this idempotent) and shows the state. */
  loadDemo(): Promise<void>
  /** Called by the event feed on a `demo` event. */
  demoChanged(state: DemoState): void
  demoControl(method: DemoControl): Promise<ApiResult<DemoState>>
  demoAutoplay(pauseMs: number): Promise<ApiResult<DemoState>>
  demoEnvelope(hash: string): Promise<ApiResult<DemoEnvelope>>
  demoExport(side: DemoSide): Promise<ApiResult<{ name: string; text: string }>>
}

/** Newer than what is shown: versions only grow within one core process. */
function isNewer(next: DemoState, shown: DemoState | undefined): boolean {
  return shown === undefined || next.version > shown.version || next.session > shown.session
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/** `next`, each item equal to the shown one of the same key kept as that object; the shown list itself when nothing changed. */
function sharedList<T>(shown: readonly T[], next: T[], key: (item: T, index: number) => string): T[] {
  const byKey = new Map(shown.map((item, i) => [key(item, i), item]))
  const list = next.map((item, i) => {
    const old = byKey.get(key(item, i))
    return old !== undefined && same(old, item) ? old : item
  })
  return list.length === shown.length && list.every((item, i) => item === shown[i]) ? (shown as T[]) : list
}

/**
 * `next`, keeping the parts equal to what is shown as the same objects, so the
 * screen's memoised pieces (the chain, a party, the script) skip the updates that
 * do not concern them: the core sends the whole state on every change.
 */
export function shareUnchanged(shown: DemoState | undefined, next: DemoState): DemoState {
  if (shown === undefined || shown.session !== next.session) return next
  return {
    ...next,
    steps: sharedList(shown.steps, next.steps, (s) => s.id),
    messages: sharedList(shown.messages, next.messages, (m) => m.hash),
    parties: sharedList(shown.parties, next.parties, (p) => p.side),
  }
}

export const createDemoSlice: SliceCreator<DemoSlice> = (set, get, client) => {
  const take = (result: ApiResult<DemoState>): ApiResult<DemoState> => {
    const shown = valueOf(get().demo)
    if (result.ok && isNewer(result.value, shown)) set({ demo: { state: 'ready', value: shareUnchanged(shown, result.value) } })
    return result
  }
  return {
    demo: IDLE,
    loadDemo: coalesce(async () => {
      set({ demo: loadingFrom(get().demo) })
      const result = await client.call('demo.start')
      // An answer to a (re)load is the truth, also after a restart of the core (its versions start again).
      set({ demo: settled(get().demo, result) })
    }),
    demoChanged(state) {
      const shown = valueOf(get().demo)
      if (isNewer(state, shown)) set({ demo: { state: 'ready', value: shareUnchanged(shown, state) } })
    },
    demoControl: async (method) => take(await client.call(method)),
    demoAutoplay: async (pauseMs) => take(await client.call('demo.autoplay', { pauseMs })),
    demoEnvelope: (hash) => client.call('demo.envelope', { hash }),
    demoExport: (side) => client.call('demo.export', { side }),
  }
}
