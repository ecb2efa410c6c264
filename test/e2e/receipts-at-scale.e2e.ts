/**
 * The Receipts view over a chain of 100,000 receipts: the page holds one window
 * of it (48 receipts) and an overview of the whole, moves through it by buttons,
 * by keyboard and by number, flags the checkpoints inside each window, and
 * verifies the whole chain. The chain is made by the core's own append path in
 * the stopped peer's profile (SETUP, fixtures/receipt-chain.ts).
 */
import path from 'node:path'
import { createIdentity, openApp, PASSPHRASE, unlock } from './fixtures/app.js'
import { checkScreen } from './fixtures/checks.js'
import { openView } from './fixtures/contacts.js'
import { appendReceipts, damageReceipt } from './fixtures/receipt-chain.js'
import { expect, test } from './fixtures/test.js'

const RECEIPTS = 100_000

test('100,000 receipts: a window at a time, every part reachable, the whole chain verified', async ({ page, peers, watch }) => {
  test.setTimeout(600_000)
  const carol = await peers.start('Carol')
  await openApp(page, carol)
  await createIdentity(page, 'Carol')
  // SETUP: the chain, written while the peer is stopped; the page waits and reconnects.
  watch.allow(/WebSocket connection to .* failed/)
  await carol.stop()
  await appendReceipts(path.join(carol.profileDir, 'profile'), PASSPHRASE, RECEIPTS)
  await carol.restart()
  await unlock(page)
  await openView(page, 'Receipts')

  const position = page.locator('.chain__position')
  await expect(position).toHaveText('Receipts 99,952 to 99,999 of 100,000')
  const drawing = page.getByRole('group', { name: /^Receipts \d+ to \d+, each linked/ })
  // One window in the page, however long the chain.
  await expect(drawing.getByRole('button')).toHaveCount(48)
  await expect(drawing.locator('.chain__checkpoint')).toHaveCount(1) // 99,000 is before this window; 100,000 ends it
  await expect(drawing.locator('.chain__checkpoint')).toContainText('checkpoint 100,000')

  await page.getByRole('button', { name: 'First', exact: true }).click()
  await expect(position).toHaveText('Receipts 0 to 47 of 100,000')
  await expect(drawing.getByRole('button')).toHaveCount(48)

  // The keyboard moves the window along at its edge.
  await drawing.getByRole('button', { name: /^Receipt 47:/ }).focus()
  await page.keyboard.press('ArrowRight')
  await expect(position).toHaveText('Receipts 48 to 95 of 100,000')
  await expect(drawing.getByRole('button', { name: /^Receipt 48:/ })).toBeFocused()
  // The focused receipt shows its ring (drawn in SVG: an outline would not follow the node's shape).
  expect(await drawing.locator('[data-seq="48"] .chain__ring').evaluate((el) => getComputedStyle(el).visibility)).toBe('visible')
  expect(await drawing.locator('[data-seq="49"] .chain__ring').evaluate((el) => getComputedStyle(el).visibility)).toBe('hidden')
  await page.keyboard.press('PageDown')
  await expect(drawing.getByRole('button', { name: /^Receipt 96:/ })).toBeFocused()

  // By number, to the middle: the checkpoint at 50,000 is flagged on receipt 49,999.
  await page.getByLabel('Receipt number').fill('50000')
  await page.getByRole('button', { name: 'Show', exact: true }).click()
  await expect(position).toHaveText('Receipts 49,976 to 50,023 of 100,000')
  await expect(page.getByRole('heading', { name: 'Receipt 50000', exact: true })).toBeVisible()
  await expect(drawing.getByRole('button', { name: 'Receipt 49999: negotiation.received, sealed by a checkpoint' })).toBeVisible()
  await expect(drawing.locator('.chain__checkpoint')).toContainText('checkpoint 50,000')

  // The slider moves the window by keyboard too.
  await page.getByRole('slider', { name: 'Position in the chain' }).focus()
  await page.keyboard.press('End')
  await expect(position).toHaveText('Receipts 99,952 to 99,999 of 100,000')

  await page.getByRole('button', { name: 'Verify the whole chain' }).click()
  await expect(page.getByRole('status').filter({ hasText: /^All 100,000 receipts verified in [\d,]+ ms/ })).toBeVisible({ timeout: 120_000 })
  await drawing.scrollIntoViewIfNeeded()
  await checkScreen(page, 'receipts-100k')

  // SETUP: one receipt near the end is damaged on disk behind the app's back.
  await carol.stop()
  damageReceipt(path.join(carol.profileDir, 'profile'), 99_990)
  await carol.restart()
  await unlock(page)
  await openView(page, 'Receipts')
  await page.getByRole('button', { name: 'Verify the whole chain' }).click()
  const failure = page.getByRole('alert').filter({ hasText: 'Receipt 99990 failed verification' })
  await expect(failure).toBeVisible({ timeout: 120_000 })
  await failure.getByRole('button', { name: 'Show receipt 99990' }).click()
  await expect(page.getByRole('heading', { name: 'Receipt 99990', exact: true })).toBeVisible()
  await expect(drawing.getByRole('button', { name: /^Receipt 99989: [a-z.]+$/ })).toBeVisible()
  await expect(drawing.getByRole('button', { name: /^Receipt 99990: .*, failed verification$/ })).toBeVisible()
  await expect(drawing.locator('.chain__node.is-bad')).toHaveCount(10) // 99,990 to 99,999, the last in the chain
  await drawing.scrollIntoViewIfNeeded()
  await checkScreen(page, 'receipts-damaged')
})
