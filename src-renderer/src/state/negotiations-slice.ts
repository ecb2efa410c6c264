/**
 * Negotiations: the list, each opened negotiation's state (DESIGN section 4 plus
 * its timeline), and every action. An action's answer carries the new state, so
 * the screen shows it at once; the `negotiation` and `message` events (event-feed.ts)
 * bring what counterparties do.
 */
import type {
  ActionResult,
  ApiResult,
  NegotiationId,
  NegotiationState,
  NegotiationSummary,
  TrustMethod,
  TrustParams,
  TrustResult,
} from '../../../src-main/api.js'
import { coalesce, coalesceByKey } from './coalesce.js'
import { IDLE, loadingFrom, settled, valueOf, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

/** The methods that sign a message and answer `{hash, state}`. */
export type ActionMethod = { [M in TrustMethod]: TrustResult<M> extends ActionResult ? M : never }[TrustMethod]

/**
 * How many messages of a timeline one load brings: several screens' worth, never
 * the whole of a long negotiation (10,000 messages are megabytes; DESIGN section 11).
 */
export const TIMELINE_WINDOW = 200

export interface NegotiationsSlice {
  negotiationList: Remote<NegotiationSummary[]>
  /** Each opened negotiation's state; its `timeline` is the window from `timelineFrom`. */
  negotiations: Readonly<Record<NegotiationId, Remote<NegotiationState>>>
  /** Where each negotiation's timeline window starts: loads keep it, so an event does not scroll the reader away. */
  timelineWindows: Readonly<Record<NegotiationId, number>>
  loadNegotiationList(): Promise<void>
  loadNegotiation(id: NegotiationId): Promise<void>
  /** Brings the window of the timeline around message `index` (when it is not held already). */
  showTimelineAt(id: NegotiationId, index: number): Promise<void>
  createNegotiation(params: TrustParams<'negotiations.create'>): Promise<ApiResult<TrustResult<'negotiations.create'>>>
  joinNegotiation(invite: string): Promise<ApiResult<{ negotiation: NegotiationId }>>
  act<M extends ActionMethod>(method: M, params: TrustParams<M>): Promise<ApiResult<ActionResult>>
  /** Reads that a screen asks for on a click (nothing to keep fresh): the invite, one signed envelope, the bundle, the certificate. */
  negotiationInvite(id: NegotiationId): Promise<ApiResult<TrustResult<'negotiations.invite'>>>
  signedEnvelope(id: NegotiationId, hash: string): Promise<ApiResult<TrustResult<'negotiations.envelope'>>>
  exportNegotiation(id: NegotiationId): Promise<ApiResult<TrustResult<'negotiations.export'>>>
  negotiationCertificate(id: NegotiationId): Promise<ApiResult<TrustResult<'negotiations.certificate'>>>
}

export const createNegotiationsSlice: SliceCreator<NegotiationsSlice> = (set, get, client) => {
  const loadNegotiationList = coalesce(async () => {
    set({ negotiationList: loadingFrom(get().negotiationList) })
    const result = await client.call('negotiations.list')
    set({ negotiationList: settled(get().negotiationList, result) })
  })
  const put = (id: NegotiationId, next: Remote<NegotiationState>): void =>
    set({ negotiations: { ...get().negotiations, [id]: next } })
  const loadNegotiation = coalesceByKey(async (id) => {
    put(id, loadingFrom(get().negotiations[id] ?? IDLE))
    const from = get().timelineWindows[id] ?? 0
    const result = await client.call('negotiations.get', { negotiation: id, from, limit: TIMELINE_WINDOW })
    put(id, settled(get().negotiations[id] ?? IDLE, result))
  })

  return {
    negotiationList: IDLE,
    negotiations: {},
    timelineWindows: {},
    loadNegotiationList,
    loadNegotiation,

    async showTimelineAt(id, index) {
      const held = valueOf(get().negotiations[id] ?? IDLE)
      if (held !== undefined && index >= held.timelineFrom && index < held.timelineFrom + held.timeline.length) return
      // Centred on the index, so scrolling either way stays inside it for a while.
      const from = Math.max(0, index - TIMELINE_WINDOW / 2)
      set({ timelineWindows: { ...get().timelineWindows, [id]: from } })
      await loadNegotiation(id)
    },

    async createNegotiation(params) {
      const result = await client.call('negotiations.create', params)
      if (result.ok) void loadNegotiationList()
      return result
    },

    async joinNegotiation(invite) {
      const result = await client.call('negotiations.join', { invite })
      if (result.ok) void loadNegotiationList()
      return result
    },

    async act(method, params) {
      // Each action method takes its own params; the union is checked at the call site.
      const result = (await client.call(method as 'negotiations.lock', params as TrustParams<'negotiations.lock'>)) as ApiResult<ActionResult>
      if (result.ok) {
        const state = result.value.state
        // The answer holds the latest window; later loads keep to it until the reader scrolls.
        set({ timelineWindows: { ...get().timelineWindows, [state.negotiation]: state.timelineFrom } })
        put(state.negotiation, { state: 'ready', value: state })
        void loadNegotiationList()
      }
      return result
    },

    negotiationInvite: (id) => client.call('negotiations.invite', { negotiation: id }),
    signedEnvelope: (id, hash) => client.call('negotiations.envelope', { negotiation: id, hash }),
    exportNegotiation: (id) => client.call('negotiations.export', { negotiation: id }),
    negotiationCertificate: (id) => client.call('negotiations.certificate', { negotiation: id }),
  }
}
