/**
 * Data fetched from the core, as the store holds it. A refresh of data already
 * shown keeps showing it (no flash of a spinner); a failed refresh keeps the last
 * value next to the error, so a screen can show both.
 */
import type { ApiError, ApiResult } from '../../../src-main/api.js'

export type Remote<T> =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'failed'; error: ApiError; last?: T }

export const IDLE: Remote<never> = { state: 'idle' }

/** The value to show, if any (the current one, or the last before a failure). */
export function valueOf<T>(remote: Remote<T>): T | undefined {
  if (remote.state === 'ready') return remote.value
  if (remote.state === 'failed') return remote.last
  return undefined
}

/** True once something asked for it: the event feed keeps such data fresh. */
export function isWanted(remote: Remote<unknown>): boolean {
  return remote.state !== 'idle'
}

/** The state while (re)loading: `loading` only when there is nothing to show yet. */
export function loadingFrom<T>(remote: Remote<T>): Remote<T> {
  return valueOf(remote) === undefined ? { state: 'loading' } : remote
}

/** The state after an answer. */
export function settled<T>(previous: Remote<T>, result: ApiResult<T>): Remote<T> {
  if (result.ok) return { state: 'ready', value: result.value }
  const last = valueOf(previous)
  return last === undefined ? { state: 'failed', error: result.error } : { state: 'failed', error: result.error, last }
}
