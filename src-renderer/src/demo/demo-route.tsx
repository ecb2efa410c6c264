/**
 * The demo's entry in the screen table: its code (d3 included) is a chunk of its
 * own, fetched when the view opens, so the app's first load does not pay for it.
 */
import { lazy, Suspense } from 'react'
import { ProgressNote } from '../components/progress-note.js'

const DemoScreen = lazy(() => import('./demo-screen.js').then((m) => ({ default: m.DemoScreen })))

export function DemoRoute() {
  return (
    <Suspense fallback={<ProgressNote label="Opening the demo…" />}>
      <DemoScreen />
    </Suspense>
  )
}
