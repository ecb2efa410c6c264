/**
 * What the Verify view reports (DESIGN section 10): the last bundle checked and
 * its offline report (bundles.report), kept while the person looks elsewhere.
 * Bundles reach it from a picked or dropped file, from another view
 * (verify-slice.ts `openInVerify`), or from the desktop app's opened files
 * (`files.takeOpened`, on the view's mount and on each `file-opened` event).
 */
import type { ApiError, BundleReport } from '../../../src-main/api.js'
import type { SliceCreator } from './store.js'
import type { BundleInput } from './verify-slice.js'

export type BundleCheck =
  | { state: 'idle' }
  | { state: 'checking'; name: string }
  | { state: 'done'; name: string; report: BundleReport }
  /** Not checked: the file could not be read, or the call failed (not the same as an invalid bundle). */
  | { state: 'failed'; name: string; error: ApiError }

export interface BundleReportSlice {
  bundleCheck: BundleCheck
  /** Verifies `input` offline and keeps the report. */
  checkBundle(input: BundleInput): Promise<void>
  /** A file the desktop app was opened with: takes the oldest and shows it in the Verify view. */
  takeOpenedFile(): Promise<void>
  clearBundleCheck(): void
}

export const createBundleReportSlice: SliceCreator<BundleReportSlice> = (set, get, client) => {
  let latest = 0
  return {
    bundleCheck: { state: 'idle' },
    async checkBundle(input) {
      const ticket = ++latest
      set({ bundleCheck: { state: 'checking', name: input.name } })
      const result = await client.call('bundles.report', { bundle: input.text })
      if (ticket !== latest) return // a newer file was picked meanwhile
      set({
        bundleCheck: result.ok ? { state: 'done', name: input.name, report: result.value } : { state: 'failed', name: input.name, error: result.error },
      })
    },
    async takeOpenedFile() {
      const result = await client.call('files.takeOpened')
      if (!result.ok || result.value === null) return
      const file = result.value
      if (file.text !== undefined) {
        get().openInVerify({ name: file.name, text: file.text })
      } else {
        ++latest
        set({
          bundleCheck: {
            state: 'failed',
            name: file.name,
            error: file.error ?? { code: 'INVALID_INPUT', message: 'INVALID_INPUT: the file could not be read' },
          },
        })
        get().navigate({ view: 'verify' })
      }
    },
    clearBundleCheck() {
      ++latest
      set({ bundleCheck: { state: 'idle' } })
    },
  }
}
