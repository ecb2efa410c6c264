/**
 * The first screen after unlocking: who you are here (name and fingerprint, what
 * counterparties compare), keeping a backup, and where to go next.
 */
import { Button } from '../components/button.js'
import { EmptyState } from '../components/empty-state.js'
import { Fingerprint } from '../components/fingerprint.js'
import { Panel } from '../components/panel.js'
import { Screen } from '../components/screen.js'
import { RouteLink } from '../routing/link.js'
import { useExportBackup } from '../settings/use-export-backup.js'
import { hasScreen } from '../shell/screens.js'
import { useApp } from '../state/store-context.js'

export function HomeScreen() {
  const identity = useApp((s) => (s.identity.state === 'ready' ? s.identity.value : null))
  const { exporting, exportBackup } = useExportBackup()
  if (!identity) return null
  return (
    <Screen title="Overview" lead="Your identity on this device, and what to do next.">
      <div className="grid">
        <Panel title="Your identity">
          <dl className="facts">
            <dt>Name</dt>
            <dd className="inert-name">{identity.name}</dd>
            <dt>Fingerprint</dt>
            <dd>{identity.fingerprint ? <Fingerprint value={identity.fingerprint} large /> : null}</dd>
            <dt>Public key</dt>
            <dd className="mono wrap">{identity.publicKey}</dd>
          </dl>
          <p className="muted">
            Before trusting your card, a counterparty should read this fingerprint back to you on a call or in person.
          </p>
        </Panel>
        <Panel title="Keep a backup">
          <p>
            If this device is lost, a backup file and your passphrase are the only way back to your identity and the agreements
            signed with it. Store the file away from this device.
          </p>
          <Button onClick={() => void exportBackup()} busy={exporting}>
            Export backup file
          </Button>
        </Panel>
      </div>
      <EmptyState
        title="Next steps"
        actions={
          <>
            {hasScreen('contacts') ? (
              <RouteLink to={{ view: 'contacts' }} className="button button--primary">
                Add a contact
              </RouteLink>
            ) : null}
            {hasScreen('join') ? (
              <RouteLink to={{ view: 'join' }} className="button button--secondary">
                Join by invite
              </RouteLink>
            ) : null}
          </>
        }
      >
        <p>
          To negotiate, first exchange contact cards with the other parties and compare fingerprints. Then start a negotiation
          with them, or open the invite link someone sent you.
        </p>
      </EmptyState>
    </Screen>
  )
}
