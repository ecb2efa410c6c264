/**
 * Structured logs: pino JSON lines in `<profile>/logs/trust.log` (DESIGN section 11).
 * Secrets must never reach a log (house rule), so fields whose names look secret are
 * censored by pino's redact paths before a line is written.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pino, type DestinationStream, type Level, type Logger } from 'pino'
import { TrustError } from '../errors.js'

export type { Logger } from 'pino'

/** Field names censored wherever they appear, up to REDACT_DEPTH levels deep. */
export const SECRET_FIELDS = [
  'passphrase',
  'password',
  'secretKey',
  'secret_key',
  'privateKey',
  'private_key',
  'secret',
  'seed',
  'token',
  'key_blob',
  'keyBlob',
  'blob',
] as const

/** pino redact paths are explicit: `*.x` covers one level, so we list each depth. */
export const REDACT_DEPTH = 5

export const REDACTED = '[redacted]'

const LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace']

export interface LoggerOptions {
  /** Profile directory: lines go to `<dir>/logs/trust.log` (created if missing). */
  dir?: string
  /** Default 'info'. */
  level?: Level | 'silent'
  /** Any pino destination instead of the file (tests, stderr). Wins over `dir`. */
  destination?: DestinationStream
}

export function redactPaths(): string[] {
  const paths: string[] = []
  for (const field of SECRET_FIELDS) {
    for (let depth = 0; depth < REDACT_DEPTH; depth++) paths.push(`${'*.'.repeat(depth)}${field}`)
  }
  return paths
}

/** The log file of a profile. */
export function logFilePath(profileDir: string): string {
  return path.join(profileDir, 'logs', 'trust.log')
}

/**
 * Without `dir` or `destination` lines go to stderr, never stdout: stdout carries
 * the CLI's machine-readable output (`trust verify --json`).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info'
  if (level !== 'silent' && !LEVELS.includes(level)) {
    throw TrustError.invalidInput(`log level must be one of ${LEVELS.join(', ')} or silent`)
  }
  let destination: DestinationStream
  if (options.destination) {
    destination = options.destination
  } else if (options.dir !== undefined) {
    const file = logFilePath(options.dir)
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
    destination = logFile(file)
  } else {
    destination = pino.destination({ dest: 2, sync: true })
  }
  const logger = pino(
    {
      level,
      redact: { paths: redactPaths(), censor: REDACTED },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
  if ('close' in destination && typeof destination.close === 'function') closers.set(logger, () => (destination as LogFile).close())
  return logger
}

interface LogFile extends DestinationStream {
  close(): void
}

const closers = new WeakMap<Logger, () => void>()

/**
 * A log file written synchronously (a line is on disk when the call returns, so
 * the lines before a crash survive) that can be closed: a node that closes must
 * give its descriptor back (the live demo opens and closes peers again and again),
 * and a line logged after that, by a late callback, is dropped rather than thrown.
 */
function logFile(file: string): LogFile {
  let fd: number | null = fs.openSync(file, 'a', 0o600)
  return {
    write(line: string) {
      if (fd !== null) fs.writeSync(fd, line)
    },
    close() {
      if (fd === null) return
      fs.closeSync(fd)
      fd = null
    },
  }
}

/** Closes the log file of a logger made with `dir` (and its children's, which share it); later lines are dropped. */
export function closeLogger(logger: Logger): void {
  closers.get(logger)?.()
}

/** Context every line about one negotiation or one peer should carry. */
export interface LogContext {
  negotiation?: string
  peer?: string
}

/** A child logger with negotiation and/or peer bound (absent fields are left out). */
export function childLogger(logger: Logger, context: LogContext): Logger {
  const bindings: Record<string, string> = {}
  if (context.negotiation !== undefined) bindings.negotiation = context.negotiation
  if (context.peer !== undefined) bindings.peer = context.peer
  return logger.child(bindings)
}
