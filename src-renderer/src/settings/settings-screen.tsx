/** Settings, one Radix tab per concern. New concerns are new tabs. */
import { Tabs } from 'radix-ui'
import { Screen } from '../components/screen.js'
import { DiagnosticsSettings } from './diagnostics-settings.js'
import { NetworkSettings } from './network-settings.js'
import { SecuritySettings } from './security-settings.js'
import { SeedersSettings } from './seeders-settings.js'
import { UpdatesSettings } from './updates-settings.js'

export function SettingsScreen() {
  return (
    <Screen title="Settings">
      <Tabs.Root className="tabs" defaultValue="security">
        <Tabs.List className="tabs__list" aria-label="Settings sections">
          <Tabs.Trigger className="tabs__tab" value="security">
            Security
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs__tab" value="network">
            Network
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs__tab" value="seeders">
            Seeders
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs__tab" value="diagnostics">
            Diagnostics
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs__tab" value="updates">
            Updates
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content className="tabs__panel" value="security">
          <SecuritySettings />
        </Tabs.Content>
        <Tabs.Content className="tabs__panel" value="network">
          <NetworkSettings />
        </Tabs.Content>
        <Tabs.Content className="tabs__panel" value="seeders">
          <SeedersSettings />
        </Tabs.Content>
        <Tabs.Content className="tabs__panel" value="diagnostics">
          <DiagnosticsSettings />
        </Tabs.Content>
        <Tabs.Content className="tabs__panel" value="updates">
          <UpdatesSettings />
        </Tabs.Content>
      </Tabs.Root>
    </Screen>
  )
}
