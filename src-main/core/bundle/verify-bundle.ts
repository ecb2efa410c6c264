/**
 * Offline verification of an agreement bundle (DESIGN section 10). Everything is
 * recomputed from the envelopes alone: each envelope's form, hash and signature,
 * the negotiation id (hash of the one GENESIS), the fold as of `at`, and the
 * claimed status, termsHash and bindingHash. The FIRST failure is reported, with
 * the envelope index (file order) when one envelope is to blame.
 *
 * Correctly signed but illegal messages are not tampering: the fold lists them
 * as rejected and they do not make the bundle invalid (DESIGN section 10).
 * Pure: no I/O; the only clock read is the default `at`.
 */
import { TrustError, type TrustErrorCode } from '../errors.js'
import { fingerprint } from '../crypto/ed25519.js'
import { fold, verifyEnvelopeSignature } from '../protocol/index.js'
import type {
  Clause,
  FoldInput,
  MessageType,
  NegotiationState,
  NegotiationStatus,
  RejectReason,
  SignedEnvelope,
} from '../protocol/index.js'
import { readBundleEnvelope, parseBundleShape, type BundleShape } from './bundle.js'

export interface VerifyOptions {
  /** Evaluate the fold (deadline, appeal) at this time, ms since the epoch. Default: now. */
  at?: number
}

export interface RejectedEntry {
  hash: string
  reason: RejectReason
  type: MessageType
  author: string
}

export interface VerifyFailure {
  code: TrustErrorCode
  /** `CODE: text`, like TrustError.message. */
  message: string
  /** Index in the bundle's `envelopes` array of the envelope at fault, when there is one. */
  index?: number
}

export interface VerifyReport {
  valid: boolean
  /** Recomputed, never copied from `claimed`; null when verification stopped before the fold. */
  status: NegotiationStatus | null
  termsHash: string | null
  bindingHash: string | null
  signers: string[]
  rejected: RejectedEntry[]
  /** Every (author, seq) signed in two versions: evidence against the author (DESIGN section 4). */
  equivocations: EquivocationEntry[]
  error?: VerifyFailure
  negotiation: string | null
  /** Signed content, raw: escape or sanitize (display-text.ts) before showing. */
  title: string | null
  clauses: Clause[]
  participants: string[]
  requiredConsensus: number | null
  deadline: string | null
  /** Unsigned labels from the bundle, sanitized, for keys of this negotiation only. */
  names: Record<string, string>
  /** The time the fold was evaluated at (ms since the epoch). */
  at: number
}

export interface EquivocationEntry {
  author: string
  seq: number
  /** Every version, sorted. */
  hashes: string[]
}

/** The exact `trust verify --json` shape (DESIGN section 10). */
export interface VerifyReportJson {
  valid: boolean
  status: NegotiationStatus | null
  termsHash: string | null
  bindingHash: string | null
  signers: string[]
  rejected: { hash: string; reason: RejectReason }[]
  equivocations: EquivocationEntry[]
  error?: VerifyFailure
}

export function verifyBundle(input: string | Uint8Array | unknown, options: VerifyOptions = {}): VerifyReport {
  const at = options.at ?? Date.now()
  if (!Number.isSafeInteger(at)) throw TrustError.invalidInput('verify: `at` must be an integer time in ms')
  let shape: BundleShape
  try {
    shape = parseBundleShape(input)
  } catch (err) {
    return failed(emptyReport(null, at), err)
  }
  const report = emptyReport(shape.negotiation, at)
  try {
    const inputs = checkEnvelopes(shape)
    const genesis = findGenesis(shape.negotiation, inputs)
    const state = fold(shape.negotiation, inputs.map((i) => i.input), at)
    fillFromState(report, state, shape)
    checkGenesisAccepted(state, genesis)
    checkClaims(shape, state, inputs)
    report.valid = true
    return report
  } catch (err) {
    return failed(report, err)
  }
}

/** Drops the fields that `--json` does not print. */
export function reportJson(report: VerifyReport): VerifyReportJson {
  const out: VerifyReportJson = {
    valid: report.valid,
    status: report.status,
    termsHash: report.termsHash,
    bindingHash: report.bindingHash,
    signers: report.signers,
    rejected: report.rejected.map(({ hash, reason }) => ({ hash, reason })),
    equivocations: report.equivocations.map((e) => ({ author: e.author, seq: e.seq, hashes: [...e.hashes] })),
  }
  if (report.error) out.error = report.error
  return out
}

interface IndexedInput {
  index: number
  input: FoldInput
}

/**
 * Form and signature of every envelope, in file order, so the first bad one is
 * the one named. Exact duplicates (same hash) are checked once; the fold ignores
 * them (DESIGN section 4).
 */
function checkEnvelopes(shape: BundleShape): IndexedInput[] {
  const seen = new Set<string>()
  const out: IndexedInput[] = []
  shape.envelopes.forEach((value, index) => {
    const signed = readBundleEnvelope(value, index)
    if (seen.has(signed.hash)) return
    seen.add(signed.hash)
    if (!verifyEnvelopeSignature(signed)) {
      throw new TrustError(
        'BAD_SIGNATURE',
        `envelope ${index} (${describeEnvelope(signed)}) is not correctly signed: the signature does not verify with its author's key (altered after signing, or signed by another key)`,
        { index },
      )
    }
    out.push({ index, input: { ...signed, sigValid: true } })
  })
  return out
}

/** Exactly one GENESIS, and the negotiation id is its hash (DESIGN section 3). */
function findGenesis(negotiation: string, inputs: readonly IndexedInput[]): IndexedInput {
  const geneses = inputs.filter((i) => i.input.envelope.type === 'GENESIS')
  const [genesis, second] = geneses
  if (genesis === undefined) {
    throw new TrustError('INVALID_NEGOTIATION', 'the bundle has no GENESIS envelope: the negotiation cannot be recomputed')
  }
  if (second !== undefined) {
    throw new TrustError(
      'INVALID_NEGOTIATION',
      `the bundle has ${geneses.length} different GENESIS envelopes (indices ${geneses.map((g) => g.index).join(', ')}): exactly one is allowed`,
      { index: second.index },
    )
  }
  if (genesis.input.hash !== negotiation) {
    throw new TrustError(
      'INVALID_NEGOTIATION',
      `the negotiation id ${negotiation} is not the hash of the GENESIS envelope (envelope ${genesis.index} hashes to ${genesis.input.hash})`,
      { index: genesis.index },
    )
  }
  return genesis
}

/** The fold's own judgement of the GENESIS (DESIGN section 4): a backstop, as parsing already applies it. */
function checkGenesisAccepted(state: NegotiationState, genesis: IndexedInput): void {
  if (state.invalid !== undefined || state.status === undefined) {
    throw new TrustError(
      'INVALID_NEGOTIATION',
      `the GENESIS envelope (envelope ${genesis.index}) is not a valid negotiation: ${state.invalid ?? 'no status'}`,
      { index: genesis.index },
    )
  }
}

/** The recomputed status, termsHash and bindingHash must equal the claimed ones. */
function checkClaims(shape: BundleShape, state: NegotiationState, inputs: readonly IndexedInput[]): void {
  const { claimed } = shape
  const mismatches: string[] = []
  if (claimed.status !== state.status) mismatches.push(`status ${claimed.status}, the envelopes give ${state.status}`)
  if (claimed.termsHash !== state.termsHash) {
    mismatches.push(`termsHash ${claimed.termsHash}, the envelopes give ${state.termsHash}`)
  }
  const bindingHash = state.bindingHash ?? null
  if (claimed.bindingHash !== bindingHash) {
    mismatches.push(`bindingHash ${claimed.bindingHash ?? 'null'}, the envelopes give ${bindingHash ?? 'null'}`)
  }
  if (mismatches.length === 0) return
  // A dropped message shows up as a later envelope whose ref is not in the
  // bundle: name it, it is the likely cause of the mismatch.
  const dropped = firstDanglingRef(inputs)
  const hint = dropped
    ? `; envelope ${dropped.index} (${describeEnvelope(dropped.input)}) refs ${dropped.ref}, which is not in the bundle: a message was dropped`
    : ''
  throw new TrustError(
    'BAD_BUNDLE',
    `the bundle claims ${mismatches.join('; and ')}${hint}`,
    dropped ? { index: dropped.index } : undefined,
  )
}

function firstDanglingRef(inputs: readonly IndexedInput[]): { index: number; input: SignedEnvelope; ref: string } | null {
  const hashes = new Set(inputs.map((i) => i.input.hash))
  let first: { index: number; input: SignedEnvelope; ref: string } | null = null
  for (const { index, input } of inputs) {
    const ref = input.envelope.refs.find((r) => !hashes.has(r))
    if (ref !== undefined && (first === null || index < first.index)) first = { index, input, ref }
  }
  return first
}

function fillFromState(report: VerifyReport, state: NegotiationState, shape: BundleShape): void {
  report.status = state.status ?? null
  report.termsHash = state.invalid === undefined ? state.termsHash : null
  report.bindingHash = state.bindingHash ?? null
  report.signers = [...state.signers]
  report.rejected = state.rejected.map((r) => ({ hash: r.hash, reason: r.reason, type: r.type, author: r.author }))
  report.equivocations = state.equivocations.map((e) => ({ author: e.author, seq: e.seq, hashes: [...e.hashes] }))
  report.title = state.invalid === undefined ? state.title : null
  report.clauses = state.clauses.map((c) => ({ ...c }))
  report.participants = [...state.participants]
  report.requiredConsensus = state.invalid === undefined ? state.requiredConsensus : null
  report.deadline = state.invalid === undefined ? state.deadline : null
  const keys = new Set([...state.participants, ...(state.arbiters?.keys ?? [])])
  report.names = Object.fromEntries(Object.entries(shape.names).filter(([key]) => keys.has(key)))
}

/** The `--json` report of a bundle that could not even be read (missing file, not JSON). */
export function unreadableReport(err: unknown, at: number): VerifyReportJson {
  return reportJson(failed(emptyReport(null, at), err))
}

function emptyReport(negotiation: string | null, at: number): VerifyReport {
  return {
    valid: false,
    status: null,
    termsHash: null,
    bindingHash: null,
    signers: [],
    rejected: [],
    equivocations: [],
    negotiation,
    title: null,
    clauses: [],
    participants: [],
    requiredConsensus: null,
    deadline: null,
    names: {},
    at,
  }
}

function failed(report: VerifyReport, err: unknown): VerifyReport {
  const error = TrustError.from(err)
  const index = error.detail?.index
  report.valid = false
  report.error = { code: error.code, message: error.message }
  if (typeof index === 'number') report.error.index = index
  return report
}

function describeEnvelope(signed: SignedEnvelope): string {
  return `${signed.envelope.type} by ${fingerprint(signed.envelope.author)}, hash ${signed.hash.slice(0, 16)}\u2026`
}
