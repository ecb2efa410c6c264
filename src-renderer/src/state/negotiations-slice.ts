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
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

/** The methods that sign a message and answer `{hash, state}`. */
export type ActionMethod = { [M in TrustMethod]: TrustResult<M> extends ActionResult ? M : never }[TrustMethod]

export interface NegotiationsSlice {
  negotiationList: Remote<NegotiationSummary[]>
  negotiations: Readonly<Record<NegotiationId, Remote<NegotiationState>>>
  loadNegotiationList(): Promise<void>
  loadNegotiation(id: NegotiationId): Promise<void>
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
    const result = await client.call('negotiations.get', { negotiation: id })
    put(id, settled(get().negotiations[id] ?? IDLE, result))
  })

  return {
    negotiationList: IDLE,
    negotiations: {},
    loadNegotiationList,
    loadNegotiation,

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
        put(result.value.state.negotiation, { state: 'ready', value: result.value.state })
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
