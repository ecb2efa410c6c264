/**
 * The benchmark harness: `npm run bench` runs every group (bench/<group>.bench.ts),
 * `npm run bench -- receipts` runs the named ones. Prints one line per result with
 * PASS/FAIL against its goal, merges the results by name into bench/results.json
 * (so running one group keeps the others' latest figures), and exits 1 if any goal
 * was missed, naming them.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchGroup, BenchResult } from './types.js'
import { meetsGoal } from './goal.js'

const here = dirname(fileURLToPath(import.meta.url))
const resultsPath = join(here, 'results.json')

async function loadGroups(): Promise<BenchGroup[]> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
  const groups: BenchGroup[] = []
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as Partial<BenchGroup>
    if (typeof mod.group !== 'string' || typeof mod.run !== 'function') {
      throw new Error(`${file} must export {group: string, run(): Promise<BenchResult[]>}`)
    }
    groups.push({ group: mod.group, run: mod.run })
  }
  return groups
}

function readPrevious(): BenchResult[] {
  if (!existsSync(resultsPath)) return []
  try {
    const parsed = JSON.parse(readFileSync(resultsPath, 'utf8')) as { results?: unknown }
    return Array.isArray(parsed.results) ? (parsed.results as BenchResult[]) : []
  } catch {
    console.warn(`warning: ${resultsPath} is not valid JSON; starting it afresh`)
    return []
  }
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2)
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter((a) => a !== '--')
  const all = await loadGroups()
  const unknown = wanted.filter((w) => !all.some((g) => g.group === w))
  if (unknown.length > 0) {
    console.error(`unknown bench group(s): ${unknown.join(', ')}; known: ${all.map((g) => g.group).join(', ')}`)
    return 1
  }
  const groups = wanted.length === 0 ? all : all.filter((g) => wanted.includes(g.group))

  const fresh: BenchResult[] = []
  const missed: string[] = []
  for (const g of groups) {
    console.log(`# ${g.group}`)
    for (const r of await g.run()) {
      const ok = meetsGoal(r.value, r.goal)
      if (!ok) missed.push(r.name)
      fresh.push(r)
      console.log(`${ok ? 'PASS' : 'FAIL'}  ${r.name} = ${format(r.value)} ${r.unit}  (goal ${r.goal})`)
    }
  }

  const merged = new Map(readPrevious().map((r) => [r.name, r]))
  for (const r of fresh) merged.set(r.name, r)
  const out = {
    results: [...merged.values()].sort((a, b) => a.name.localeCompare(b.name)),
    updated: new Date().toISOString(),
    node: process.version,
  }
  writeFileSync(resultsPath, JSON.stringify(out, null, 2) + '\n')
  console.log(`wrote ${resultsPath}`)

  if (missed.length > 0) {
    console.error(`goal missed: ${missed.join(', ')}`)
    return 1
  }
  console.log(`${fresh.length} result(s), every goal met`)
  return 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  },
)
