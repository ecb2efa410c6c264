/** Small line icons, drawn inline (decorative: always next to a text label). */
import type { ReactNode } from 'react'

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {children}
    </svg>
  )
}

export const HomeIcon = () => (
  <Icon>
    <path d="M3 11.5 12 4l9 7.5M5.5 10v10h13V10" />
  </Icon>
)
export const SettingsIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="3.2" />
    <path d="M12 2.8v2.6M12 18.6v2.6M21.2 12h-2.6M5.4 12H2.8M18.5 5.5l-1.8 1.8M7.3 16.7l-1.8 1.8M18.5 18.5l-1.8-1.8M7.3 7.3 5.5 5.5" />
  </Icon>
)
export const LockIcon = () => (
  <Icon>
    <rect x="5" y="10.5" width="14" height="10" rx="2" />
    <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
  </Icon>
)
export const PeopleIcon = () => (
  <Icon>
    <circle cx="9" cy="8.5" r="3.2" />
    <path d="M3.5 19.5c.6-3.2 2.8-5 5.5-5s4.9 1.8 5.5 5M15.5 5.6a3.2 3.2 0 0 1 0 6M17 14.7c1.9.6 3.1 2.2 3.5 4.8" />
  </Icon>
)
export const DocumentIcon = () => (
  <Icon>
    <path d="M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6" />
  </Icon>
)
export const ChainIcon = () => (
  <Icon>
    <rect x="3" y="8" width="9" height="8" rx="4" />
    <rect x="12" y="8" width="9" height="8" rx="4" />
  </Icon>
)
export const CheckIcon = () => (
  <Icon>
    <path d="m5 12.5 4.5 4.5L19 7.5" />
  </Icon>
)
export const InviteIcon = () => (
  <Icon>
    <path d="M4 6h16v12H4zM4 7l8 6 8-6" />
  </Icon>
)
export const DemoIcon = () => (
  <Icon>
    <circle cx="6" cy="7" r="2.6" />
    <circle cx="18" cy="7" r="2.6" />
    <path d="M3 19c.4-2.6 1.4-4.2 3-4.2s2.6 1.6 3 4.2M15 19c.4-2.6 1.4-4.2 3-4.2s2.6 1.6 3 4.2M9.5 9.5 12 12l2.5-2.5M12 12v4" />
  </Icon>
)
