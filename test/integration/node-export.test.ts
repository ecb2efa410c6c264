/**
 * `trust export NEGOTIATION` and `trust certificate NEGOTIATION` on a profile
 * (DESIGN sections 10, 11): real processes reading a real profile. The bundle
 * verifies with `trust verify`; a prefix names the negotiation; an unknown one
 * is NOT_FOUND; a profile in use by a running node is PROFILE_LOCKED.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNode } from '../../src-main/core/node.js'
import { generateKeyPair } from '../../src-main/core/crypto/ed25519.js'
import { bytesToHex } from '../../src-main/core/crypto/hex.js'
import { REPO, TRUST_BIN } from '../fixtures/rpc-client.js'

const run = promisify(execFile)
const trust = (args: string[]) => run(process.execPath, [TRUST_BIN, ...args], { cwd: REPO, timeout: 60_000 })
const fails = (args: string[]) => trust(args).then(
  () => {
    throw new Error('expected a failure')
  },
  (e: { code: number; stderr: string }) => e,
)

describe('trust export and trust certificate NEGOTIATION', () => {
  let dir: string
  let profile: string
  let negotiation: string

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-export-'))
    profile = path.join(dir, 'alice')
    const node = await createNode({ profileDir: profile, network: 'local' })
    try {
      await node.call('identity.create', { name: 'Alice', passphrase: 'export test passphrase' })
      const created = (await node.call('negotiations.create', {
        title: 'Lease <b>renewal</b>',
        participants: [bytesToHex(generateKeyPair().publicKey)],
        clauses: [{ id: 'rent', title: 'Rent', text: '$900 a month' }],
        deadline: new Date(Date.now() + 86_400_000).toISOString(),
      })) as { negotiation: string }
      negotiation = created.negotiation
    } finally {
      await node.close()
    }
  }, 60_000)

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('exports by id prefix a bundle that trust verify accepts', async () => {
    const out = path.join(dir, 'lease.trust.json')
    const { stdout } = await trust(['export', negotiation.slice(0, 10), '--profile', profile, '--out', out])
    expect(stdout).toBe(`wrote ${out}\n`)
    const verified = await trust(['verify', '--json', out])
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, status: 'INITIATED', bindingHash: null })
    const bundle = JSON.parse(fs.readFileSync(out, 'utf8')) as { negotiation: string; names: Record<string, string> }
    expect(bundle.negotiation).toBe(negotiation)
    expect(Object.values(bundle.names)).toContain('Alice')
  }, 60_000)

  it('writes the certificate of a negotiation in the profile', async () => {
    const out = path.join(dir, 'lease.html')
    await trust(['certificate', negotiation, '--profile', profile, '--out', out])
    const html = fs.readFileSync(out, 'utf8')
    expect(html).toContain(negotiation)
    expect(html).toContain('Lease &lt;b&gt;renewal&lt;/b&gt;')
    expect(html).not.toContain('<b>renewal')
  }, 60_000)

  it('an unknown negotiation is NOT_FOUND, a malformed one a usage error', async () => {
    const unknown = await fails(['export', 'ffffffffffff', '--profile', profile])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('NOT_FOUND')
    const malformed = await fails(['export', 'xyz', '--profile', profile])
    expect(malformed.code).toBe(2)
  }, 60_000)

  it('a profile held by a running node is PROFILE_LOCKED, and nothing is written', async () => {
    const node = await createNode({ profileDir: profile, network: 'local' })
    try {
      const out = path.join(dir, 'locked.trust.json')
      const err = await fails(['export', negotiation, '--profile', profile, '--out', out])
      expect(err.code).toBe(1)
      expect(err.stderr).toContain('PROFILE_LOCKED')
      expect(fs.existsSync(out)).toBe(false)
    } finally {
      await node.close()
    }
  }, 60_000)
})
