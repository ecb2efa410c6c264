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
 * ui.timeline_10k_ms: a profile holding one negotiation of 10,000 signed
 *   messages (five parties, built and ingested through the core in the setup,
 *   bench/negotiation-fold.ts's history with the profile's identity as its
 *   second party: a negotiation the profile created would be adopted by the
 *   peer at start and its ~2,000 own messages appended to a new feed in the
 *   background, a one-time catch-up of building a profile outside the peer that
 *   a user's steady state never has)
 *   is served by `trust serve`; with the app open and unlocked in a fresh
 *   context, from setting the address to the negotiation to the first frame
 *   with its timeline's rows drawn (`negotiations.get` over JSON-RPC for the
 *   state, the history the core computed from all 10,000 messages and the
 *   timeline's first window, the state in the store, the screen rendered), on
 *   the page's clock. Median of
 *   TIMELINE_RUNS fresh contexts (no cached state).
 * ui.update_p50_ms: two `trust serve` peers on the private DHT, Alice's and
 *   Bob's pages both on one NEGOTIATING negotiation. Alice signs a counter-offer
 *   from the dialog; from her click on "Sign and send" to the first frame of
 *   Bob's page showing the new clause text (her core signs and stores it, the
 *   feed replicates to Bob's core, which folds it and sends the event; his page
 *   fetches the state and renders). Both pages read performance.timeOrigin +
 *   performance.now() of one machine. Median of UPDATE_RUNS offers.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import { IdentityService } from '../src-main/core/identity/index.js'
import { NegotiationService } from '../src-main/core/negotiation/index.js'
import { ReceiptChain } from '../src-main/core/receipts/index.js'
import { openDatabase } from '../src-main/core/store/database.js'
import { RpcClient } from '../test/fixtures/rpc-client.js'
import { DhtBootstrap, REPO, TrustPeer } from '../test/e2e/fixtures/trust-peer.js'
import { median } from './goal.js'
import { buildFoldHistory, FOLD_MESSAGES } from './negotiation-fold.js'
import type { BenchResult } from './types.js'

export const group = 'ui'

const RUNS = 7
const TIMELINE_RUNS = 5
const UPDATE_RUNS = 15
/** The passphrase of the identity prepareTenThousand makes. */
export const PASSPHRASE = 'bench passphrase for the ui group'
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

/** Through the core, not the UI: an identity in `profile` and one negotiation of 10,000 messages it created. */
export async function prepareTenThousand(profile: string): Promise<string> {
  mkdirSync(profile, { recursive: true })
  const db = openDatabase(join(profile, 'trust.db'))
  const identity = new IdentityService(db)
  try {
    const { publicKey } = await identity.create({ name: 'Bench', passphrase: PASSPHRASE })
    const signer = identity.signer()
    const { id, inputs, now } = buildFoldHistory(FOLD_MESSAGES, { name: 'bench', publicKey, signer })
    const service = new NegotiationService({ db, identity, receipts: new ReceiptChain(db, publicKey), now: () => now })
    for (let i = 0; i < inputs.length; i += 500) {
      service.ingestTogether(() => {
        for (const m of inputs.slice(i, i + 500)) service.ingest(m.bytes)
      })
    }
    const state = service.get(id)
    if (state.timeline.length !== FOLD_MESSAGES || state.status !== 'BINDING') {
      throw new Error(`setup: the profile holds ${state.timeline.length} messages, status ${state.status}`)
    }
    return id
  } finally {
    identity.close()
    db.close()
  }
}

/** Opens the app link in a fresh context and waits for the unlocked shell. */
export async function openUnlocked(browser: Browser, peer: TrustPeer): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  const page = await context.newPage()
  await page.goto(peer.appUrl)
  const passphrase = page.getByLabel('Passphrase', { exact: true })
  const overview = page.getByRole('heading', { level: 1, name: 'Overview' })
  await Promise.race([passphrase.waitFor({ timeout: 60_000 }), overview.waitFor({ timeout: 60_000 })])
  if (await passphrase.isVisible()) {
    await passphrase.fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Unlock' }).click()
  }
  await overview.waitFor({ timeout: 60_000 })
  return page
}

/** The page's globals these measures touch (the bench compiles without DOM types). */
interface PageGlobals {
  location: { hash: string }
  document: { querySelector(selector: string): { querySelector(selector: string): unknown; textContent: string | null } | null }
  performance: { now(): number; timeOrigin: number }
}

function goTo(page: Page, hash: string): Promise<void> {
  return page.evaluate((h) => void ((globalThis as unknown as PageGlobals).location.hash = h), hash)
}

async function timeline10kMs(world: UiWorld): Promise<BenchResult> {
  let negotiation = ''
  const peer = await TrustPeer.start('Timeline', world.dht.network, {
    prepare: async (profile) => {
      negotiation = await prepareTenThousand(profile)
    },
  })
  try {
    const times: number[] = []
    for (let i = 0; i < TIMELINE_RUNS; i++) {
      const page = await openUnlocked(world.browser, peer)
      const t0 = await page.evaluate(() => (globalThis as unknown as PageGlobals).performance.now())
      await goTo(page, `#/negotiations/${negotiation}`)
      const at = await page.waitForFunction(
        (count) => {
          const g = globalThis as unknown as PageGlobals
          const list = g.document.querySelector(`.timeline[data-count="${count}"]`)
          return list !== null && list.querySelector('[data-index="0"]') !== null ? g.performance.now() : false
        },
        FOLD_MESSAGES,
        { polling: 'raf', timeout: 60_000 },
      )
      times.push(((await at.jsonValue()) as number) - t0)
      await page.context().close()
    }
    return { name: 'ui.timeline_10k_ms', value: median(times), unit: 'ms', goal: '< 500' }
  } finally {
    await peer.dispose()
  }
}

async function updateP50Ms(world: UiWorld): Promise<BenchResult> {
  const [alice, bob] = await Promise.all([TrustPeer.start('Alice', world.dht.network), TrustPeer.start('Bob', world.dht.network)])
  try {
    // Setup through JSON-RPC (not measured): identities, cards, a joined negotiation.
    const [a, b] = await Promise.all([RpcClient.connect(alice.apiUrl), RpcClient.connect(bob.apiUrl)])
    const [ka] = await Promise.all([
      a.call<{ publicKey: string }>('identity.create', { name: 'Alice', passphrase: PASSPHRASE }),
      b.call<{ publicKey: string }>('identity.create', { name: 'Bob', passphrase: PASSPHRASE }),
    ])
    const kb = await b.call<{ publicKey: string }>('identity.status')
    await a.call('contacts.add', { card: (await b.call<{ card: string }>('contacts.myCard')).card })
    await b.call('contacts.add', { card: (await a.call<{ card: string }>('contacts.myCard')).card })
    const { negotiation, invite } = await a.call<{ negotiation: string; invite: string }>('negotiations.create', {
      title: 'Update latency',
      participants: [kb.publicKey],
      clauses: [{ id: 'price', title: 'Price', text: 'Round 0.' }],
      deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    })
    await b.call('negotiations.join', { invite })
    for (let i = 0; i < 600; i++) {
      const s = await a.call<{ status: string }>('negotiations.get', { negotiation })
      if (s.status === 'NEGOTIATING') break
      await new Promise((r) => setTimeout(r, 100))
    }
    await Promise.all([a.close(), b.close()])
    void ka

    const [alicePage, bobPage] = await Promise.all([openUnlocked(world.browser, alice), openUnlocked(world.browser, bob)])
    for (const page of [alicePage, bobPage]) {
      await goTo(page, `#/negotiations/${negotiation}`)
      await page.getByRole('button', { name: 'Counter-offer' }).waitFor({ timeout: 60_000 })
    }
    const times: number[] = []
    for (let i = 1; i <= UPDATE_RUNS; i++) {
      const text = `Round ${i}.`
      await alicePage.getByRole('button', { name: 'Counter-offer' }).click()
      const dialog = alicePage.getByRole('dialog')
      await dialog.getByLabel('Text of price').fill(text)
      const seen = bobPage.waitForFunction(
        (t) => {
          const g = globalThis as unknown as PageGlobals
          const clause = g.document.querySelector('.clause .clause__text')
          return clause !== null && clause.textContent === t ? g.performance.timeOrigin + g.performance.now() : false
        },
        text,
        { polling: 'raf', timeout: 60_000 },
      )
      const clickedAt = await dialog.getByRole('button', { name: 'Sign and send' }).evaluate((button) => {
        const g = globalThis as unknown as PageGlobals
        const at = g.performance.timeOrigin + g.performance.now()
        ;(button as unknown as { click(): void }).click()
        return at
      })
      const seenAt = (await (await seen).jsonValue()) as number
      times.push(seenAt - clickedAt)
      await dialog.waitFor({ state: 'hidden', timeout: 60_000 })
    }
    await Promise.all([alicePage.context().close(), bobPage.context().close()])
    return { name: 'ui.update_p50_ms', value: median(times), unit: 'ms', goal: '< 100' }
  } finally {
    await Promise.all([alice.dispose(), bob.dispose()])
  }
}

/** Each measure gets the running world. */
const measures: ((world: UiWorld) => Promise<BenchResult>)[] = [loadMs, timeline10kMs, updateP50Ms]

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
