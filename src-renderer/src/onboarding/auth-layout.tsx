/** The calm, centred frame of the screens before the app opens: welcome, create, restore, unlock. */
import type { ReactNode } from 'react'
import { BrandMark } from '../components/brand-mark.js'
import { SCREEN_TITLE_ID } from '../components/screen.js'

export function AuthLayout({ title, lead, children, footer }: { title: string; lead?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="auth" id="main">
      <div className="auth__card">
        <BrandMark />
        <h1 className="auth__title" id={SCREEN_TITLE_ID} tabIndex={-1}>
          {title}
        </h1>
        {lead ? <p className="auth__lead">{lead}</p> : null}
        {children}
      </div>
      {footer ? <div className="auth__footer">{footer}</div> : null}
    </main>
  )
}
