/**
 * A QR code drawn by React as one SVG path, from the `qrcode` library's module
 * matrix (never hand-rolled, no canvas, nothing for the CSP to allow).
 */
import QRCode from 'qrcode'
import { useMemo } from 'react'

export function QrCode({ text, label, size = 220 }: { text: string; label: string; size?: number }) {
  const { path, count } = useMemo(() => {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
    const n = qr.modules.size
    let d = ''
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (qr.modules.get(y, x)) d += `M${x + 4} ${y + 4}h1v1h-1z`
    return { path: d, count: n + 8 }
  }, [text])
  return (
    <svg className="qr" viewBox={`0 0 ${count} ${count}`} width={size} height={size} role="img" aria-label={label} shapeRendering="crispEdges">
      <rect width={count} height={count} className="qr__light" />
      <path d={path} className="qr__dark" />
    </svg>
  )
}
