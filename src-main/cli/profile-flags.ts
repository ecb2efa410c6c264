/**
 * Flags shared by the commands that run a peer on a profile (`serve`, `export`,
 * `certificate NEGOTIATION`): where the profile is and which network to use.
 */
import os from 'node:os'
import path from 'node:path'
import { UsageError } from './command.js'

/** `--profile`, else $TRUST_PROFILE, else ~/.trust-primitive/default. */
export function profileDirFrom(flag: unknown, env: Readonly<Record<string, string | undefined>>): string {
  if (typeof flag === 'string') {
    if (flag.trim() === '') throw new UsageError('--profile must be a directory path')
    return path.resolve(flag)
  }
  const fromEnv = env.TRUST_PROFILE
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(fromEnv)
  return path.join(os.homedir(), '.trust-primitive', 'default')
}

/**
 * `--network`, default `local`: an embedded DHT on 127.0.0.1. The public DHT is
 * opt-in (`--network public`), so nothing reaches the internet unless asked.
 */
export function networkFrom(flag: unknown): string {
  return typeof flag === 'string' ? flag : 'local'
}

export function portFrom(flag: unknown, fallback: number): number {
  if (flag === undefined) return fallback
  if (typeof flag !== 'string' || !/^\d{1,5}$/.test(flag) || Number(flag) > 65_535) {
    throw new UsageError(`--port must be an integer from 0 to 65535; got ${JSON.stringify(flag)}`)
  }
  return Number(flag)
}

/** Resolves on the first SIGINT or SIGTERM; the handlers are removed afterwards. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.removeListener('SIGINT', on)
      process.removeListener('SIGTERM', on)
      resolve(signal)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}
