import type { TrustApi } from '../../api.js'
import { TrustError } from '../errors.js'
import type { NegotiationRuntime } from './negotiation-runtime.js'

type NegotiationMethods = Omit<TrustApi, `identity.${string}` | `contacts.${string}` | `receipts.${string}` | 'network.status'>

export function negotiationsApi(_runtime: NegotiationRuntime): NegotiationMethods {
  const no = () => Promise.reject(new TrustError('INTERNAL', 'not wired yet'))
  return {
    'negotiations.create': no,
    'negotiations.invite': no,
    'negotiations.join': no,
    'negotiations.list': no,
    'negotiations.get': no,
    'negotiations.offer': no,
    'negotiations.lock': no,
    'negotiations.accept': no,
    'negotiations.finalize': no,
    'negotiations.withdraw': no,
    'negotiations.dispute': no,
    'negotiations.decide': no,
    'negotiations.resolve': no,
    'negotiations.export': no,
    'negotiations.certificate': no,
    'bundles.verify': no,
  }
}
