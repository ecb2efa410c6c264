/**
 * The page's entry: pick the client (IPC in the app, WebSocket in a browser),
 * make the store, start the event feed and the hash router, render.
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.js'
import { connectClient } from './client/connect-client.js'
import { bindHashRouter } from './routing/hash-router.js'
import { reportActivity } from './shell/activity.js'
import { NoLinkScreen } from './shell/startup-screens.js'
import { connectEventFeed } from './state/event-feed.js'
import { createAppStore } from './state/store.js'
import { StoreProvider } from './state/store-context.js'
import './styles/tokens.css'
import './styles/base.css'
import './styles/components.css'
import './styles/layout.css'

const rootElement = document.getElementById('root')
if (!rootElement) throw new Error('index.html has no #root element')
const root = createRoot(rootElement)

const client = connectClient(window)
if (client === null) {
  root.render(
    <StrictMode>
      <NoLinkScreen />
    </StrictMode>,
  )
} else {
  const store = createAppStore(client)
  connectEventFeed(client, store)
  bindHashRouter(window, store)
  reportActivity(window, store)
  root.render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  )
}
