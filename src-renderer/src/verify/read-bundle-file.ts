/**
 * Reads a picked or dropped agreement file for bundles.report: its size is
 * checked before a byte is read (DESIGN section 10: at most 16 MiB), then it is
 * decoded as strict UTF-8. The structure is the core's to check.
 */
import type { ApiResult } from '../../../src-main/api.js'
import type { BundleInput } from '../state/verify-slice.js'

export const MAX_BUNDLE_BYTES = 16 * 1024 * 1024

/** The part of a DOM File used here. */
export interface FileLike {
  readonly name: string
  readonly size: number
  arrayBuffer(): Promise<ArrayBuffer>
}

export async function readBundleFile(file: FileLike): Promise<ApiResult<BundleInput>> {
  const mib = (file.size / (1024 * 1024)).toFixed(1)
  if (file.size > MAX_BUNDLE_BYTES) {
    return {
      ok: false,
      error: { code: 'TOO_LARGE', message: `TOO_LARGE: this file is ${mib} MiB; an agreement file is at most 16 MiB, so this is not one` },
    }
  }
  if (file.size === 0) return { ok: false, error: { code: 'INVALID_INPUT', message: 'INVALID_INPUT: this file is empty' } }
  let bytes: ArrayBuffer
  try {
    bytes = await file.arrayBuffer()
  } catch {
    return { ok: false, error: { code: 'NOT_FOUND', message: 'NOT_FOUND: the file could not be read; it may have been moved or deleted' } }
  }
  try {
    return { ok: true, value: { name: file.name, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) } }
  } catch {
    return { ok: false, error: { code: 'INVALID_ENCODING', message: 'INVALID_ENCODING: this file is not UTF-8 text, so it is not an agreement file' } }
  }
}
