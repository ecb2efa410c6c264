/**
 * Hands the core to the Electron main (DESIGN sections 1, 9, 11): one createNode()
 * on the profile in the app's user-data folder, its TrustApi for registerTrustIpc,
 * its events for sendTrustEvent, and a close for quit. The desktop app is for
 * real users, so its default network is `public`; TRUST_NETWORK overrides it
 * (`local`, `bootstrap=host:port,...`) and TRUST_PROFILE the profile folder.
 * createNode takes the profile lock (a lease file), beside Electron's own
 * single-instance lock in index.ts.
 */
import path from 'node:path'
import { app } from 'electron'
import type { TrustApi, TrustEvent } from '../api.js'
import { createNode, type TrustNode } from '../core/node.js'

export interface CoreBridge {
  readonly api: TrustApi
  /** Subscribes to every core event; returns the unsubscribe function. */
  on(listener: (event: TrustEvent) => void): () => void
  /** Wipes the key, stops the network and releases the profile. */
  close(): Promise<void>
  readonly node: TrustNode
}

export async function startCore(env: Readonly<Record<string, string | undefined>> = process.env): Promise<CoreBridge> {
  const profileDir = env.TRUST_PROFILE || path.join(app.getPath('userData'), 'profile')
  const node = await createNode({ profileDir, network: env.TRUST_NETWORK || 'public' })
  return { api: node.api, on: (listener) => node.on(listener), close: () => node.close(), node }
}
