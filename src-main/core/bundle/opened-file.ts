/**
 * Agreement files the desktop app is opened with (DESIGN.md section 12): found in
 * a command line (Windows and Linux pass the file as an argument, a second
 * launch forwards its own) or named by macOS's `open-file`, read with the bundle
 * limits, and queued until the renderer takes them with `files.takeOpened` to
 * show in the Verify screen. Plain Node: the Electron wiring is
 * src-main/app/opened-files.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { OpenedFile } from '../../api.js'
import { TrustError } from '../errors.js'
import { MAX_BUNDLE_BYTES } from './bundle.js'
import { displayText } from './display-text.js'

/** The bundle file name ending (DESIGN.md section 10). */
export const BUNDLE_SUFFIX = '.trust.json'

/** Files waiting to be taken; a flood of launches cannot grow memory without bound. */
export const MAX_QUEUED_FILES = 8

const MAX_NAME = 255

/**
 * The bundle files named in command-line arguments (the executable, and in
 * development the app folder, already removed by the caller), as absolute paths
 * in order, without repeats. Switches (`--flag`, which Chromium adds to a
 * forwarded command line), links such as trust:// invites, and files of any
 * other kind are skipped; `file://` URLs (Linux desktop entries pass them) are
 * turned into paths. Relative paths are resolved against `cwd`.
 */
export function bundlePathsFromArgv(args: readonly unknown[], cwd: string): string[] {
  const found: string[] = []
  for (const arg of args) {
    if (typeof arg !== 'string' || arg === '' || arg.startsWith('-') || arg.includes('\0')) continue
    let candidate: string
    if (/^file:\/\//i.test(arg)) {
      try {
        candidate = fileURLToPath(arg)
      } catch {
        continue
      }
    } else if (/^[a-z][a-z0-9+.-]+:/i.test(arg) && !/^[a-z]:[\\/]/i.test(arg)) {
      continue // a URL (trust://...), not a path; `C:\` is a Windows path, not a scheme
    } else {
      candidate = arg
    }
    if (!candidate.toLowerCase().endsWith(BUNDLE_SUFFIX)) continue
    const absolute = path.resolve(cwd, candidate)
    if (!found.includes(absolute)) found.push(absolute)
  }
  return found
}

/** A displayable base name: no directories, no control characters, bounded. */
export function displayName(filePath: string): string {
  const base = path.basename(filePath.replaceAll('\\', '/'))
  // A line break has no place in a file name: marked, not turned into a space as in a title.
  return displayText(base.replace(/\r\n?|[\n\u2028\u2029\u0085]/g, '\ufffd'), { maxLength: MAX_NAME })
}

/**
 * Reads one opened file. It must be a regular file of at most MAX_BUNDLE_BYTES
 * in UTF-8; anything else comes back with an error the Verify screen can show,
 * never a throw. Whether it is a valid bundle is `bundles.verify`'s job.
 */
export async function readOpenedFile(filePath: string): Promise<OpenedFile> {
  const name = displayName(filePath)
  try {
    const handle = await fs.promises.open(filePath, 'r')
    try {
      const stat = await handle.stat()
      if (!stat.isFile()) throw TrustError.invalidInput(`${name} is not a file`)
      if (stat.size > MAX_BUNDLE_BYTES) throw TrustError.tooLarge(name, stat.size, MAX_BUNDLE_BYTES)
      // read at most one byte past the limit: the file may grow after the stat
      const buffer = Buffer.alloc(Math.min(stat.size, MAX_BUNDLE_BYTES) + 1)
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
      if (bytesRead > MAX_BUNDLE_BYTES) throw TrustError.tooLarge(name, bytesRead, MAX_BUNDLE_BYTES)
      let text: string
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer.subarray(0, bytesRead))
      } catch {
        throw TrustError.invalidEncoding(`${name} is not UTF-8 text`)
      }
      return { name, text }
    } finally {
      await handle.close()
    }
  } catch (err) {
    const error =
      err instanceof TrustError
        ? err
        : new TrustError('NOT_FOUND', `${name} could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
    return { name, error: { code: error.code, message: error.message } }
  }
}

/** Where the core takes opened files from (the desktop app's queue; nothing in browser mode). */
export interface OpenedFileSource {
  take(): OpenedFile | null
}

export const noOpenedFiles: OpenedFileSource = { take: () => null }

/** First in, first out; at most MAX_QUEUED_FILES, the oldest dropped beyond that. */
export class OpenedFileQueue implements OpenedFileSource {
  readonly #files: OpenedFile[] = []
  readonly #listeners = new Set<(file: OpenedFile) => void>()

  push(file: OpenedFile): void {
    this.#files.push(file)
    while (this.#files.length > MAX_QUEUED_FILES) this.#files.shift()
    for (const listener of this.#listeners) listener(file)
  }

  take(): OpenedFile | null {
    return this.#files.shift() ?? null
  }

  get size(): number {
    return this.#files.length
  }

  /** Called after each push; returns the unsubscribe function. */
  onPush(listener: (file: OpenedFile) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
