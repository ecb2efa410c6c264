/**
 * The signed envelope of the chosen chain node, exactly as stored, and what the
 * engine found when it checked the signature (strict RFC 8032, in the core, not
 * here): verified with the key that made it, or not.
 */
import { useEffect, useState } from 'react'
import type { ApiError, DemoEnvelope, DemoMessage } from '../../../src-main/api.js'
import { ErrorNote } from '../components/error-note.js'
import { Fingerprint } from '../components/fingerprint.js'
import { CheckIcon } from '../components/icons.js'
import { useApp } from '../state/store-context.js'
import { listText, shortHash, SIDE_NAMES } from './demo-names.js'

export interface MessageDetailProps {
  hash: string | null
  message: DemoMessage | undefined
}

export function MessageDetail({ hash, message }: MessageDetailProps) {
  const demoEnvelope = useApp((s) => s.demoEnvelope)
  const [shown, setShown] = useState<{ hash: string; envelope?: DemoEnvelope; error?: ApiError } | null>(null)
  useEffect(() => {
    if (hash === null) return
    let current = true
    void demoEnvelope(hash).then((result) => {
      if (current) setShown(result.ok ? { hash, envelope: result.value } : { hash, error: result.error })
    })
    return () => {
      current = false
    }
  }, [hash, demoEnvelope])

  const envelope = shown !== null && shown.hash === hash ? shown.envelope : undefined
  const error = shown !== null && shown.hash === hash ? shown.error : undefined
  return (
    <section className="panel demo-detail" aria-labelledby="demo-detail-title" aria-live="polite">
      <h2 className="panel__title" id="demo-detail-title">
        Signed envelope{hash ? ` ${shortHash(hash)}` : ''}
      </h2>
      {hash === null ? <p className="muted">Choose a node of the chain to see its signed envelope and check its signature.</p> : null}
      {error ? <ErrorNote error={error} /> : null}
      {envelope ? (
        <>
          {envelope.signature.valid ? (
            <p className="demo-detail__verdict is-valid">
              <CheckIcon /> Signature verified: made with {envelope.signature.name === null ? 'the key' : `${envelope.signature.name}'s key`}{' '}
              <Fingerprint value={envelope.signature.fingerprint} />
            </p>
          ) : (
            <p className="demo-detail__verdict is-invalid">
              ✕ The signature does not verify against the key it names ({envelope.signature.name ?? 'unknown'}, <Fingerprint value={envelope.signature.fingerprint} />
              ): someone else signed it.
            </p>
          )}
          <dl className="facts">
            <dt>Hash</dt>
            <dd className="mono wrap">{envelope.hash}</dd>
            <dt>Signing key</dt>
            <dd className="mono wrap">{envelope.signature.key}</dd>
            <dt>Held by</dt>
            <dd>{listText(envelope.heldBy.map((s) => SIDE_NAMES[s]))}</dd>
            {message ? (
              <>
                <dt>Verdicts</dt>
                <dd>{message.views.map((v) => `${SIDE_NAMES[v.side]}: ${v.verdict}${v.reason ? ` (${v.reason})` : ''}${v.receipt !== null ? `, receipt #${v.receipt}` : ''}`).join('; ')}</dd>
              </>
            ) : null}
          </dl>
          <p className="muted">
            Checked by the engine: Ed25519 (strict RFC 8032) over “trust-primitive/v1:” and these bytes without the sig field. Anyone can
            repeat it with OpenSSL or libsodium.
          </p>
          <pre className="code-block demo-detail__json" tabIndex={0} aria-label="The envelope's JSON">
            <code>{JSON.stringify(envelope.envelope, null, 2)}</code>
          </pre>
        </>
      ) : null}
    </section>
  )
}
