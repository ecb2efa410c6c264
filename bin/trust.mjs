#!/usr/bin/env node
// The `trust` command. Runs the TypeScript sources through tsx, so `npx trust ...`
// works in a checkout right after `npm install`, with no build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src-main/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
