/** A trust score in a word (DESIGN section 8: 0..1, starting at 0.5), so colour is never the only signal. */
export function scoreWord(score: number): 'low' | 'neutral' | 'high' {
  if (score < 0.35) return 'low'
  if (score > 0.65) return 'high'
  return 'neutral'
}
