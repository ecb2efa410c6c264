/**
 * Opening the app with an agreement file (src-main/core/bundle/opened-file.ts):
 * which command-line arguments name one, how it is read (bundle size limit,
 * UTF-8, regular files only, errors as values), the name the renderer sees, and
 * the queue the renderer takes them from.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_BUNDLE_BYTES } from '../../src-main/core/bundle/bundle.js'
import {
  bundlePathsFromArgv,
  displayName,
  MAX_QUEUED_FILES,
  OpenedFileQueue,
  readOpenedFile,
} from '../../src-main/core/bundle/opened-file.js'

describe('bundlePathsFromArgv', () => {
  const cwd = path.resolve('/home/alice/docs')

  it('finds bundle files among arguments, absolute, in order, once each', () => {
    const args = ['deal.trust.json', path.resolve('/tmp/other.TRUST.JSON'), 'deal.trust.json', 'notes.json', 'readme.txt']
    expect(bundlePathsFromArgv(args, cwd)).toEqual([path.join(cwd, 'deal.trust.json'), path.resolve('/tmp/other.TRUST.JSON')])
  })

  it('skips switches, links and whatever is not text', () => {
    const args = [
      '--allow-file-access-from-files',
      '--original-process-start-time=1234',
      '-psn_0_12345',
      'trust://join/AAAA.trust.json',
      'https://example.org/x.trust.json',
      '',
      'a\0b.trust.json',
      42,
      null,
    ]
    expect(bundlePathsFromArgv(args, cwd)).toEqual([])
  })

  it('turns file:// URLs (Linux desktop entries pass %U) into paths', () => {
    const file = path.resolve('/tmp/with space.trust.json')
    expect(bundlePathsFromArgv([pathToFileURL(file).href], cwd)).toEqual([file])
    expect(bundlePathsFromArgv(['file://remote-host/share/x.trust.json'], cwd).length).toBeLessThanOrEqual(1)
  })
})

describe('displayName', () => {
  it('is the base name only, with control and bidi characters replaced, and bounded', () => {
    expect(displayName('/home/alice/deal.trust.json')).toBe('deal.trust.json')
    expect(displayName('C:\\Users\\alice\\deal.trust.json')).toBe('deal.trust.json')
    expect(displayName('/x/evil\u202egnp.trust.json')).toBe('evil\ufffdgnp.trust.json')
    expect(displayName('/x/a\nb.trust.json')).toBe('a\ufffdb.trust.json')
    expect(displayName(`/x/${'n'.repeat(400)}.trust.json`)).toHaveLength(255)
  })
})

describe('readOpenedFile', () => {
  let dir: string
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-opened-'))
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('reads a UTF-8 file as text under its base name', async () => {
    const file = path.join(dir, 'deal.trust.json')
    fs.writeFileSync(file, '{"format":"trust-primitive/bundle@1","names":{"k":"Zoë"}}')
    expect(await readOpenedFile(file)).toEqual({ name: 'deal.trust.json', text: '{"format":"trust-primitive/bundle@1","names":{"k":"Zoë"}}' })
  })

  it('refuses a file over the bundle limit without reading it whole', async () => {
    const file = path.join(dir, 'huge.trust.json')
    fs.writeFileSync(file, '')
    fs.truncateSync(file, MAX_BUNDLE_BYTES + 1)
    const opened = await readOpenedFile(file)
    expect(opened.text).toBeUndefined()
    expect(opened.error?.code).toBe('TOO_LARGE')
    expect(opened.error?.message).not.toContain(dir)
  })

  it('accepts a file of exactly the limit', async () => {
    const file = path.join(dir, 'limit.trust.json')
    fs.writeFileSync(file, Buffer.alloc(MAX_BUNDLE_BYTES, 0x20))
    const opened = await readOpenedFile(file)
    expect(opened.error).toBeUndefined()
    expect(opened.text).toHaveLength(MAX_BUNDLE_BYTES)
  })

  it('refuses text that is not UTF-8, a folder and a missing file, naming no path', async () => {
    const latin1 = path.join(dir, 'latin1.trust.json')
    fs.writeFileSync(latin1, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]))
    expect((await readOpenedFile(latin1)).error?.code).toBe('INVALID_ENCODING')
    const folder = path.join(dir, 'folder.trust.json')
    fs.mkdirSync(folder)
    const folderResult = await readOpenedFile(folder)
    expect(folderResult.error).toBeDefined()
    expect(folderResult.text).toBeUndefined()
    const missing = await readOpenedFile(path.join(dir, 'gone.trust.json'))
    expect(missing).toEqual({ name: 'gone.trust.json', error: { code: 'NOT_FOUND', message: 'NOT_FOUND: gone.trust.json could not be read (ENOENT)' } })
    for (const result of [folderResult, missing]) expect(JSON.stringify(result)).not.toContain(dir)
  })
})

describe('OpenedFileQueue', () => {
  it('hands files out first in, first out, and tells listeners of each', () => {
    const queue = new OpenedFileQueue()
    const heard: string[] = []
    const stop = queue.onPush((f) => heard.push(f.name))
    queue.push({ name: 'a.trust.json', text: 'a' })
    queue.push({ name: 'b.trust.json', text: 'b' })
    expect(heard).toEqual(['a.trust.json', 'b.trust.json'])
    expect(queue.take()?.name).toBe('a.trust.json')
    expect(queue.take()?.name).toBe('b.trust.json')
    expect(queue.take()).toBeNull()
    stop()
    queue.push({ name: 'c.trust.json', text: 'c' })
    expect(heard).toHaveLength(2)
  })

  it('keeps at most MAX_QUEUED_FILES, dropping the oldest', () => {
    const queue = new OpenedFileQueue()
    for (let i = 0; i < MAX_QUEUED_FILES + 3; i++) queue.push({ name: `${i}.trust.json`, text: '' })
    expect(queue.size).toBe(MAX_QUEUED_FILES)
    expect(queue.take()?.name).toBe('3.trust.json')
  })
})
