/**
 * Settings, Seeders (DESIGN section 5): whether everything you signed has
 * reached a seeder (so counterparties can fetch it while you are offline), the
 * seeders in use with their state, adding one by its key and removing one from
 * the profile's list. A seeder's refusal reason is its own words: shown as text.
 */
import { useEffect, useState, type FormEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ApiError, SeederInfo } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { DateTime } from '../components/date-time.js'
import { EmptyState } from '../components/empty-state.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint, fingerprintOf } from '../components/fingerprint.js'
import { Panel } from '../components/panel.js'
import { TextField } from '../components/text-field.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import '../styles/share.css'
import '../styles/diagnostics.css'

const KEY = /^[0-9a-f]{64}$/

export function SeedersSettings() {
  const seeders = useApp((s) => s.seeders)
  const seeding = useApp((s) => s.seeding)
  const loadSeeders = useApp((s) => s.loadSeeders)
  const loadNegotiationList = useApp((s) => s.loadNegotiationList)
  const titles = useApp(
    useShallow((s) => Object.fromEntries((valueOf(s.negotiationList) ?? []).map((n) => [n.negotiation, n.title] as const))),
  )
  useEffect(() => {
    void loadSeeders()
    void loadNegotiationList()
  }, [loadSeeders, loadNegotiationList])
  const list = valueOf(seeders)
  const status = valueOf(seeding)
  const title = (id: string) => titles[id] ?? `${id.slice(0, 12)}…`

  return (
    <div className="stack-lg">
      <Panel
        title="Is what you signed safe while you are away?"
        actions={
          <Button variant="quiet" onClick={() => void loadSeeders()} busy={seeding.state === 'loading'}>
            Check again
          </Button>
        }
      >
        {seeding.state === 'failed' ? <ErrorNote error={seeding.error} /> : null}
        {status ? (
          status.allSeeded && status.negotiations.length === 0 ? (
            <p className="seeding" role="status">
              You have not signed anything yet. Once you do, your seeders keep it for your counterparties while you are offline.
            </p>
          ) : status.allSeeded ? (
            <p className="seeding seeding--ok" role="status">
              Everything you signed has reached a seeder: counterparties can fetch it while you are offline.
            </p>
          ) : (
            <div className="seeding seeding--pending" role="status">
              <p>
                {status.pending > 0 ? (
                  <>
                    <strong>
                      {status.pending} {status.pending === 1 ? 'message' : 'messages'} you signed {status.pending === 1 ? 'has' : 'have'}{' '}
                      not reached a seeder yet.
                    </strong>{' '}
                    Stay online until {status.pending === 1 ? 'it has' : 'they have'}, or until your counterparties have {status.pending === 1 ? 'it' : 'them'}.
                  </>
                ) : (
                  <strong>Some negotiations have no seeder.</strong>
                )}
              </p>
              {status.unseeded.length > 0 ? (
                <>
                  <p>No seeder keeps these, so counterparties get your messages only while you are online:</p>
                  <ul className="seeding__list">
                    {status.unseeded.map((id) => (
                      <li key={id} className="inert-name">
                        {title(id)}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </div>
          )
        ) : seeding.state === 'loading' ? (
          <p className="muted">Loading…</p>
        ) : null}
        {status && status.negotiations.length > 0 ? (
          <table className="data-table">
            <caption className="visually-hidden">Your messages on seeders, by negotiation</caption>
            <thead>
              <tr>
                <th scope="col">Negotiation</th>
                <th scope="col">You signed</th>
                <th scope="col">On a seeder</th>
                <th scope="col">Seeders</th>
              </tr>
            </thead>
            <tbody>
              {status.negotiations.map((n) => (
                <tr key={n.negotiation}>
                  <td className="inert-name">{title(n.negotiation)}</td>
                  <td className="num">{n.signed}</td>
                  <td className={n.seeded < n.signed ? 'num num--down' : 'num'}>{n.seeded}</td>
                  <td className="num">{n.seeders.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <p className="muted">Checked again when a seeder connects or refuses, and when you or a counterparty send a message.</p>
      </Panel>

      <Panel title={list && list.length > 0 ? `Seeders (${list.length})` : 'Seeders'}>
        {seeders.state === 'failed' ? <ErrorNote error={seeders.error} /> : null}
        {list && list.length === 0 ? (
          <EmptyState title="No seeders yet">
            <p>
              A seeder is an always-on computer that keeps an encrypted copy of your negotiations, so a counterparty can catch up
              while you are offline. It can never read or change them. Anyone can run one with{' '}
              <span className="mono">trust seeder</span>; add its key below.
            </p>
          </EmptyState>
        ) : null}
        {list && list.length > 0 ? (
          <ul className="seeder-list" aria-label="Seeders">
            {list.map((s) => (
              <SeederRow key={s.publicKey} seeder={s} />
            ))}
          </ul>
        ) : null}
        <AddSeederForm />
      </Panel>
    </div>
  )
}

function SeederRow({ seeder }: { seeder: SeederInfo }) {
  const removeSeeder = useApp((s) => s.removeSeeder)
  const notify = useApp((s) => s.notify)
  const [busy, setBusy] = useState(false)
  const fingerprint = fingerprintOf(seeder.publicKey)

  async function remove(): Promise<void> {
    setBusy(true)
    const result = await removeSeeder(seeder.publicKey)
    setBusy(false)
    if (result.ok) notify({ tone: 'success', title: `Seeder ${fingerprint} removed from your list` })
    else notify({ tone: 'error', title: 'The seeder was not removed', body: result.error.message })
  }

  return (
    <li className="seeder">
      <div className="seeder__who">
        <Fingerprint value={fingerprint} />
        <span className={seeder.connected ? 'pill pill--ok' : 'pill'}>{seeder.connected ? 'connected' : 'not connected'}</span>
        <span className="mono wrap seeder__key">{seeder.publicKey}</span>
        <span className="muted">
          {seeder.sources.includes('profile') ? (
            <>
              Added by you{seeder.added ? <>, <DateTime iso={seeder.added} /></> : null}
            </>
          ) : null}
          {seeder.sources.includes('profile') && seeder.sources.includes('invite') ? '; also ' : null}
          {seeder.sources.includes('invite') ? (seeder.sources.includes('profile') ? 'named by an invite' : 'Named by an invite you joined') : null}
          . Keeps {seeder.negotiations.length} {seeder.negotiations.length === 1 ? 'negotiation' : 'negotiations'}.
        </span>
        {seeder.refusal ? (
          <span className="seeder__refusal">
            Refused a request: <span className="mono">{seeder.refusal.code}</span>{' '}
            <span className="inert-name">{seeder.refusal.reason}</span>
          </span>
        ) : null}
      </div>
      {seeder.sources.includes('profile') ? (
        <Button variant="quiet" busy={busy} onClick={() => void remove()}>
          Remove<span className="visually-hidden"> seeder {fingerprint}</span>
        </Button>
      ) : null}
    </li>
  )
}

function AddSeederForm() {
  const addSeeder = useApp((s) => s.addSeeder)
  const notify = useApp((s) => s.notify)
  const [key, setKey] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (busy) return
    // `trust seeder` prints `seeder <key>`: the whole line pasted is fine.
    const text = key.trim().replace(/^seeder\s+/, '').toLowerCase()
    setFailure(null)
    if (!KEY.test(text)) {
      setProblem('A seeder key is 64 characters, 0–9 and a–f: the key `trust seeder` prints when it starts.')
      return
    }
    setProblem(null)
    setBusy(true)
    const result = await addSeeder(text)
    setBusy(false)
    if (result.ok) {
      setKey('')
      notify({ tone: 'success', title: `Seeder ${fingerprintOf(text)} added`, body: 'Every negotiation you are in now uses it.' })
    } else {
      setFailure(result.error)
    }
  }

  return (
    <form className="form seeder-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      <TextField
        label="Add a seeder by its key"
        hint="Paste the key its operator gives you (the line trust seeder prints). At most 8."
        value={key}
        onChange={(e) => setKey(e.target.value)}
        error={problem}
        spellCheck={false}
        autoComplete="off"
        readOnly={busy}
      />
      <ErrorNote error={failure} />
      <div className="form__actions">
        <Button type="submit" busy={busy}>
          Add seeder
        </Button>
      </div>
    </form>
  )
}
