/**
 * A trust score (DESIGN section 8: 0..1, starting at 0.5) as a labelled meter and
 * a number, with a word, so colour is never the only signal.
 */
export function scoreWord(score: number): 'low' | 'neutral' | 'high' {
  if (score < 0.35) return 'low'
  if (score > 0.65) return 'high'
  return 'neutral'
}

export function TrustScore({ score, name }: { score: number; name: string }) {
  const clamped = Math.min(1, Math.max(0, score))
  const word = scoreWord(clamped)
  return (
    <div className={`score score--${word}`}>
      <div
        className="score__bar"
        role="meter"
        aria-label={`Trust score of ${name}`}
        aria-valuemin={0}
        aria-valuemax={1}
        aria-valuenow={clamped}
        aria-valuetext={`${clamped.toFixed(2)} of 1, ${word}`}
      >
        <span className="score__fill" style={{ width: `${clamped * 100}%` }} />
        <span className="score__start" aria-hidden="true" />
      </div>
      <span className="score__value" aria-hidden="true">
        {clamped.toFixed(2)} <span className="score__word">{word}</span>
      </span>
    </div>
  )
}
