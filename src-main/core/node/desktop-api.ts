/**
 * `updates.*` and `files.takeOpened` (DESIGN.md section 12): the desktop app's
 * updater and opened files behind the TrustApi, with the checks that keep an
 * update from landing mid-action. The services are ports: the core's defaults
 * say "unavailable" and "no file" (browser mode, `trust serve`, development);
 * the Electron main passes real ones (src-main/app/desktop-services.ts).
 */
import type { TrustApi, UpdateStatus } from '../../api.js'
import type { OpenedFileSource } from '../bundle/opened-file.js'
import { TrustError } from '../errors.js'
import { installRefusal } from '../updates/update-policy.js'
import type { UpdateService } from '../updates/update-service.js'
import { paramsOf } from './params.js'

export type DesktopMethod = 'updates.status' | 'updates.setAutoCheck' | 'updates.check' | 'updates.install' | 'files.takeOpened'

/** Not user actions: they never block an install, and install must not wait for itself. */
export const DESKTOP_METHODS: readonly DesktopMethod[] = ['updates.status', 'updates.setAutoCheck', 'updates.check', 'updates.install', 'files.takeOpened']

export interface DesktopApiContext {
  updates: UpdateService
  openedFiles: OpenedFileSource
  /** TrustApi calls running right now, desktop methods excepted. */
  actionsInFlight(): number
}

function unavailable(status: UpdateStatus): TrustError {
  return TrustError.illegal(`updates are off: ${status.reason ?? 'this build does not update itself'}`, { reason: 'UPDATES_UNAVAILABLE' })
}

export function desktopApi(ctx: DesktopApiContext): Pick<TrustApi, DesktopMethod> {
  return {
    'updates.status': async (params) => {
      paramsOf('updates.status', params, [])
      return ctx.updates.status()
    },
    'updates.setAutoCheck': async (params) => {
      const p = paramsOf('updates.setAutoCheck', params, ['enabled'])
      if (typeof p['enabled'] !== 'boolean') {
        throw TrustError.invalidInput(`updates.setAutoCheck: enabled ${p['enabled'] === undefined ? 'is required' : 'must be a boolean'}`, { field: 'enabled' })
      }
      const status = ctx.updates.status()
      if (status.state === 'unavailable') throw unavailable(status)
      return ctx.updates.setAutoCheck(p['enabled'])
    },
    'updates.check': async (params) => {
      paramsOf('updates.check', params, [])
      const status = ctx.updates.status()
      if (status.state === 'unavailable') throw unavailable(status)
      return ctx.updates.check()
    },
    'updates.install': async (params) => {
      paramsOf('updates.install', params, [])
      const refusal = installRefusal(ctx.updates.status().state, ctx.actionsInFlight())
      if (refusal) throw TrustError.illegal(refusal.text, { reason: refusal.reason })
      ctx.updates.install()
      return null
    },
    'files.takeOpened': async (params) => {
      paramsOf('files.takeOpened', params, [])
      return ctx.openedFiles.take()
    },
  }
}
