/**
 * Reads a file named on the command line, refusing a huge one before reading it
 * (a bundle is at most MAX_BUNDLE_BYTES, DESIGN section 10) and turning every
 * file-system failure into a TrustError with a clear message.
 */
import { readFileSync, statSync } from 'node:fs'
import { TrustError } from '../core/errors.js'

export function readInputFile(path: string, maxBytes: number): Uint8Array {
  try {
    const stat = statSync(path)
    if (!stat.isFile()) throw TrustError.invalidInput(`${path} is not a regular file`)
    if (stat.size > maxBytes) throw TrustError.tooLarge(path, stat.size, maxBytes)
    const bytes = readFileSync(path)
    // The file may have grown between stat and read.
    if (bytes.length > maxBytes) throw TrustError.tooLarge(path, bytes.length, maxBytes)
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  } catch (err) {
    if (err instanceof TrustError) throw err
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw TrustError.notFound(`the file ${path}`)
    if (code === 'EACCES' || code === 'EPERM') throw TrustError.invalidInput(`${path} cannot be read: permission denied`)
    throw TrustError.invalidInput(`${path} cannot be read (${code ?? 'unknown error'})`)
  }
}
