/**
 * The live demo in browser mode (issue 11 item 6): by stepping inside the app,
 * and by autoplay from `trust demo --ui`'s link. Both sides reach BINDING with
 * one binding hash; the chain has one node per message the engine reports; the
 * change after binding is shown refused; the forgery, the fork and the dispute
 * show; envelopes are verified by the engine; reset works three times in a row.
 * Each stage is checked with axe and saved under test-results/screens/demo-*.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from '@playwright/test'
import type { DemoState } from '../../src-main/api.js'
import { RpcClient } from '../fixtures/rpc-client.js'
import { createIdentity, openApp } from './fixtures/app.js'
import { checkScreen, SCREENS_DIR } from './fixtures/checks.js'
import { DemoUi } from './fixtures/demo-ui.js'
import { expect, test } from './fixtures/test.js'

// Many stages and axe runs on a large page: more than the default two minutes on this machine.
test.describe.configure({ timeout: 360_000 })

/** Runs `shoot` with the window as tall as the demo, so a screenshot shows all of it; then puts the window back. */
async function tall(page: Page, shoot: () => Promise<void>): Promise<void> {
  const size = page.viewportSize()!
  const height = await page.evaluate(() => {
    const main = document.getElementById('main')
    if (!main) return document.body.scrollHeight
    main.scrollTop = 0
    return main.scrollHeight + main.getBoundingClientRect().top
  })
  await page.setViewportSize({ width: size.width, height: Math.min(4000, Math.max(size.height, Math.ceil(height))) })
  try {
    await shoot()
  } finally {
    await page.setViewportSize(size)
  }
}

/** A stage of the story: its screenshot (light theme) for people to look at. */
async function stage(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true })
  await tall(page, () => page.screenshot({ path: path.join(SCREENS_DIR, `${name}-light.png`), animations: 'disabled', caret: 'hide' }).then(() => undefined))
}

/** A stage checked with axe in both themes (checkScreen), its screenshots showing the whole demo. */
async function checkStage(page: Page, name: string): Promise<void> {
  await tall(page, () => checkScreen(page, name))
}

const party = (page: Page, side: 'alice' | 'bob') => page.locator(`.demo-party[data-side="${side}"]`)
const status = (page: Page, side: 'alice' | 'bob') => party(page, side).locator('.demo-party__status')

/** Presses Step until the step with this id is done. */
async function stepUntil(page: Page, id: string): Promise<void> {
  for (;;) {
    const next = Number(await page.locator('.demo-progress').getAttribute('data-next'))
    await page.getByRole('button', { name: 'Step', exact: true }).click()
    await expect(page.locator('.demo-progress')).toHaveAttribute('data-next', String(next + 1))
    const item = page.locator('[data-step-id]').nth(next)
    await expect(item).toHaveAttribute('data-status', 'done')
    if ((await item.getAttribute('data-step-id')) === id) return
  }
}

async function expectSameBinding(page: Page): Promise<string> {
  await expect(status(page, 'alice')).toHaveText('BINDING')
  await expect(status(page, 'bob')).toHaveText('BINDING')
  const a = await party(page, 'alice').locator('[data-binding-hash]').getAttribute('data-binding-hash')
  const b = await party(page, 'bob').locator('[data-binding-hash]').getAttribute('data-binding-hash')
  expect(a).toMatch(/^[0-9a-f]{64}$/)
  expect(b).toBe(a)
  await expect(page.locator('[data-proof="same"]')).toContainText(a!)
  return a!
}

/** The chain has one node per message the engine reports, and each side's fold holds them all (or says why not). */
async function expectChainMatchesEngine(page: Page, rpc: RpcClient): Promise<DemoState> {
  const engine = await rpc.call<DemoState>('demo.state')
  await expect(page.locator('.demo-node')).toHaveCount(engine.messages.length)
  const union = new Set(engine.parties.flatMap((p) => p.state?.timeline.map((m) => m.hash) ?? []))
  expect(union.size).toBe(engine.messages.length)
  const shown = await page.locator('.demo-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-hash')))
  expect(new Set(shown)).toEqual(union)
  return engine
}

test('the live demo by steps, inside the app: BINDING on both sides, the refusals and the evidence, envelopes verified', async ({ page, peers, watch }) => {
  void watch
  const dana = await peers.start('Dana')
  await openApp(page, dana)
  await createIdentity(page, 'Dana')
  const rpc = await RpcClient.connect(dana.apiUrl)
  try {
    await page.getByRole('link', { name: 'Live demo' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Live demo' })).toBeVisible()
    await expect(page.locator('.demo-progress')).toHaveText(/^Next, step 1 of \d+/)
    await checkStage(page, 'demo-start')

    await stepUntil(page, 'identities')
    const fingerprints = await page.locator('.demo-party__header .fingerprint').allTextContents()
    expect(fingerprints).toHaveLength(2)
    expect(fingerprints[0]).not.toBe(fingerprints[1])

    await stepUntil(page, 'join')
    await expect(status(page, 'alice')).toHaveText('NEGOTIATING')
    await expect(status(page, 'bob')).toHaveText('NEGOTIATING')
    await expect(page.locator('.demo-sm__state[data-status="NEGOTIATING"]')).toHaveClass(/is-current/)
    await stage(page, 'demo-negotiating')

    await stepUntil(page, 'accept-alice')
    await expect(status(page, 'alice')).toHaveText('CONSENSUS_REACHED')
    await expect(status(page, 'bob')).toHaveText('CONSENSUS_REACHED')
    await expect(party(page, 'bob')).toContainText('$750')
    await stage(page, 'demo-consensus')

    await stepUntil(page, 'finalize-bob')
    const bindingHash = await expectSameBinding(page)
    let engine = await expectChainMatchesEngine(page, rpc)
    expect(engine.parties.map((p) => p.state?.bindingHash)).toEqual([bindingHash, bindingHash])
    expect(engine.parties.map((p) => p.state?.timeline.length)).toEqual([engine.messages.length, engine.messages.length])
    // The other side's update was painted, and the page says how long it took.
    await expect(page.locator('[data-step-id="finalize-bob"][data-paint-ms]')).toHaveCount(1)
    await checkStage(page, 'demo-binding')

    await stepUntil(page, 'change-refused')
    await expect(party(page, 'alice').locator('.demo-party__refused')).toContainText('IMMUTABLE')
    await expect(page.locator('[data-step-id="change-refused"]')).toContainText('Refused: IMMUTABLE')
    await expect(party(page, 'alice').locator('.demo-party__clauses')).not.toContainText('$2,000')
    await expectChainMatchesEngine(page, rpc) // nothing was signed
    await stage(page, 'demo-refused')

    await stepUntil(page, 'forgery')
    const forged = page.locator('.demo-node.is-forged')
    await expect(forged).toHaveCount(1)
    await expect(forged).toHaveClass(/is-rejected/)
    await forged.click()
    await expect(page.locator('.demo-detail__verdict')).toContainText('does not verify')
    await expect(status(page, 'alice')).toHaveText('BINDING')
    await checkStage(page, 'demo-forgery')

    await stepUntil(page, 'equivocation')
    await expect(party(page, 'alice').locator('.demo-party__evidence')).toContainText('Bob signed 2 versions')
    expect(await party(page, 'alice').locator('[data-binding-hash]').getAttribute('data-binding-hash')).toBe(bindingHash)
    await stage(page, 'demo-equivocation')

    await stepUntil(page, 'dispute')
    await expect(status(page, 'alice')).toHaveText('DISPUTED')
    await expect(status(page, 'bob')).toHaveText('DISPUTED')
    await expect(party(page, 'bob').locator('.demo-appeal__countdown')).toHaveText(/\d d \d\d:\d\d:\d\d left/)
    await expect(page.getByRole('button', { name: 'Step', exact: true })).toBeDisabled()
    engine = await expectChainMatchesEngine(page, rpc)

    // GENESIS, verified by the engine with the key that made it: Alice's.
    await page.locator(`.demo-node[data-hash="${engine.negotiation}"]`).click()
    await expect(page.locator('.demo-detail__verdict')).toContainText(`Signature verified: made with Alice's key ${fingerprints[0]}`)
    await expect(page.locator('.demo-detail__json')).toContainText('"type": "GENESIS"')
    await checkStage(page, 'demo-dispute')

    // The bundle goes to the Verify view.
    await page.getByRole('button', { name: 'Export and verify this agreement' }).click()
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/verify')

    // The user's own identity was never touched.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click()
    await expect(page.locator('.facts')).toContainText('Dana')
    expect(await rpc.call('identity.status')).toMatchObject({ exists: true, name: 'Dana' })
  } finally {
    await rpc.close()
  }
})

test('trust demo --ui: autoplay at full speed to BINDING, and reset three times in a row', async ({ page, watch }) => {
  void watch
  const tmp = os.tmpdir()
  const ours = (): string[] => fs.readdirSync(tmp).filter((d) => d.startsWith('trust-demo-ui-') || d.startsWith('trust-live-demo-'))
  const before = new Set(ours())
  const demo = await DemoUi.start()
  const rpc = await RpcClient.connect(demo.apiUrl)
  try {
    await page.goto(demo.url)
    // Opened without an identity, on its own frame.
    await expect(page.getByRole('heading', { level: 1, name: 'Live demo' })).toBeVisible()
    await expect(page.locator('nav.sidebar')).toHaveCount(0)
    await expect(page.locator('.demo-progress')).toHaveText(/^Next, step 1 of/)

    await page.getByRole('radio', { name: 'Full speed' }).check()
    await page.getByRole('button', { name: 'Autoplay' }).click()
    // At full speed BINDING lasts a few steps only: the engine's announcements say both sides were there, with one hash.
    const bound = (await rpc.waitForEvent((e) => {
      const s = (e as unknown as { state?: DemoState }).state
      return e.type === 'demo' && s !== undefined && s.parties.every((p) => p.state?.status === 'BINDING') && s.sameBindingHash
    }, 60_000)) as unknown as { state: DemoState }
    const bindingHash = bound.state.parties[0]!.state!.bindingHash
    await expect(page.locator('.demo-progress')).toHaveText(/^All \d+ steps done\./, { timeout: 60_000 })
    await expect(page.getByRole('button', { name: 'Autoplay' })).toBeDisabled()
    // Then the dispute: the binding stands, the same on both sides.
    await expect(status(page, 'alice')).toHaveText('DISPUTED')
    for (const side of ['alice', 'bob'] as const) {
      await expect(party(page, side).locator('[data-binding-hash]')).toHaveAttribute('data-binding-hash', bindingHash!)
    }
    await expect(page.locator('[data-proof="same"]')).toContainText(bindingHash!)
    const engine = await expectChainMatchesEngine(page, rpc)
    expect(engine.steps.every((s) => s.status === 'done')).toBe(true)
    await expect(page.locator('[data-step-id="change-refused"]')).toContainText('Refused: IMMUTABLE')
    await checkStage(page, 'demo-autoplay')

    let keys = new Set(engine.parties.map((p) => p.publicKey))
    let session = engine.session
    for (let round = 1; round <= 3; round++) {
      await page.getByRole('button', { name: 'Reset' }).click()
      await expect(page.locator('.demo-node')).toHaveCount(0)
      await expect(page.locator('.demo-progress')).toHaveText(/^Next, step 1 of/)
      await expect(status(page, 'alice')).toHaveText('No identity yet')
      await stepUntil(page, 'join')
      await expect(status(page, 'bob')).toHaveText('NEGOTIATING')
      const now = await expectChainMatchesEngine(page, rpc)
      expect(now.session).toBeGreaterThan(session)
      for (const p of now.parties) expect(keys.has(p.publicKey)).toBe(false) // fresh keys each time
      keys = new Set(now.parties.map((p) => p.publicKey))
      session = now.session
    }
    await checkStage(page, 'demo-after-resets')
  } finally {
    await rpc.close()
    await page.close()
    await demo.stop()
  }
  // Ctrl-C closed the peers and deleted every temporary profile it made.
  expect(ours().filter((d) => !before.has(d))).toEqual([])
})
