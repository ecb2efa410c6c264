/**
 * `demo.*` of the TrustApi (DESIGN section 11, "Demo"): the params are checked
 * here (INVALID_INPUT naming the field); the DemoController runs the demo, on
 * peers of its own, never on this node's identity or profile.
 */
import type { TrustApi } from '../../api.js'
import type { DemoController } from '../demo/demo-controller.js'
import { MAX_PAUSE_MS } from '../demo/demo-controller.js'
import { hex64, oneOf, optInt, paramsOf } from './params.js'

type DemoMethods = Pick<TrustApi, `demo.${string}` & keyof TrustApi>

export function demoApi(demo: DemoController): DemoMethods {
  const none = (method: string, params: unknown): void => void paramsOf(method, params, [])
  return {
    'demo.state': async (params) => {
      none('demo.state', params)
      return demo.state()
    },
    'demo.start': async (params) => {
      none('demo.start', params)
      return demo.start()
    },
    'demo.step': async (params) => {
      none('demo.step', params)
      return demo.step()
    },
    'demo.autoplay': async (params) => {
      const p = paramsOf('demo.autoplay', params, ['pauseMs'])
      return demo.autoplay(optInt('demo.autoplay', p, 'pauseMs', 0, MAX_PAUSE_MS))
    },
    'demo.pause': async (params) => {
      none('demo.pause', params)
      return demo.pause()
    },
    'demo.reset': async (params) => {
      none('demo.reset', params)
      return demo.reset()
    },
    'demo.stop': async (params) => {
      none('demo.stop', params)
      return demo.stop()
    },
    'demo.envelope': async (params) => {
      const p = paramsOf('demo.envelope', params, ['hash'])
      return demo.envelope(hex64('demo.envelope', p, 'hash'))
    },
    'demo.export': async (params) => {
      const p = paramsOf('demo.export', params, ['side'])
      return demo.exportBundle(p.side === undefined ? 'alice' : oneOf('demo.export', p, 'side', ['alice', 'bob'] as const))
    },
  }
}
