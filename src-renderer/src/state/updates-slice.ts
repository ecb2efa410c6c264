/**
 * The desktop app's updates (DESIGN section 12): the status, kept fresh by
 * `update` events, the automatic-check switch, a check now, and the install,
 * which the Settings screen calls only after the person agreed. In browser mode
 * the status is `unavailable`, with the reason.
 */
import type { ApiResult, UpdateStatus } from '../../../src-main/api.js'
import { coalesce } from './coalesce.js'
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

export interface UpdatesSlice {
  updates: Remote<UpdateStatus>
  loadUpdates(): Promise<void>
  setAutoCheck(enabled: boolean): Promise<ApiResult<UpdateStatus>>
  checkForUpdates(): Promise<ApiResult<UpdateStatus>>
  /** Quits and installs: call only when the person agreed. */
  installUpdate(): Promise<ApiResult<null>>
  /** Called by the event feed on an `update` event. */
  updateChanged(status: UpdateStatus): void
}

export const createUpdatesSlice: SliceCreator<UpdatesSlice> = (set, get, client) => {
  const keep = (result: ApiResult<UpdateStatus>): ApiResult<UpdateStatus> => {
    if (result.ok) set({ updates: { state: 'ready', value: result.value } })
    return result
  }
  return {
    updates: IDLE,
    loadUpdates: coalesce(async () => {
      set({ updates: loadingFrom(get().updates) })
      const result = await client.call('updates.status')
      set({ updates: settled(get().updates, result) })
    }),
    setAutoCheck: async (enabled) => keep(await client.call('updates.setAutoCheck', { enabled })),
    checkForUpdates: async () => keep(await client.call('updates.check')),
    installUpdate: () => client.call('updates.install'),
    updateChanged: (status) => set({ updates: { state: 'ready', value: status } }),
  }
}
