/**
 * The UI in browser mode (issue 10 item 5): Playwright drives Debian's Chromium
 * against a real `trust serve` on a private DHT, with the built renderer
 * (`npm run build` first; the group refuses to run on a missing build).
 *
 * ui.load_ms: from the start of the navigation to the app link to the first
 *   screen being usable (a returning user: the lock screen, its passphrase
 *   field focused and editable), on the page's own clock (performance.now(),
 *   which starts at the navigation), so Playwright's own overhead is left out.
 *   A fresh browser context each time (no cache, no stored token). Median of
 *   RUNS loads.
 *
 * The other two figures of the group come with the screens that they measure
 * (part 2 of issue 10), as further entries of `measures` below:
 *   ui.timeline_10k_ms  open a negotiation with 10,000 messages to its timeline painted (goal < 500)
 *   ui.update_p50_ms    an action on one page to its effect painted on the other peer's page (goal < 100)
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { RpcClient } from '../test/fixtures/rpc-client.js'
import { DhtBootstrap, REPO, TrustPeer } from '../test/e2e/fixtures/trust-peer.js'
import { median } from './goal.js'
import type { BenchResult } from './types.js'

export const group = 'ui'

const RUNS = 7
const PASSPHRASE = 'bench passphrase for the ui group'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']

interface UiWorld {
  browser: Browser
  dht: DhtBootstrap
  peer: TrustPeer
}

async function loadMs(world: UiWorld): Promise<BenchResult> {
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const context = await world.browser.newContext({ viewport: { width: 1200, height: 800 } })
    const page = await context.newPage()
    await page.goto(world.peer.appUrl, { waitUntil: 'commit' })
    // Checked every animation frame; answers the page's clock at the first frame it holds.
    const usableAt = await page.waitForFunction(
      () => {
        const g = globalThis as unknown as {
          document: { activeElement: { getAttribute(n: string): string | null; readOnly?: boolean } | null }
          performance: { now(): number }
        }
        const el = g.document.activeElement
        const usable = el !== null && el.getAttribute('autocomplete') === 'current-password' && el.readOnly === false
        return usable ? g.performance.now() : false
      },
      undefined,
      { polling: 'raf' },
    )
    times.push((await usableAt.jsonValue()) as number)
    await context.close()
  }
  return { name: 'ui.load_ms', value: median(times), unit: 'ms', goal: '< 1000' }
}

/** Each measure gets the running world; part 2 adds timeline_10k_ms and update_p50_ms here. */
const measures: ((world: UiWorld) => Promise<BenchResult>)[] = [loadMs]

export async function run(): Promise<BenchResult[]> {
  if (!existsSync(join(REPO, 'out/renderer/index.html'))) {
    throw new Error('the ui group needs the built app: run `npm run build` first')
  }
  const dht = await DhtBootstrap.start()
  let peer: TrustPeer | undefined
  let browser: Browser | undefined
  try {
    peer = await TrustPeer.start('Bench', dht.network)
    const rpc = await RpcClient.connect(peer.apiUrl)
    await rpc.call('identity.create', { name: 'Bench', passphrase: PASSPHRASE })
    await rpc.call('identity.lock')
    await rpc.close()
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
    const results: BenchResult[] = []
    for (const measure of measures) results.push(await measure({ browser, dht, peer }))
    return results
  } finally {
    await browser?.close()
    await peer?.dispose()
    await dht.stop()
  }
}
