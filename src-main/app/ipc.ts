/**
 * The IPC surface of TrustApi: one `trust:call` handler and one `trust:event`
 * channel (DESIGN.md section 11). Thin on purpose: the sender check is
 * sender-check.ts, the call itself is dispatch.ts, the behaviour is the core's.
 */
import { ipcMain, type WebContents } from 'electron'
import type { ApiResult, JsonValue, TrustApi, TrustEvent } from '../api.js'
import { dispatchTrustCall } from './dispatch.js'
import { isTrustedSender } from './sender-check.js'

// The preload spells these too: it may not import runtime code from src-main.
export const TRUST_CALL_CHANNEL = 'trust:call'
export const TRUST_EVENT_CHANNEL = 'trust:event'

export interface TrustIpcOptions {
  /** The URL the app's page is loaded from (app://trust/index.html, or the dev server's). */
  appUrl: string
  /** Where unexpected (non-TrustError) failures are reported; never the renderer. */
  onUnexpected?: (method: string, err: unknown) => void
}

/** Registers the handler; returns a function that removes it. */
export function registerTrustIpc(api: TrustApi, options: TrustIpcOptions): () => void {
  ipcMain.handle(TRUST_CALL_CHANNEL, async (event, method: unknown, params: unknown): Promise<ApiResult<JsonValue>> => {
    if (!isTrustedSender(event.senderFrame, options.appUrl)) {
      return {
        ok: false,
        error: { code: 'INVALID_INPUT', message: "INVALID_INPUT: calls are answered only for the app's own page" },
      }
    }
    return dispatchTrustCall(api, method, params, options.onUnexpected)
  })
  return () => ipcMain.removeHandler(TRUST_CALL_CHANNEL)
}

/** Sends one event to a window's page (the preload filters it by type). */
export function sendTrustEvent(contents: WebContents, event: TrustEvent): void {
  if (!contents.isDestroyed()) contents.send(TRUST_EVENT_CHANNEL, event)
}
