/**
 * The preload: exposes exactly `window.trust = {call, on}` (DESIGN.md section 11,
 * built in bridge.ts) through contextBridge, and nothing else: no ipcRenderer,
 * no event objects, no Node. Runs sandboxed, so it is built as CommonJS and
 * imports only electron.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { createTrustBridge } from './bridge.js'

contextBridge.exposeInMainWorld('trust', createTrustBridge(ipcRenderer))
