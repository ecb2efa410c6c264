/**
 * Entry point of the `trust` command (bin/trust.mjs imports this). Parses the
 * command name, then the command's own flags with node:util parseArgs in strict
 * mode, so an unknown command or flag is exit 2 with a message on stderr.
 */
import { parseArgs } from 'node:util'
import { COMMANDS } from './commands/index.js'
import { EXIT_OK, EXIT_FAILURE, EXIT_USAGE, UsageError, type CliIo, type Command, type ParsedArgs } from './command.js'
import { formatError } from './print-error.js'

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return [
    'Usage: trust <command> [options]',
    '',
    'Trust Primitive: negotiate and sign binding agreements peer to peer.',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `trust <command> --help` for the options of one command.',
    'Exit codes: 0 success, 1 failure (or an invalid bundle), 2 bad usage.',
    '',
  ].join('\n')
}

const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // `trust` alone is a usage error (exit 2) that still shows the help.
    if (name === undefined) {
      io.stderr(topLevelHelp())
      return EXIT_USAGE
    }
    io.stdout(topLevelHelp())
    return EXIT_OK
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    io.stderr(`trust: unknown command ${JSON.stringify(name)}\nRun \`trust --help\` for the list of commands.\n`)
    return EXIT_USAGE
  }

  let args: ParsedArgs
  try {
    args = parseCommandArgs(command, rest)
  } catch (err) {
    io.stderr(`trust ${command.name}: ${usageText(err)}\nRun \`trust ${command.name} --help\` for usage.\n`)
    return EXIT_USAGE
  }
  if (args.values.help === true) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`)
    return EXIT_OK
  }

  try {
    return await command.run(args, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`trust ${command.name}: ${err.message}\nRun \`trust ${command.name} --help\` for usage.\n`)
      return EXIT_USAGE
    }
    io.stderr(formatError(err, io.env))
    return EXIT_FAILURE
  }
}

function parseCommandArgs(command: Command, rest: string[]): ParsedArgs {
  const { values, positionals } = parseArgs({
    args: rest,
    options: { ...command.options, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  })
  const out: ParsedArgs = { values: {}, positionals }
  for (const [key, value] of Object.entries(values) as [string, unknown][]) {
    // A string or a boolean; a string[] for a flag declared `multiple` (e.g. serve --seeder).
    if (typeof value === 'string' || typeof value === 'boolean') out.values[key] = value
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out.values[key] = value as string[]
  }
  if (out.values.help === true) return out
  const [min, max] = command.positionals
  if (positionals.length < min) throw new UsageError(`expected ${min === max ? min : `at least ${min}`} argument(s), got ${positionals.length}`)
  if (positionals.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[max])}`)
  return out
}

/** parseArgs errors carry a readable message (e.g. "Unknown option '--x'"). */
function usageText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
