/**
 * The offline report of one agreement file (DESIGN section 10): the verdict (and
 * the first failure with the envelope at fault), what was agreed, who signed,
 * the binding hash, messages the rules rejected and evidence of equivocation.
 * Everything from the file is shown as text: the title, the clauses and the
 * names are whatever someone typed, and the names are not even signed.
 */
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { BundleReport, PublicKeyHex } from '../../../src-main/api.js'
import { CopyButton } from '../components/copy-button.js'
import { DateTime } from '../components/date-time.js'
import { detailOf } from '../components/error-text.js'
import { Fingerprint, fingerprintOf } from '../components/fingerprint.js'
import { Panel } from '../components/panel.js'
import { valueOf } from '../state/remote.js'
import { useApp } from '../state/store-context.js'
import { REJECT_REASON_TEXT, STATUS_TEXT } from './verify-text.js'

const BOUND: ReadonlySet<string> = new Set(['BINDING', 'DISPUTED', 'RESOLVED'])
const VERDICT_TITLE = {
  valid: 'Valid agreement file',
  open: 'Valid file, but no binding agreement',
  invalid: 'Not a valid agreement file',
} as const

export function BundleReportView({ name, report }: { name: string; report: BundleReport }) {
  const loadContacts = useApp((s) => s.loadContacts)
  const contacts = useApp(useShallow((s) => Object.fromEntries((valueOf(s.contacts) ?? []).map((c) => [c.publicKey, c.name] as const))))
  useEffect(() => {
    void loadContacts()
  }, [loadContacts])
  const who = (key: PublicKeyHex) => <Party publicKey={key} label={report.names[key]} contact={contacts[key]} />
  const rejectedHashes = new Set(report.rejected.map((r) => r.hash))
  const recomputed = report.title !== null
  // A genuine file is not always an agreement: the negotiation may never have bound.
  const bound = report.status !== null && BOUND.has(report.status)
  const verdict = !report.valid ? 'invalid' : bound ? 'valid' : 'open'

  return (
    <section className="verify-result stack-lg" aria-label="Result">
      <div className={`verdict verdict--${verdict}`} role="status">
        <p className="verdict__title">{VERDICT_TITLE[verdict]}</p>
        <p className="verdict__file">
          File: <span className="inert-name">{name}</span>
        </p>
        {verdict === 'valid' ? (
          <p>
            Every message is correctly signed by its author, and recomputing them gives what the file claims:{' '}
            <strong>{STATUS_TEXT[report.status!]}</strong>, as of <DateTime iso={report.at} />.
          </p>
        ) : verdict === 'open' ? (
          <p>
            Every message is genuine and the file’s claims hold, but these terms never became binding: the negotiation is{' '}
            <strong>{report.status ? STATUS_TEXT[report.status] : 'unknown'}</strong>, as of <DateTime iso={report.at} />.
          </p>
        ) : report.error ? (
          <>
            <p>
              The first problem found{report.error.index !== undefined ? <> is in message {report.error.index} of the file (counting from 0)</> : null}:
            </p>
            <p className="verdict__problem">{detailOf(report.error)}</p>
            <p className="muted">
              Error code <span className="mono">{report.error.code}</span>. A file that was changed after signing, or is missing
              messages, fails here. Ask a party to the agreement for their copy.
            </p>
          </>
        ) : null}
      </div>

      {report.bindingHash ? (
        <Panel title="Binding hash">
          <p>The fingerprint of what was signed. Every party’s copy of this agreement shows the same one.</p>
          <p className="binding-hash mono wrap">{report.bindingHash}</p>
          <CopyButton text={report.bindingHash} label="Copy binding hash" />
        </Panel>
      ) : null}

      {recomputed ? (
        <Panel title={bound ? 'What was agreed' : 'The terms as they stand'}>
          <dl className="facts">
            <dt>Title</dt>
            <dd className="inert-name verify-title">{report.title}</dd>
            <dt>Outcome</dt>
            <dd>{report.status ? <span className="pill">{report.status}</span> : 'unknown'}</dd>
            {report.requiredConsensus !== null ? (
              <>
                <dt>Needed to bind</dt>
                <dd>
                  {report.requiredConsensus} of {report.participants.length} participants
                </dd>
              </>
            ) : null}
            {report.deadline ? (
              <>
                <dt>Deadline</dt>
                <dd>
                  <DateTime iso={report.deadline} />
                </dd>
              </>
            ) : null}
            {report.termsHash ? (
              <>
                <dt>Terms hash</dt>
                <dd className="mono wrap">{report.termsHash}</dd>
              </>
            ) : null}
            {report.negotiation ? (
              <>
                <dt>Negotiation</dt>
                <dd className="mono wrap">{report.negotiation}</dd>
              </>
            ) : null}
          </dl>
          {report.clauses.length > 0 ? (
            <ol className="verify-clauses">
              {report.clauses.map((c) => (
                <li key={c.id} className="verify-clause">
                  <h3 className="verify-clause__title inert-name">{c.title}</h3>
                  <p className="verify-clause__text inert-name">{c.text}</p>
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">No clauses.</p>
          )}
        </Panel>
      ) : null}

      {recomputed ? (
        <Panel title="Parties">
          <p className="muted">
            Names come from the file and are not signed: anyone could have written them. The fingerprints are what the signatures
            prove; a key that is one of your contacts says so.
          </p>
          <ul className="verify-parties">
            {report.participants.map((key) => (
              <li key={key} className="verify-party">
                {who(key)}
                {report.signers.includes(key) ? (
                  <span className="pill pill--ok">signed</span>
                ) : (
                  <span className="pill">did not sign</span>
                )}
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}

      {recomputed ? (
        <Panel title={`Rejected messages (${report.rejected.length})`}>
          {report.rejected.length === 0 ? (
            <p className="muted">None: every message in the file was allowed by the rules when it was made.</p>
          ) : (
            <>
              <p className="muted">
                Correctly signed, but not allowed by the rules, so they changed nothing. They do not make the file invalid.
              </p>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Message</th>
                    <th scope="col">From</th>
                    <th scope="col">Why it was rejected</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rejected.map((r) => (
                    <tr key={r.hash}>
                      <td>
                        <span className="pill">{r.type}</span>
                        <span className="mono hash-short" title={r.hash}>
                          {r.hash.slice(0, 16)}…
                        </span>
                      </td>
                      <td>{who(r.author)}</td>
                      <td>
                        <span className="mono">{r.reason}</span>
                        {REJECT_REASON_TEXT[r.reason] ? <span className="reason-text">{REJECT_REASON_TEXT[r.reason]}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Panel>
      ) : null}

      {report.equivocations.length > 0 ? (
        <Panel title={`Equivocation (${report.equivocations.length})`}>
          <p>
            Someone signed two or more different versions of the same message: evidence that they tried to tell parties different
            things. The version the others built on first counts; the rest were rejected.
          </p>
          <ul className="equivocations">
            {report.equivocations.map((e) => (
              <li key={`${e.author}:${e.seq}`} className="equivocation">
                <p>
                  {who(e.author)} signed {e.hashes.length} versions of their message number {e.seq}:
                </p>
                <ul className="mono equivocation__hashes">
                  {e.hashes.map((h) => (
                    <li key={h} className="wrap">
                      {h} <span className="equivocation__verdict">{rejectedHashes.has(h) ? 'rejected' : 'kept'}</span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
    </section>
  )
}

function Party({ publicKey, label, contact }: { publicKey: PublicKeyHex; label: string | undefined; contact: string | undefined }) {
  return (
    <span className="verify-party__who">
      {contact !== undefined ? (
        <span className="verify-party__contact">
          Your contact <span className="inert-name">{contact}</span>
        </span>
      ) : null}
      {label ? (
        <span className="verify-party__name inert-name">
          {label} <span className="verify-party__unsigned">(unsigned name)</span>
        </span>
      ) : (
        <span className="verify-party__name muted">no name in the file</span>
      )}
      <Fingerprint value={fingerprintOf(publicKey)} />
    </span>
  )
}
