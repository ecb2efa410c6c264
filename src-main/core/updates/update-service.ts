/**
 * What the core needs from an updater (DESIGN.md section 12). The desktop app
 * supplies one over electron-updater (src-main/app/auto-update.ts); everywhere
 * else (browser mode, `trust serve`, development, tests) the core uses
 * `unavailableUpdates`, which never checks and never installs.
 */
import type { UpdateStatus } from '../../api.js'
import { initialUpdateStatus } from './update-state.js'

export interface UpdateService {
  status(): UpdateStatus
  /** Persists the switch; turning it on may start a check. */
  setAutoCheck(enabled: boolean): Promise<UpdateStatus>
  /** Starts a check now; progress comes as status changes. */
  check(): Promise<UpdateStatus>
  /** Quits and installs the verified update. Called only after installRefusal said yes. */
  install(): void
}

export const BROWSER_MODE_REASON = 'updates run only in the installed desktop app'

export function unavailableUpdates(reason: string = BROWSER_MODE_REASON, current?: string): UpdateService {
  const status = initialUpdateStatus({ supported: false, reason, autoCheck: false, ...(current === undefined ? {} : { current }) })
  const refuse = (): never => {
    throw new Error('unavailableUpdates: the core refuses before this is reached')
  }
  return {
    status: () => ({ ...status }),
    setAutoCheck: async () => refuse(),
    check: async () => refuse(),
    install: refuse,
  }
}
