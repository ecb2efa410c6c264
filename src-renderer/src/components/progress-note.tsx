/** Work in progress with no known end (scrypt, a join): an animated bar and a sentence, announced politely. */
export function ProgressNote({ label, detail }: { label: string; detail?: string }) {
  return (
    <div className="progress-note" role="status" aria-live="polite">
      <div className="progress-note__bar" role="progressbar" aria-label={label} aria-busy="true">
        <span className="progress-note__fill" />
      </div>
      <p className="progress-note__label">{label}</p>
      {detail ? <p className="progress-note__detail">{detail}</p> : null}
    </div>
  )
}
