/**
 * Settings, Updates (DESIGN section 12): whether this copy updates itself and,
 * if it does, the automatic-check switch, a check now, the download, and the
 * install, which happens only after the person agrees in a dialog. Where it
 * cannot update itself (the browser, development builds, some installs), it
 * says so and why. Kept fresh by `update` events.
 */
import { Switch } from 'radix-ui'
import { useEffect, useId, useState } from 'react'
import type { ApiError, UpdateStatus } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { DateTime } from '../components/date-time.js'
import { Dialog, DialogClose } from '../components/dialog.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import '../styles/diagnostics.css'

export function UpdatesSettings() {
  const updates = useApp((s) => s.updates)
  const loadUpdates = useApp((s) => s.loadUpdates)
  const setAutoCheck = useApp((s) => s.setAutoCheck)
  const checkForUpdates = useApp((s) => s.checkForUpdates)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState<'switch' | 'check' | null>(null)
  const switchId = useId()
  useEffect(() => {
    void loadUpdates()
  }, [loadUpdates])
  const status = valueOf(updates)

  async function run(kind: 'switch' | 'check', action: () => Promise<{ ok: boolean; error?: ApiError }>): Promise<void> {
    setBusy(kind)
    setFailure(null)
    const result = await action()
    setBusy(null)
    if (!result.ok && result.error) setFailure(result.error)
  }

  if (!status) {
    return (
      <Panel title="Updates">
        {updates.state === 'failed' ? <ErrorNote error={updates.error} /> : <p className="muted">Loading…</p>}
      </Panel>
    )
  }

  if (status.state === 'unavailable') {
    return (
      <Panel title="Updates">
        <p>
          <strong>This copy does not update itself</strong>
          {status.reason ? <>: {status.reason}.</> : '.'}
        </p>
        <p className="muted">
          {status.current ? <>You run version {status.current}. </> : null}
          Update it the way you installed it: a new release of the desktop app, your package manager, or, for the page that{' '}
          <span className="mono">trust serve</span> opens, the Trust Primitive package it runs from.
        </p>
      </Panel>
    )
  }

  return (
    <div className="stack-lg">
      <Panel title="Updates">
        <dl className="facts">
          {status.current ? (
            <>
              <dt>This version</dt>
              <dd className="mono">{status.current}</dd>
            </>
          ) : null}
          <dt>Status</dt>
          <dd role="status">
            <UpdateState status={status} />
          </dd>
          {status.lastCheck ? (
            <>
              <dt>Last check</dt>
              <dd>
                <DateTime iso={status.lastCheck} />
              </dd>
            </>
          ) : null}
        </dl>
        <div className="switch-row">
          <Switch.Root
            id={switchId}
            className="switch"
            checked={status.autoCheck}
            disabled={busy === 'switch'}
            onCheckedChange={(enabled) => void run('switch', () => setAutoCheck(enabled))}
          >
            <Switch.Thumb className="switch__thumb" />
          </Switch.Root>
          <label htmlFor={switchId}>Check for updates automatically</label>
        </div>
        <p className="muted">
          When on, the app looks for a new version when it starts and every 6 hours. A new version downloads and is verified on
          its own, but installs only when you say so.
        </p>
        <ErrorNote error={failure} />
        <div className="form__actions">
          <Button onClick={() => void run('check', checkForUpdates)} busy={busy === 'check' || status.state === 'checking'} disabled={status.state === 'downloading'}>
            Check now
          </Button>
          {status.state === 'ready' ? <InstallDialog version={status.version} /> : null}
        </div>
      </Panel>
    </div>
  )
}

function UpdateState({ status }: { status: UpdateStatus }) {
  switch (status.state) {
    case 'checking':
      return <>Checking for a new version…</>
    case 'downloading':
      return (
        <>
          Downloading version {status.version ?? 'new'}: {Math.round(status.percent ?? 0)}%
          <progress className="update-progress" max={100} value={status.percent ?? 0} aria-label="Download progress" />
        </>
      )
    case 'ready':
      return <>Version {status.version ?? 'new'} is downloaded and verified, ready to install.</>
    case 'error':
      return <>The last check failed: {status.error ?? 'no reason given'}. Try again later.</>
    default:
      return <>Up to date.</>
  }
}

function InstallDialog({ version }: { version: string | undefined }) {
  const installUpdate = useApp((s) => s.installUpdate)
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<ApiError | null>(null)

  async function install(): Promise<void> {
    setBusy(true)
    setFailure(null)
    const result = await installUpdate()
    setBusy(false)
    if (!result.ok) setFailure(result.error) // on success the app quits
  }

  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      trigger={<Button variant="primary">Install and restart…</Button>}
      title={`Install version ${version ?? 'new'} now?`}
      description="Trust Primitive quits, installs the update and starts again. Your key is locked on the way out: unlock it again when the app is back. Nothing you signed is lost."
    >
      <ErrorNote error={failure} />
      <div className="form__actions">
        <Button variant="primary" busy={busy} onClick={() => void install()}>
          Install and restart
        </Button>
        <DialogClose asChild>
          <Button variant="quiet">Not now</Button>
        </DialogClose>
      </div>
    </Dialog>
  )
}
