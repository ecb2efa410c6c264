/** One measured figure and the goal it is held to, e.g. `{value: 412, unit: 'ms', goal: '< 1000'}`. */
export interface BenchResult {
  name: string
  value: number
  unit: string
  /** A comparison against a number: "< 1000", "<= 3", "> 500", ">= 10". */
  goal: string
}

/** What every bench/<group>.bench.ts exports. */
export interface BenchGroup {
  group: string
  run(): Promise<BenchResult[]>
}
