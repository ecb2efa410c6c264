/** Goals are written as a comparison against a number, so results.json stays readable. */
const GOAL_RE = /^\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/

export function meetsGoal(value: number, goal: string): boolean {
  const m = GOAL_RE.exec(goal)
  if (m === null) throw new Error(`goal ${JSON.stringify(goal)} is not of the form "< N", "<= N", "> N" or ">= N"`)
  const limit = Number(m[2])
  switch (m[1]) {
    case '<':
      return value < limit
    case '<=':
      return value <= limit
    case '>':
      return value > limit
    default:
      return value >= limit
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing')
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
