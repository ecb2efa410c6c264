/** The preferences the core acts on (settings.*): the idle lock timeout. */
import type { ApiResult, Settings } from '../../../src-main/api.js'
import { coalesce } from './coalesce.js'
import { IDLE, loadingFrom, settled, type Remote } from './remote.js'
import type { SliceCreator } from './store.js'

export interface SettingsSlice {
  settings: Remote<Settings>
  loadSettings(): Promise<void>
  updateSettings(change: Partial<Settings>): Promise<ApiResult<Settings>>
  /** Called by the event feed on a `settings` event. */
  settingsChanged(settings: Settings): void
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get, client) => ({
  settings: IDLE,
  loadSettings: coalesce(async () => {
    set({ settings: loadingFrom(get().settings) })
    const result = await client.call('settings.get')
    set({ settings: settled(get().settings, result) })
  }),
  async updateSettings(change) {
    const result = await client.call('settings.set', change)
    if (result.ok) set({ settings: { state: 'ready', value: result.value } })
    return result
  },
  settingsChanged: (settings) => set({ settings: { state: 'ready', value: settings } }),
})
