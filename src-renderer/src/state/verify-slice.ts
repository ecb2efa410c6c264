/**
 * The bundle the Verify view shows next: a `*.trust.json` the user picked or
 * dropped, one the desktop app was opened with (files.takeOpened), or one
 * another view hands over in-app (the negotiation detail's and the demo's
 * "verify this agreement"). Handing one over opens the Verify view.
 */
import type { SliceCreator } from './store.js'

export interface BundleInput {
  /** A display name (a file's base name, or a label); never a path. */
  name: string
  /** The file's text, as bundles.verify takes it. */
  text: string
}

export interface VerifySlice {
  verifyInput: BundleInput | null
  /** Shows `input` in the Verify view (and goes there). */
  openInVerify(input: BundleInput): void
  clearVerifyInput(): void
}

export const createVerifySlice: SliceCreator<VerifySlice> = (set, get) => ({
  verifyInput: null,
  openInVerify(input) {
    set({ verifyInput: { name: input.name, text: input.text } })
    get().navigate({ view: 'verify' })
  },
  clearVerifyInput() {
    set({ verifyInput: null })
  },
})
