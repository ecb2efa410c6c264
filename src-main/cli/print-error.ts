/**
 * How the CLI reports a failure: `error: CODE: text` on one line. Stacks are for
 * developers and may reveal paths, so only with TRUST_DEBUG=1.
 */
import { TrustError } from '../core/errors.js'

export function formatError(err: unknown, env: Readonly<Record<string, string | undefined>>): string {
  const trust = TrustError.from(err)
  let text = `error: ${trust.message}\n`
  if (env.TRUST_DEBUG === '1' && err instanceof Error && err.stack) text += `${err.stack}\n`
  return text
}
