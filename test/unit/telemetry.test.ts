import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it, expect, afterEach } from 'vitest'
import {
  closeLogger,
  createLogger,
  childLogger,
  logFilePath,
  REDACTED,
  SECRET_FIELDS,
} from '../../src-main/core/telemetry/logger.js'
import { createMetrics, labelValue } from '../../src-main/core/telemetry/metrics.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-telemetry-'))
  dirs.push(dir)
  return dir
}

function readLines(file: string): Array<Record<string, unknown>> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe('createLogger', () => {
  it('writes JSON lines to <profile>/logs/trust.log and never the secrets in them', () => {
    const profile = tempDir()
    const logger = createLogger({ dir: profile })
    const passphrase = 'correct horse battery staple 7f3a'
    const secretKey = 'a1'.repeat(32)
    logger.info({ passphrase, nested: { secretKey, deeper: { seed: 'seed-xyz', keep: 'visible-1' } } }, 'unlock tried')
    logger.warn({ request: { params: { token: 'tok-123', blob: 'blob-456', key_blob: 'kb-789' } } }, 'rpc')
    logger.info({ a: { b: { c: { d: { secret: 'depth-5-secret' } } } } }, 'deep')
    const file = logFilePath(profile)
    expect(file).toBe(path.join(profile, 'logs', 'trust.log'))
    const text = fs.readFileSync(file, 'utf8') // sync destination: on disk already
    for (const leaked of [passphrase, secretKey, 'seed-xyz', 'tok-123', 'blob-456', 'kb-789', 'depth-5-secret']) {
      expect(text).not.toContain(leaked)
    }
    expect(text).toContain('visible-1')
    const lines = readLines(file)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatchObject({ level: 30, msg: 'unlock tried', passphrase: REDACTED, pid: process.pid })
    expect(lines[0]?.nested).toMatchObject({ secretKey: REDACTED, deeper: { seed: REDACTED, keep: 'visible-1' } })
    expect(typeof lines[0]?.time).toBe('string')
  })

  it('closeLogger gives the file descriptor back; a line logged later, by a child too, is dropped, not thrown', () => {
    const profile = tempDir()
    const openFds = (): string[] => fs.readdirSync('/proc/self/fd').map((fd) => {
      try {
        return fs.readlinkSync(`/proc/self/fd/${fd}`)
      } catch {
        return ''
      }
    })
    const logger = createLogger({ dir: profile })
    const child = childLogger(logger, { negotiation: 'n1' })
    logger.info('before')
    expect(openFds()).toContain(logFilePath(profile))
    closeLogger(logger)
    expect(openFds()).not.toContain(logFilePath(profile))
    expect(() => logger.info('after')).not.toThrow()
    expect(() => child.warn('after, from a child')).not.toThrow()
    closeLogger(logger) // idempotent
    expect(readLines(logFilePath(profile)).map((l) => l.msg)).toEqual(['before'])
  })

  it('covers every secret field name at the top level and in arrays of objects', () => {
    const profile = tempDir()
    const logger = createLogger({ dir: profile })
    const fields: Record<string, string> = {}
    for (const name of SECRET_FIELDS) fields[name] = `value-of-${name}-0xdead`
    logger.info({ ...fields, list: [fields] }, 'all fields')
    const text = fs.readFileSync(logFilePath(profile), 'utf8')
    expect(text).not.toContain('0xdead')
  })

  it('child() binds negotiation and peer to every line, and redacts secret bindings too', () => {
    const profile = tempDir()
    const logger = createLogger({ dir: profile, level: 'debug' })
    const child = childLogger(logger, { negotiation: 'n-1', peer: 'p-2' })
    child.debug({ step: 1 }, 'offer received')
    childLogger(logger, { peer: 'p-3' }).child({ token: 'bound-token' }).info('bound')
    const lines = readLines(logFilePath(profile))
    expect(lines[0]).toMatchObject({ negotiation: 'n-1', peer: 'p-2', step: 1, level: 20 })
    expect(lines[1]).toMatchObject({ peer: 'p-3', token: REDACTED })
    expect(lines[1]).not.toHaveProperty('negotiation')
  })

  it('respects the level and refuses an unknown level', () => {
    const profile = tempDir()
    const logger = createLogger({ dir: profile, level: 'warn' })
    logger.info('dropped')
    logger.error('kept')
    expect(readLines(logFilePath(profile)).map((l) => l.msg)).toEqual(['kept'])
    expect(() => createLogger({ dir: profile, level: 'loud' as 'info' })).toThrow(/INVALID_INPUT/)
  })
})

describe('createMetrics', () => {
  it('exposes every metric in the Prometheus text after recording', async () => {
    const metrics = createMetrics()
    metrics.negotiationsCreated.inc()
    metrics.negotiationsCreated.inc()
    metrics.transition('PROPOSED', 'ACCEPTED')
    metrics.transition('ACCEPTED', 'BINDING')
    metrics.timeToBinding.observe(42)
    metrics.activeNegotiations.set(3)
    metrics.connectedPeers.set(2)
    metrics.rejected('BAD_SIGNATURE')
    metrics.rejected('BAD_SIGNATURE')
    metrics.rateLimitedPeers.inc()
    const text = await metrics.text()
    expect(text).toMatch(/^trust_negotiations_created_total 2$/m)
    expect(text).toMatch(/^trust_state_transitions_total\{from="PROPOSED",to="ACCEPTED"\} 1$/m)
    expect(text).toMatch(/^trust_state_transitions_total\{from="ACCEPTED",to="BINDING"\} 1$/m)
    expect(text).toMatch(/^trust_time_to_binding_seconds_count 1$/m)
    expect(text).toMatch(/^trust_time_to_binding_seconds_sum 42$/m)
    expect(text).toMatch(/^trust_time_to_binding_seconds_bucket\{le="60"\} 1$/m)
    expect(text).toMatch(/^trust_time_to_binding_seconds_bucket\{le="10"\} 0$/m)
    expect(text).toMatch(/^trust_active_negotiations 3$/m)
    expect(text).toMatch(/^trust_connected_peers 2$/m)
    expect(text).toMatch(/^trust_rejected_messages_total\{reason="BAD_SIGNATURE"\} 2$/m)
    expect(text).toMatch(/^trust_rate_limited_peers_total 1$/m)
    expect(metrics.contentType).toContain('version=0.0.4')
  })

  it('gives each node its own registry', async () => {
    const a = createMetrics()
    const b = createMetrics()
    a.negotiationsCreated.inc(5)
    expect(await a.text()).toMatch(/^trust_negotiations_created_total 5$/m)
    expect(await b.text()).toMatch(/^trust_negotiations_created_total 0$/m)
  })

  it('folds hostile label values into "other" so peers cannot grow the registry', async () => {
    const metrics = createMetrics()
    for (let i = 0; i < 50; i++) metrics.rejected(`reason "${i}"\n{injected="1"}`)
    metrics.rejected('x'.repeat(65))
    const text = await metrics.text()
    expect(text).toMatch(/^trust_rejected_messages_total\{reason="other"\} 51$/m)
    expect(text).not.toContain('injected')
    expect(labelValue('TOO_LARGE')).toBe('TOO_LARGE')
    expect(labelValue('')).toBe('other')
  })

  it('can add process metrics under its own prefix', async () => {
    const metrics = createMetrics({ processMetrics: true })
    expect(await metrics.text()).toContain('trust_process_')
  })
})
