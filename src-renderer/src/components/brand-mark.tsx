/** The app's mark and name: two interlocking links, drawn inline (no image request, nothing for the CSP to allow). */
export function BrandMark({ compact = false }: { compact?: boolean }) {
  return (
    <div className={compact ? 'brand brand--compact' : 'brand'}>
      <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect x="3" y="9" width="16" height="14" rx="7" />
        <rect x="13" y="9" width="16" height="14" rx="7" />
      </svg>
      <span className="brand__name">Trust Primitive</span>
    </div>
  )
}
