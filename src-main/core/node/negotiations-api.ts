/**
 * `negotiations.*` and `bundles.verify` of the TrustApi (DESIGN sections 4, 10,
 * 11). Params are checked for shape here (INVALID_INPUT naming the field); the
 * service checks meaning (keys, clause rules, k) and refuses illegal actions
 * before signing, STALE_TERMS included. Actions go through the peer, which signs,
 * stores and appends to our feed; reads go to the service and work while locked.
 */
import type { ActionResult as ApiActionResult, Bundle, TrustApi } from '../../api.js'
import { serializeBundle } from '../bundle/export-bundle.js'
import { renderCertificate } from '../bundle/certificate.js'
import { reportJson, verifyBundle } from '../bundle/verify-bundle.js'
import { TrustError } from '../errors.js'
import type { ActionResult } from '../negotiation/index.js'
import { hex64, hexList, int, isoTime, objectList, oneOf, optInt, optStr, paramsOf, str, type Params } from './params.js'
import { envelopeJson, stateJson, summaryJson } from './state-json.js'
import type { NegotiationRuntime } from './negotiation-runtime.js'

type NegotiationMethods = Pick<TrustApi, `negotiations.${string}` & keyof TrustApi> & Pick<TrustApi, 'bundles.verify'>

const MAX_PARTIES = 64
const MAX_CLAUSES = 256
const MAX_BUNDLE_TEXT = 16 * 1024 * 1024
/** The most messages one window of a timeline holds (negotiations.get with limit). */
const MAX_TIMELINE_WINDOW = 1000
/** How many of the latest messages an action's answer carries. */
const ACTION_TIMELINE_WINDOW = 200

export function negotiationsApi(rt: NegotiationRuntime): NegotiationMethods {
  // An action answers with the latest window of the timeline (its own message is last in
  // it, or near): a long negotiation's whole timeline is megabytes, on every click.
  const action = (result: ActionResult): ApiActionResult => {
    const view = rt.service().get(result.state.negotiation)
    const from = Math.max(0, view.timeline.length - ACTION_TIMELINE_WINDOW)
    return { hash: result.hash, state: stateJson(view, { from, limit: ACTION_TIMELINE_WINDOW }) }
  }
  const id = (m: string, p: Params): string => hex64(m, p, 'negotiation')

  return {
    'negotiations.create': async (params) => {
      const m = 'negotiations.create'
      const p = paramsOf(m, params, ['title', 'participants', 'clauses', 'requiredConsensus', 'deadline', 'arbiters', 'appealWindowDays'])
      const title = str(m, p, 'title', 4096)
      const participants = hexList(m, p, 'participants', MAX_PARTIES)
      const clauses = objectList(m, p, 'clauses', { required: ['id', 'title', 'text'], optional: [] }, MAX_CLAUSES)
      const requiredConsensus = optInt(m, p, 'requiredConsensus', 1, MAX_PARTIES + 1)
      const deadline = isoTime(m, p, 'deadline')
      const appealWindowDays = optInt(m, p, 'appealWindowDays', 0, 3650)
      let arbiters: { keys: string[]; threshold: number } | undefined
      if (p.arbiters !== undefined) {
        if (typeof p.arbiters !== 'object' || p.arbiters === null || Array.isArray(p.arbiters)) {
          throw TrustError.invalidInput(`${m}: arbiters must be an object {keys, threshold}`, { field: 'arbiters' })
        }
        const a = paramsOf(`${m} arbiters`, p.arbiters, ['keys', 'threshold'])
        arbiters = { keys: hexList(m, a, 'keys', MAX_PARTIES), threshold: int(m, a, 'threshold', 1, MAX_PARTIES) }
      }
      return (await rt.peer()).create({
        title,
        participants,
        clauses: clauses as { id: string; title: string; text: string }[],
        deadline,
        ...(requiredConsensus === undefined ? {} : { requiredConsensus }),
        ...(arbiters === undefined ? {} : { arbiters }),
        ...(appealWindowDays === undefined ? {} : { appealWindowDays }),
      })
    },
    'negotiations.invite': async (params) => {
      const p = paramsOf('negotiations.invite', params, ['negotiation'])
      return { invite: rt.invite(id('negotiations.invite', p)) }
    },
    'negotiations.join': async (params) => {
      const p = paramsOf('negotiations.join', params, ['invite'])
      return (await rt.peer()).join(str('negotiations.join', p, 'invite', 1024))
    },
    'negotiations.list': async (params) => {
      paramsOf('negotiations.list', params, [])
      return rt.service().list().map(summaryJson)
    },
    'negotiations.get': async (params) => {
      const m = 'negotiations.get'
      const p = paramsOf(m, params, ['negotiation', 'from', 'limit'])
      const from = optInt(m, p, 'from', 0, Number.MAX_SAFE_INTEGER)
      const limit = optInt(m, p, 'limit', 1, MAX_TIMELINE_WINDOW)
      if (from !== undefined && limit === undefined) throw TrustError.invalidInput('negotiations.get: from needs limit (a window of the timeline)', { field: 'limit' })
      return stateJson(rt.service().get(id(m, p)), limit === undefined ? undefined : { from: from ?? 0, limit })
    },
    'negotiations.offer': async (params) => {
      const m = 'negotiations.offer'
      const p = paramsOf(m, params, ['negotiation', 'changes', 'note', 'base'])
      const changes = objectList(m, p, 'changes', { required: ['op', 'clause'], optional: ['title', 'text'] }, MAX_CLAUSES)
      const note = optStr(m, p, 'note')
      const base = p.base === undefined ? undefined : hex64(m, p, 'base')
      return action(
        await (await rt.peer()).act('offer', { negotiation: id(m, p), changes, ...(note === undefined ? {} : { note }), ...(base === undefined ? {} : { base }) }),
      )
    },
    'negotiations.lock': async (params) => {
      const m = 'negotiations.lock'
      const p = paramsOf(m, params, ['negotiation', 'clause', 'textHash'])
      const textHash = p.textHash === undefined ? undefined : hex64(m, p, 'textHash')
      return action(await (await rt.peer()).act('lock', { negotiation: id(m, p), clause: str(m, p, 'clause', 64), ...(textHash === undefined ? {} : { textHash }) }))
    },
    'negotiations.accept': async (params) => {
      const p = paramsOf('negotiations.accept', params, ['negotiation', 'termsHash'])
      return action(await (await rt.peer()).act('accept', { negotiation: id('negotiations.accept', p), termsHash: hex64('negotiations.accept', p, 'termsHash') }))
    },
    'negotiations.finalize': async (params) => {
      const m = 'negotiations.finalize'
      const p = paramsOf(m, params, ['negotiation', 'termsHash'])
      return action(await (await rt.peer()).act('finalize', { negotiation: id(m, p), termsHash: hex64(m, p, 'termsHash') }))
    },
    'negotiations.withdraw': async (params) => {
      const p = paramsOf('negotiations.withdraw', params, ['negotiation', 'reason'])
      const reason = optStr('negotiations.withdraw', p, 'reason')
      return action(await (await rt.peer()).act('withdraw', { negotiation: id('negotiations.withdraw', p), ...(reason === undefined ? {} : { reason }) }))
    },
    'negotiations.dispute': async (params) => {
      const m = 'negotiations.dispute'
      const p = paramsOf(m, params, ['negotiation', 'reason', 'evidence'])
      const evidence = optStr(m, p, 'evidence')
      return action(await (await rt.peer()).act('dispute', { negotiation: id(m, p), reason: str(m, p, 'reason'), ...(evidence === undefined ? {} : { evidence }) }))
    },
    'negotiations.decide': async (params) => {
      const m = 'negotiations.decide'
      const p = paramsOf(m, params, ['negotiation', 'outcome', 'remedy'])
      const remedy = optStr(m, p, 'remedy')
      const outcome = oneOf(m, p, 'outcome', ['upheld', 'rejected'] as const)
      return action(await (await rt.peer()).act('decide', { negotiation: id(m, p), outcome, ...(remedy === undefined ? {} : { remedy }) }))
    },
    'negotiations.resolve': async (params) => {
      const m = 'negotiations.resolve'
      const p = paramsOf(m, params, ['negotiation', 'settlement'])
      return action(await (await rt.peer()).act('resolve', { negotiation: id(m, p), settlement: str(m, p, 'settlement') }))
    },
    'negotiations.export': async (params) => {
      const p = paramsOf('negotiations.export', params, ['negotiation'])
      return rt.exportBundle(id('negotiations.export', p)) as unknown as Bundle
    },
    'negotiations.certificate': async (params) => {
      const p = paramsOf('negotiations.certificate', params, ['negotiation'])
      const negotiation = id('negotiations.certificate', p)
      const text = serializeBundle(rt.exportBundle(negotiation))
      return { html: renderCertificate(text, { at: rt.now(), bundleFileName: `${negotiation.slice(0, 16)}.trust.json` }) }
    },
    'negotiations.envelope': async (params) => {
      const m = 'negotiations.envelope'
      const p = paramsOf(m, params, ['negotiation', 'hash'])
      return envelopeJson(rt.service().envelope(id(m, p), hex64(m, p, 'hash')))
    },
    'bundles.verify': async (params) => {
      const m = 'bundles.verify'
      const p = paramsOf(m, params, ['bundle', 'at'])
      const bundle = str(m, p, 'bundle', MAX_BUNDLE_TEXT)
      const at = p.at === undefined ? rt.now() : Date.parse(isoTime(m, p, 'at'))
      const report = reportJson(verifyBundle(bundle, { at }))
      return {
        ...report,
        status: report.status,
        ...(report.error ? { error: { code: report.error.code, message: report.error.message } } : {}),
      } as ReturnType<TrustApi['bundles.verify']> extends Promise<infer R> ? R : never
    },
  }
}
