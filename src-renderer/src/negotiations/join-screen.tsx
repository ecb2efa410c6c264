/**
 * Join a negotiation from its invite: pasted, or from a `trust:join/...` link
 * (route `{view: 'join', invite}`). Joining signs a JOIN, so it waits for a
 * click even when a link filled the invite in. While the peer looks for the
 * creator's copy of the negotiation the screen says so; a failure says what
 * happened and what to try.
 */
import { useEffect, useState, type FormEvent } from 'react'
import type { ApiError } from '../../../src-main/api.js'
import { Button } from '../components/button.js'
import { detailOf } from '../components/error-text.js'
import { ErrorNote } from '../components/error-note.js'
import { Panel } from '../components/panel.js'
import { ProgressNote } from '../components/progress-note.js'
import { Screen } from '../components/screen.js'
import { RouteLink } from '../routing/link.js'
import { normalizeLink, type Route } from '../routing/routes.js'
import { useApp } from '../state/store-context.js'
import { TextArea } from './text-area.js'
import './negotiations.css'

type JoinRoute = Extract<Route, { view: 'join' }>

/** What a failed join means, in words (DESIGN section 5: BAD_INVITE, NOT_PARTICIPANT, NETWORK). */
export function joinFailure(error: ApiError): { title: string; hint: string } {
  if (error.code === 'BAD_INVITE') return { title: 'That invite is not valid.', hint: 'Ask for the invite again and paste all of it, from trust:join/ to the end.' }
  // ApiError carries the code and message only; the peer's refusal names the reason in its message.
  if (error.code === 'ILLEGAL_ACTION' && /NOT_PARTICIPANT|does not name/.test(error.message)) {
    return {
      title: 'This negotiation does not name you.',
      hint: 'Only the parties its creator named can join. Check that the creator picked your contact card (compare fingerprints), or ask them to start a new negotiation with you.',
    }
  }
  if (error.code === 'NETWORK') {
    return {
      title: 'The negotiation was not found on the network yet.',
      hint: 'Either the creator’s device is offline, or the negotiation does not name you: a creator’s device only talks to the parties it names. If you are named, your join goes on in the background and the negotiation appears in your list once the creator is reachable; otherwise ask the creator which contact card they picked (compare fingerprints).',
    }
  }
  return { title: 'Could not join.', hint: detailOf(error) }
}

export function JoinScreen({ route }: { route: JoinRoute }) {
  const join = useApp((s) => s.joinNegotiation)
  const navigate = useApp((s) => s.navigate)
  const [text, setText] = useState(route.invite ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    if (route.invite) setText(route.invite)
  }, [route.invite])

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault()
    setError(null)
    const link = normalizeLink(text)
    if (link === null || link.kind !== 'join') {
      setProblem('Paste the whole invite: it starts with trust:join/ followed by letters, digits, - and _.')
      return
    }
    setProblem(null)
    setBusy(true)
    const result = await join(link.link)
    setBusy(false)
    if (result.ok) navigate({ view: 'negotiation', id: result.value.negotiation })
    else setError(result.error)
  }

  return (
    <Screen title="Join by invite" lead="Someone started a negotiation that names you and sent you its invite.">
      <Panel title="Invite">
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <TextArea
            label="Invite link"
            value={text}
            rows={4}
            spellCheck={false}
            autoCapitalize="off"
            onChange={(e) => setText(e.target.value)}
            error={problem ?? undefined}
            hint={route.invite ? 'Filled in from the link you opened. Joining signs a JOIN message with your key.' : 'Paste the trust:join/… link you were sent. Joining signs a JOIN message with your key.'}
            disabled={busy}
          />
          {busy ? (
            <ProgressNote
              label="Looking for the negotiation…"
              detail="Your peer is finding the creator on the network and fetching the negotiation’s first signed message. This takes a few seconds when they are online."
            />
          ) : null}
          {error ? <ErrorNote text={joinFailure(error)} /> : null}
          <div className="form__actions">
            <Button type="submit" variant="primary" busy={busy}>
              Join negotiation
            </Button>
            <RouteLink to={{ view: 'negotiations' }} className="button button--secondary">
              Cancel
            </RouteLink>
          </div>
        </form>
      </Panel>
    </Screen>
  )
}
