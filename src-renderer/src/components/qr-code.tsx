/**
 * A QR code of some text (a contact card, an invite), drawn as one SVG path from
 * the `qrcode` library's module matrix: no canvas, no image URL, nothing for the
 * CSP to allow. Always dark on light with a quiet zone, in both themes, so
 * phone cameras read it.
 */
import { create } from 'qrcode'
import { useMemo } from 'react'
import '../styles/share.css'

/** The quiet zone the QR specification asks for, in modules. */
const QUIET = 4

export function QrCode({ text, label }: { text: string; label: string }) {
  const drawn = useMemo(() => {
    try {
      const { modules } = create(text, { errorCorrectionLevel: 'M' })
      let path = ''
      for (let row = 0; row < modules.size; row++) {
        for (let col = 0; col < modules.size; col++) {
          if (modules.get(row, col)) path += `M${col + QUIET} ${row + QUIET}h1v1h-1z`
        }
      }
      return { size: modules.size + 2 * QUIET, path }
    } catch {
      return null // too long for a QR code: the text next to it still works
    }
  }, [text])
  if (drawn === null) return <p className="muted">This is too long for a QR code; copy the text instead.</p>
  return (
    <svg className="qr-code" role="img" aria-label={label} viewBox={`0 0 ${drawn.size} ${drawn.size}`} shapeRendering="crispEdges">
      <rect className="qr-code__light" width={drawn.size} height={drawn.size} />
      <path className="qr-code__dark" d={drawn.path} />
    </svg>
  )
}
