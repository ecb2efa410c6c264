/**
 * A negotiation of 10,000 signed messages (five parties; SETUP: built and
 * ingested through the core in the profile before the peer starts, as the ui
 * bench does): the detail view opens on one window of its timeline, never the
 * whole (every WebSocket message the page receives stays small), shows the
 * history the core computed from all of it, and brings the window where the
 * reader goes (the latest message, then back to the first).
 */
import { PASSPHRASE, prepareTenThousand } from '../../bench/ui.bench.js'
import { openApp, unlock } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { expect, test } from './fixtures/test.js'

const MESSAGES = 10_000

test('10,000 messages: the timeline a window at a time, the rest where the reader scrolls', async ({ page, peers }) => {
  test.setTimeout(300_000)
  let negotiation = ''
  const peer = await peers.start('Tenk', {
    prepare: async (profile) => {
      negotiation = await prepareTenThousand(profile)
    },
  })
  const frames: number[] = []
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(typeof f.payload === 'string' ? f.payload.length : f.payload.byteLength)))
  await openApp(page, peer)
  await unlock(page, PASSPHRASE)
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible()

  await page.evaluate((id) => (location.hash = `#/negotiations/${id}`), negotiation)
  const timeline = page.getByRole('region', { name: 'Signed timeline, scrollable' })
  await expect(timeline).toHaveAttribute('data-count', String(MESSAGES))
  await expect(page.getByText(`${MESSAGES} messages in the order every party computes`)).toBeVisible()
  await expect(timeline.locator('[data-index="0"]')).toContainText('Started the negotiation')
  // The history reads all 10,000: the acceptances are counted, not just the window's.
  await page.getByText(/^Acceptances and finalizations, with the terms each named \(\d+\)$/).click()
  const count = Number(/\((\d+)\)$/.exec((await page.getByText(/^Acceptances and finalizations/).innerText()).trim())![1])
  expect(count).toBeGreaterThan(200)
  await expect(page.locator('.signed-for > li')).toHaveCount(51) // the 50 latest, and the line that says so
  await checkScreen(page, 'negotiation-10k')

  // The latest message: its window comes when the reader goes there.
  await page.getByRole('button', { name: 'Jump to latest' }).click()
  await expect(timeline.locator(`[data-index="${MESSAGES - 1}"]`)).toBeVisible({ timeout: 30_000 })
  await expect(timeline.locator('[data-loading]')).toHaveCount(0)
  await expect(timeline.locator(`[data-index="${MESSAGES - 1}"]`)).toContainText('Verified')
  await timeline.scrollIntoViewIfNeeded()
  await checkScreen(page, 'negotiation-10k-latest')
  // And back to the first, by keyboard.
  await timeline.focus()
  await page.keyboard.press('Home')
  await expect(timeline.locator('[data-index="0"]')).toBeVisible({ timeout: 30_000 })

  // Never the whole timeline in one message: the largest the page received is one window.
  expect(frames.length).toBeGreaterThan(0)
  expect(Math.max(...frames)).toBeLessThan(512 * 1024)
})
