/**
 * Serves the browser UI's files from one directory (DESIGN section 11: the browser
 * UI is served from the API's port). Only files under the root are reachable: no
 * `..`, no dot-files, no symlinks pointing out, no encoded tricks.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { TrustError } from '../core/errors.js'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** Resolves the root once, at start: it must be an existing directory. */
export function resolveStaticRoot(dir: string): string {
  try {
    const real = fs.realpathSync(dir)
    if (!fs.statSync(real).isDirectory()) throw new Error('not a directory')
    return real
  } catch {
    throw TrustError.invalidInput(`staticDir ${dir} is not a readable directory`)
  }
}

/**
 * Maps a URL pathname to a file under root, or null when it must not be served.
 * `realRoot` must come from resolveStaticRoot.
 */
export function resolveStaticFile(realRoot: string, pathname: string): string | null {
  const segments: string[] = []
  for (const raw of pathname.split('/')) {
    if (raw === '') continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return null
    }
    // Decoded separators, NUL, parent references and dot-files are all refused.
    if (segment.startsWith('.') || /[/\\\0]/.test(segment) || segment.includes(':')) return null
    segments.push(segment)
  }
  let candidate = path.join(realRoot, ...segments)
  let real: string
  try {
    real = fs.realpathSync(candidate)
    if (fs.statSync(real).isDirectory()) {
      candidate = path.join(real, 'index.html')
      real = fs.realpathSync(candidate)
    }
    if (!fs.statSync(real).isFile()) return null
  } catch {
    return null
  }
  // Symlinks inside the root may not lead outside it.
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null
  return real
}

/** Streams a resolved file. Headers common to every response are set by the caller. */
export function sendStaticFile(req: IncomingMessage, res: ServerResponse, file: string): void {
  let size: number
  try {
    size = fs.statSync(file).size
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n')
    return
  }
  res.writeHead(200, {
    'Content-Type': contentTypeFor(file),
    'Content-Length': String(size),
    'Cache-Control': 'no-cache',
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  const stream = fs.createReadStream(file)
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}
