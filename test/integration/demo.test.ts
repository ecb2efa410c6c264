/**
 * `trust demo` as users run it (DESIGN section 11): a real process, real peers on
 * an embedded DHT, real profiles. For 2 and 3 parties it must end in BINDING with
 * one binding hash, write a bundle that `trust verify` (another real process)
 * accepts, and each party's signed receipt checkpoint with its key in the origin.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { verifyCheckpoint } from '../../src-main/core/receipts/index.js'
import { REPO, TRUST_BIN } from '../fixtures/rpc-client.js'

const run = promisify(execFile)
const dirs: string[] = []

interface DemoSummary {
  status: string
  negotiation: string
  bindingHash: string
  bundle: string
  parties: { name: string; publicKey: string; status: string; bindingHash: string }[]
  messages: number
  ms: number
}

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

describe('trust demo', () => {
  for (const parties of [2, 3]) {
    it(`--parties ${parties} --json ends in BINDING and the bundle verifies with trust verify`, async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-demo-test-'))
      dirs.push(out)
      const { stdout } = await run(process.execPath, [TRUST_BIN, 'demo', '--parties', String(parties), '--json', '--out', out], {
        cwd: REPO,
        timeout: 150_000,
      })
      const lines = stdout.trim().split('\n')
      const summary = JSON.parse(lines[lines.length - 1]!) as DemoSummary
      expect(Object.keys(summary)).toEqual(['status', 'negotiation', 'bindingHash', 'bundle', 'parties', 'messages', 'ms'])
      expect(summary.status).toBe('BINDING')
      expect(summary.bindingHash).toMatch(/^[0-9a-f]{64}$/)
      expect(summary.parties.map((p) => p.name)).toEqual(['Alice', 'Bob', 'Carol'].slice(0, parties))
      for (const p of summary.parties) expect(p).toMatchObject({ status: 'BINDING', bindingHash: summary.bindingHash })
      expect(summary.bundle).toBe(path.join(out, `${summary.negotiation.slice(0, 16)}.trust.json`))
      expect(stdout).toContain('IMMUTABLE')

      const verified = await run(process.execPath, [TRUST_BIN, 'verify', '--json', summary.bundle], { cwd: REPO, timeout: 60_000 })
      const report = JSON.parse(verified.stdout) as { valid: boolean; status: string; bindingHash: string; signers: string[] }
      expect(report).toMatchObject({ valid: true, status: 'BINDING', bindingHash: summary.bindingHash })
      const k = parties === 2 ? 2 : Math.floor(parties / 2) + 1
      expect(report.signers).toHaveLength(k)

      for (const p of summary.parties) {
        const note = fs.readFileSync(path.join(out, `${p.name.toLowerCase()}.checkpoint`), 'utf8')
        expect(note.split('\n')[0]).toBe(`trust-primitive/receipts/${p.publicKey}`)
        const checkpoint = verifyCheckpoint(note, p.publicKey)
        expect(checkpoint.size).toBeGreaterThan(5)
        // Signed by that party alone: another party's key does not verify it.
        const other = summary.parties.find((q) => q !== p)!
        expect(() => verifyCheckpoint(note, other.publicKey)).toThrow()
      }
    }, 180_000)
  }

  it('refuses --parties outside 2..5 with exit 2', async () => {
    const err = (await run(process.execPath, [TRUST_BIN, 'demo', '--parties', '6'], { cwd: REPO }).catch((e: unknown) => e)) as {
      code: number
      stderr: string
    }
    expect(err.code).toBe(2)
    expect(err.stderr).toContain('--parties')
  })
})
