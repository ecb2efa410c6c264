/**
 * The desktop-only parts of the TrustApi (DESIGN.md section 12): the updater and
 * the files the app was opened with, composed here and laid over the core's
 * api in index.ts (the core itself answers "unavailable" and "no file").
 */
import type { TrustApi, TrustEvent } from '../api.js'
import { OpenedFileQueue } from '../core/bundle/opened-file.js'
import type { TrustNode } from '../core/node.js'
import { desktopApi, type DesktopMethod } from '../core/node/desktop-api.js'
import { createAutoUpdate, type AutoUpdate } from './auto-update.js'
import { watchOpenedFiles } from './opened-files.js'

export interface DesktopServices {
  /** The desktop methods over this node (call after `ready`). */
  api(node: TrustNode): Pick<TrustApi, DesktopMethod>
  stop(): void
}

/** Call before `ready`, so no opened file is missed. Events go to the window through `emit`. */
export function startDesktopServices(emit: (event: TrustEvent) => void): DesktopServices {
  const openedFiles = new OpenedFileQueue()
  openedFiles.onPush((file) => emit({ type: 'file-opened', name: file.name }))
  watchOpenedFiles(openedFiles)
  let updates: AutoUpdate | undefined
  return {
    api(node) {
      updates ??= createAutoUpdate(emit)
      return desktopApi({ updates, openedFiles, actionsInFlight: () => node.actionsInFlight() })
    },
    stop() {
      updates?.stop()
    },
  }
}
