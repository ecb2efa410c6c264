/**
 * A small state file the core keeps beside its database (the sync cursors, the
 * seeder's key): strict JSON of a known shape. Anything else is DB_CORRUPT,
 * never a half-read value: the caller decides what a missing file means.
 */
import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import { TrustError } from '../errors.js'
import { parseJson } from '../protocol/json.js'

export function readStateFile<S extends z.ZodType>(path: string, schema: S, what: string): z.infer<S> {
  let parsed: unknown
  try {
    parsed = parseJson(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new TrustError('DB_CORRUPT', `${path} is not valid JSON: ${TrustError.from(err).message}`)
  }
  const result = schema.safeParse(parsed)
  if (!result.success) {
    throw new TrustError('DB_CORRUPT', `${path} is not ${what}`, { issue: result.error.issues[0]?.path.join('.') ?? '' })
  }
  return result.data
}
