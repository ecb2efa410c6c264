/**
 * The shape of one `trust` subcommand. Each lives in its own file under
 * commands/ and is listed once in commands/index.ts; main.ts does the rest
 * (argument parsing, --help, exit codes, error printing).
 */
import type { ParseArgsConfig } from 'node:util'

/** Exit codes: 0 success, 1 the command ran and the answer is "no" or it failed, 2 bad usage. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  /** Environment, read once by main (TRUST_DEBUG). */
  readonly env: Readonly<Record<string, string | undefined>>
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>

export interface ParsedArgs {
  /** A flag declared `multiple: true` gives a string[]. */
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

export interface Command {
  readonly name: string
  /** One line for `trust --help`. */
  readonly summary: string
  /** Full text for `trust <name> --help`, usage line first. */
  readonly help: string
  /** parseArgs options (strict: unknown flags are a usage error). `help` is added by main. */
  readonly options: OptionSpec
  /** Positional argument count accepted: [min, max]. */
  readonly positionals: readonly [number, number]
  run(args: ParsedArgs, io: CliIo): Promise<number>
}

/** A usage mistake found by a command after parsing (exit 2, message on stderr). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
