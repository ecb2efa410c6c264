/**
 * TrustApi: the one typed contract every surface uses (DESIGN.md section 11):
 * the renderer through IPC (window.trust), the browser UI and scripts through
 * local JSON-RPC. Types only: no runtime code lives here, so the renderer can
 * `import type` it without pulling in the core. The runtime list of method
 * names is src-main/core/api-methods.ts, checked against these types.
 *
 * Every param and result is plain JSON (strings, integers, booleans, null,
 * arrays, objects), so it crosses IPC and JSON-RPC unchanged.
 */
import type { TrustErrorCode } from './core/errors.js'

export type { TrustErrorCode }

// ---------------------------------------------------------------------------
// Plain JSON and the names of things

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** Ed25519 public key: 64 lowercase hex chars (DESIGN.md section 2). */
export type PublicKeyHex = string
/** SHA-256 of JCS bytes: 64 lowercase hex chars (DESIGN.md section 3). */
export type HashHex = string
/** A negotiation id: the hash of its GENESIS envelope. */
export type NegotiationId = HashHex
/** ISO 8601 UTC with milliseconds, e.g. 2026-11-24T10:00:00.000Z. */
export type IsoTime = string
/** Short fingerprint people compare by voice: first 8 bytes of the key, grouped. */
export type Fingerprint = string

/** Nothing to return. `null` rather than undefined: JSON-RPC results are JSON. */
export type Done = null
/** Params of a method that takes none. */
export type NoParams = Record<string, never>

// ---------------------------------------------------------------------------
// Errors crossing IPC / JSON-RPC

export interface ApiError {
  code: TrustErrorCode
  /** `CODE: text`, as TrustError.message. Never contains a secret. */
  message: string
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError }

// ---------------------------------------------------------------------------
// Messages (DESIGN.md section 3)

export type MessageType =
  | 'GENESIS'
  | 'JOIN'
  | 'OFFER'
  | 'LOCK'
  | 'ACCEPT'
  | 'FINALIZE'
  | 'WITHDRAW'
  | 'DISPUTE'
  | 'APPEAL_DECISION'
  | 'RESOLVE'

export interface Envelope {
  v: 1
  type: MessageType
  /** Absent on GENESIS: the negotiation id is the GENESIS hash. */
  negotiation?: NegotiationId
  author: PublicKeyHex
  seq: number
  lamport: number
  refs: HashHex[]
  time: IsoTime
  body: JsonObject
  /** Ed25519 signature, 128 lowercase hex chars. */
  sig: string
}

export interface Clause {
  id: string
  title: string
  text: string
}

export interface ClauseChange {
  op: 'set' | 'add' | 'remove'
  clause: string
  title?: string
  text?: string
}

export interface Arbiters {
  keys: PublicKeyHex[]
  threshold: number
}

// ---------------------------------------------------------------------------
// The negotiation state (DESIGN.md section 4)

export type NegotiationStatus =
  | 'INITIATED'
  | 'NEGOTIATING'
  | 'CONSENSUS_REACHED'
  | 'BINDING'
  | 'DISPUTED'
  | 'RESOLVED'
  | 'EXPIRED'
  | 'WITHDRAWN'

/** Reason codes the fold names in DESIGN.md section 4; the fold may add more. */
export type KnownRejectReason = 'SUPERSEDED' | 'CLAUSE_LOCKED' | 'IMMUTABLE' | 'LATE' | 'EQUIVOCATION'
/** A stable reason code; `string & {}` keeps editor completion for the known ones. */
export type RejectReason = KnownRejectReason | (string & {})

export interface RejectedMessage {
  hash: HashHex
  reason: RejectReason
}

/** One (author, seq) signed in two or more versions: evidence against the author (DESIGN section 4). */
export interface Equivocation {
  author: PublicKeyHex
  seq: number
  /** Every version, sorted; the one others built on first holds the seq, the rest are EQUIVOCATION. */
  hashes: HashHex[]
}

/** `pending`: a ref has not arrived yet (MISSING_REF); the message is kept and re-folded when it does. */
export type Verdict = 'applied' | 'rejected' | 'pending'

/**
 * One message of a negotiation's timeline. Its refs (the heads its author had
 * seen) are left out: a quarter of a long timeline's bytes that no list shows;
 * `negotiations.envelope` gives the whole signed envelope of one message.
 */
export interface TimelineEntry {
  hash: HashHex
  author: PublicKeyHex
  type: MessageType
  time: IsoTime
  verdict: Verdict
  reason?: RejectReason
  /** The author's count of earlier messages in this negotiation (DESIGN section 3). */
  seq: number
  lamport: number
  /** The signed body, as plain JSON (DESIGN section 3, "Bodies"). Text in it came from its author: show it inert. */
  body: JsonObject
  /** The signature checked strictly (RFC 8032) when the message was stored; false only for kept evidence. */
  verified: boolean
  /** OFFER only: the applied terms just before it in fold order, what it was judged against (its diff's left side). */
  before?: Clause[]
}

/** An applied ACCEPT or FINALIZE and the terms hash it named. */
export interface SignedFor {
  author: PublicKeyHex
  termsHash: HashHex
  time: IsoTime
  /** The message's hash. */
  hash: HashHex
}

/**
 * What a detail view reads out of the whole signed timeline, computed by the
 * core so a client needs only the window of the timeline it draws. Only
 * messages the fold applied count, in fold order.
 */
export interface NegotiationHistory {
  /** Clause id -> participants whose applied LOCK counts for the clause's current text, in the order they locked. */
  lockedBy: Record<string, PublicKeyHex[]>
  acceptCount: number
  finalizeCount: number
  /** The latest applied ACCEPTs and FINALIZEs (at most 50 each), in fold order. */
  accepts: SignedFor[]
  finalizations: SignedFor[]
  /** Arbiters whose decision on the dispute is applied. */
  decided: PublicKeyHex[]
  /** Signer -> the settlement its latest applied RESOLVE proposed. */
  settlements: Record<PublicKeyHex, string>
  /** The DISPUTE that opened the appeal (its text came from its author: show it inert). */
  dispute: { author: PublicKeyHex; reason: string; evidence: string | null; time: IsoTime } | null
  /** Every version of an equivocated message -> its verdict. */
  versions: Record<HashHex, { verdict: Verdict; reason?: RejectReason }>
}

export type AppealStatus = 'OPEN' | 'DECIDED' | 'SETTLED' | 'LAPSED'
/** `upheld` / `rejected` by the arbiters' threshold; `settled` when every signer resolved alike. */
export type AppealOutcome = 'upheld' | 'rejected' | 'settled'

export interface Appeal {
  /** Hash of the DISPUTE envelope. */
  dispute: HashHex
  /** The dispute's time plus appealWindowDays. */
  due: IsoTime
  status: AppealStatus
  outcome: AppealOutcome | null
  /** The arbiters' remedy, or the signers' settlement, when there is one. */
  remedy?: string
  settlement?: string
}

export interface NegotiationState {
  negotiation: NegotiationId
  title: string
  /** Creator first, as in GENESIS. */
  participants: PublicKeyHex[]
  requiredConsensus: number
  deadline: IsoTime
  arbiters: Arbiters | null
  appealWindowDays: number
  status: NegotiationStatus
  /** The terms: GENESIS clauses in order, added clauses appended. */
  clauses: Clause[]
  termsHash: HashHex
  /** Ids of clauses locked by k participants. */
  lockedClauses: string[]
  /** Each current clause's textHash (SHA-256 of JCS {id, title, text}): what a LOCK of it signs. */
  clauseHashes: Record<string, HashHex>
  /** Participants whose ACCEPT counts for the current terms, sorted. */
  accepts: PublicKeyHex[]
  /** Participants whose FINALIZE counts for the current terms, sorted. */
  finalizers: PublicKeyHex[]
  /** The finalizers at BINDING, sorted; empty before. */
  signers: PublicKeyHex[]
  bindingHash: HashHex | null
  joined: PublicKeyHex[]
  /** Arbiters who sent JOIN, sorted. */
  arbitersJoined: PublicKeyHex[]
  withdrawn: PublicKeyHex[]
  equivocators: PublicKeyHex[]
  equivocations: Equivocation[]
  appeal: Appeal | null
  rejected: RejectedMessage[]
  /**
   * The messages in fold order (lamport, hash), each with its verdict: all of
   * them, or a window (`negotiations.get` with `limit`; an action's answer), which
   * starts at index `timelineFrom` of `timelineTotal`.
   */
  timeline: TimelineEntry[]
  timelineFrom: number
  timelineTotal: number
  history: NegotiationHistory
}

export interface NegotiationSummary {
  negotiation: NegotiationId
  title: string
  status: NegotiationStatus
  participants: PublicKeyHex[]
  deadline: IsoTime
  /** Time of the latest message folded. */
  updated: IsoTime
  termsHash: HashHex
  bindingHash: HashHex | null
  /**
   * The step an open negotiation waits for, as DESIGN section 8's TIMEOUT rule
   * reads it: someone has not joined, else fewer than k accepted, else not
   * finalized. null once it is not open (BINDING, EXPIRED, ...).
   */
  waitingFor: 'join' | 'accept' | 'finalize' | null
  /** The active participants that step waits on (the caller included, if it does), in GENESIS order. */
  waitingOn: PublicKeyHex[]
}

/** One stored envelope exactly as signed, for a "show the signed envelope" view. */
export interface SignedEnvelopeView {
  hash: HashHex
  author: PublicKeyHex
  envelope: Envelope
  /** The exact JCS text whose SHA-256 is `hash` (the stored, replicated bytes). */
  json: string
  /** Its signature, checked again now, strictly (RFC 8032), against the author's key. */
  verified: boolean
}

/** What an action returns: the hash of the envelope just signed and the new state, its timeline the latest 200 messages. */
export interface ActionResult {
  hash: HashHex
  state: NegotiationState
}

// ---------------------------------------------------------------------------
// Bundles and offline verification (DESIGN.md section 10)

export interface Bundle {
  format: 'trust-primitive/bundle@1'
  negotiation: NegotiationId
  /** Every envelope, GENESIS included, any order. */
  envelopes: Envelope[]
  /** Informational, unsigned. */
  names: Record<PublicKeyHex, string>
  claimed: {
    status: NegotiationStatus
    termsHash: HashHex
    bindingHash: HashHex | null
  }
}

export interface BundleVerifyReport {
  valid: boolean
  status: NegotiationStatus | null
  termsHash: HashHex | null
  bindingHash: HashHex | null
  signers: PublicKeyHex[]
  rejected: RejectedMessage[]
  equivocations: Equivocation[]
  /** The first failure, when not valid. */
  error?: ApiError
}

// ---------------------------------------------------------------------------
// Identity, contacts, trust ledger, receipts, network

export interface IdentityStatus {
  exists: boolean
  unlocked: boolean
  publicKey?: PublicKeyHex
  name?: string
  fingerprint?: Fingerprint
}

export interface IdentityKey {
  publicKey: PublicKeyHex
  fingerprint: Fingerprint
}

export interface Contact {
  publicKey: PublicKeyHex
  name: string
  fingerprint: Fingerprint
  /** Trust score in [0, 1], starting at 0.5 (DESIGN.md section 8). */
  score: number
  added: IsoTime
}

export type LedgerEventType = 'COMPLETION' | 'CONFLICT' | 'TIMEOUT' | 'MISBEHAVIOR'

/** One entry of the per-counterparty trust ledger (DESIGN.md section 8). */
export interface LedgerEvent {
  seq: number
  hash: HashHex
  type: LedgerEventType
  /** Score change; a decimal such as -0.1, so a number, not a protocol value. */
  delta: number
  score: number
  negotiation: NegotiationId | null
  time: IsoTime
  reason?: string
}

export interface Receipt {
  seq: number
  prev: HashHex | null
  time: IsoTime
  action: string
  negotiation: NegotiationId | null
  ref: HashHex | null
  data: JsonValue
  hash: HashHex
  sig: string
}

export interface ReceiptsVerifyReport {
  ok: boolean
  count: number
  /** Wall time of the verification, for display only. */
  ms: number
  /** Seq of the first receipt that failed, when not ok. */
  firstBad?: number
}

/** RFC 6962 inclusion proof of one receipt in a signed checkpoint (DESIGN.md section 7). */
export interface ReceiptProof {
  receipt: Receipt
  index: number
  treeSize: number
  /** Audit path, leaf to root, lowercase hex. */
  path: HashHex[]
  /** The signed note the proof is against. */
  checkpoint: string
}

export type NetworkMode = 'public' | 'local' | 'bootstrap'

export interface NetworkStatus {
  mode: NetworkMode
  /** host:port entries, in bootstrap mode. */
  bootstrap?: string[]
  peers: { publicKey: PublicKeyHex; negotiations: NegotiationId[] }[]
}

/** The user's preferences the core acts on, kept in the profile (DESIGN section 11). */
export interface Settings {
  /**
   * Lock and wipe the key after this long without an API call (DESIGN section 2).
   * settings.set takes 5,000 to 86,400,000 (5 s to 24 h); 0 (never) exists only for
   * a node started that way by its owner (tests, scripts).
   */
  idleLockMs: number
}

// ---------------------------------------------------------------------------
// Updates and the file the app was opened with (desktop app; DESIGN.md section 12)

/**
 * `unavailable`: this build never updates itself (browser mode, development, an
 * unsigned Windows build, a Linux install its package manager updates); `reason` says which.
 * `ready`: an update was downloaded and verified and waits for `updates.install`.
 */
export type UpdateState = 'unavailable' | 'idle' | 'checking' | 'downloading' | 'ready' | 'error'

export interface UpdateStatus {
  state: UpdateState
  /** Why updates are off here, when state is `unavailable`. */
  reason?: string
  /** The Settings switch: check the release feed on start and every few hours. Persisted; on by default. */
  autoCheck: boolean
  /** The running version, when known. */
  current?: string
  /** The newer version found (downloading) or downloaded (ready). */
  version?: string
  /** Download progress, 0..100, while downloading. */
  percent?: number
  /** The last failure in words (no network, a checksum or signature that did not verify). */
  error?: string
  lastCheck?: IsoTime
}

/**
 * A `*.trust.json` file the app was opened with (double-click, Open With, argv):
 * its base name (never its path) and its text for `bundles.verify`, or why it
 * could not be read.
 */
export interface OpenedFile {
  name: string
  text?: string
  error?: ApiError
}

// ---------------------------------------------------------------------------
// What the contacts, receipts, verify and diagnostics screens read (DESIGN sections 2, 7, 10, 11)

/** A contact card read and checked (signature, form) without saving it: what a person compares before adding. */
export interface CardPreview {
  publicKey: PublicKeyHex
  /** The name its holder signed into the card. */
  name: string
  fingerprint: Fingerprint
  /** The contact already saved under this key, if any: adding the card again replaces its card. */
  contact: Contact | null
}

/** A good checkpoint of the receipt chain: it commits to receipts 0 .. size-1. */
export interface CheckpointInfo {
  size: number
  /** When this profile stored it. */
  recorded: IsoTime
}

/** The receipt chain at a glance (cheap: no verification). */
export interface ReceiptsSummary {
  /** Receipts stored: seqs 0 .. count-1. */
  count: number
  /** Good checkpoints stored. */
  checkpoints: number
  latestCheckpoint: CheckpointInfo | null
  /** Checkpoints refused as inconsistent and kept as evidence (DESIGN section 7). */
  refusedCheckpoints: number
}

/** A rejected message of a verified bundle, with who sent what. */
export interface BundleRejected extends RejectedMessage {
  type: MessageType
  author: PublicKeyHex
}

/**
 * The full offline report of a bundle (DESIGN section 10), as the Verify view
 * shows it: `bundles.verify`'s fields plus the signed terms, the unsigned names
 * and the index of the envelope at fault. Signed text (title, clauses) has its
 * control and bidi characters replaced by U+FFFD, as the CLI and the
 * certificate show it; names are the bundle's unsigned labels, sanitized.
 */
export interface BundleReport {
  valid: boolean
  status: NegotiationStatus | null
  termsHash: HashHex | null
  bindingHash: HashHex | null
  signers: PublicKeyHex[]
  rejected: BundleRejected[]
  equivocations: Equivocation[]
  /** The first failure, when not valid; `index`: the envelope at fault (file order), when one is. */
  error?: ApiError & { index?: number }
  /** The negotiation id the bundle names (null when its structure could not be read). */
  negotiation: NegotiationId | null
  title: string | null
  clauses: Clause[]
  participants: PublicKeyHex[]
  requiredConsensus: number | null
  deadline: IsoTime | null
  /** Unsigned labels from the bundle, for keys of this negotiation only. */
  names: Record<PublicKeyHex, string>
  /** The time the fold was evaluated at. */
  at: IsoTime
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary'

export interface MetricSample {
  /** The sample's name: the family's, or with `_bucket`, `_sum`, `_count`. */
  name: string
  labels: Record<string, string>
  /** null when not a finite number. */
  value: number | null
}

/** One prom-client metric family, parsed. */
export interface MetricFamily {
  name: string
  help: string
  type: MetricType
  samples: MetricSample[]
}

/** This node's metrics (DESIGN section 11): the text /metrics serves, and the same parsed. */
export interface DiagnosticsMetrics {
  /** The Prometheus text exposition. */
  text: string
  families: MetricFamily[]
}

/** Where this profile's log is: shown to the user as text (the page never opens files). */
export interface DiagnosticsLogs {
  /** Absolute path of the log file, or null when this node logs to stderr. */
  file: string | null
  /** The lowest level written: fatal, error, warn, info, debug, trace or silent. */
  level: string
}

// ---------------------------------------------------------------------------
// Seeders (DESIGN section 5): always-on blind peers that keep and serve our
// encrypted feeds, so counterparties who are never online together can negotiate

/** `profile`: in this profile's list (seeders.add, `trust serve --seeder`); `invite`: named by the invite of a negotiation we joined. */
export type SeederSource = 'profile' | 'invite'

export interface SeederRefusal {
  /** PEER_QUOTA | TOTAL_QUOTA | FEED_LIMIT | RATE_LIMITED | MALFORMED | GROUP_FULL */
  code: string
  /** The seeder's own words, control characters removed. */
  reason: string
}

export interface SeederInfo {
  /** The seeder's public key (what `trust seeder` prints), 64 lowercase hex chars. */
  publicKey: PublicKeyHex
  sources: SeederSource[]
  /** When it was added to the profile's list; null for one only an invite named. */
  added: IsoTime | null
  /** Connected right now (false while locked: the peer is offline then). */
  connected: boolean
  /** Our negotiations whose feeds it keeps. */
  negotiations: NegotiationId[]
  /** The last request it refused on this run (a quota), or null. */
  refusal: SeederRefusal | null
}

/** What our seeders hold of one negotiation's feed of ours. */
export interface NegotiationSeeding {
  negotiation: NegotiationId
  /** Messages we signed in it (our feed's length). */
  signed: number
  /** Of those, how many some seeder holds (from the start, without a gap). */
  seeded: number
  seeders: PublicKeyHex[]
}

export interface SeedingStatus {
  /**
   * True when everything you signed, in every negotiation, has reached at least
   * one seeder: counterparties can fetch it while you are offline. The UI says
   * "Everything you signed has reached a seeder" then, and otherwise how many
   * messages have not (`pending`) and which negotiations have no seeder at all.
   */
  allSeeded: boolean
  /** Messages you signed that no seeder holds yet (in negotiations with seeders). */
  pending: number
  negotiations: NegotiationSeeding[]
  /** Negotiations with messages of yours and no seeder (or made before feeds were encrypted). */
  unseeded: NegotiationId[]
}

// ---------------------------------------------------------------------------
// The live demo (issue 11; DESIGN section 11, "Demo"): two real peers, Alice and
// Bob, each with a temporary profile and key, on an embedded DHT, started by the
// serving process and driven one protocol action per step. It never touches the
// user's own identity or profile. Every hash, signature and state here comes from
// those peers' folds and receipt chains.

export type DemoSide = 'alice' | 'bob'
/**
 * Who acts in a step: a party; Mallory, a third party; Bob's modified app (his key,
 * a client that no longer follows the protocol); or the demo itself (starting peers).
 */
export type DemoActor = DemoSide | 'mallory' | 'bob-modified' | 'demo'
export type DemoStepStatus = 'pending' | 'running' | 'done' | 'failed'

/** From an action on one side to the other side's engine holding the message. */
export interface DemoLatency {
  from: DemoSide
  to: DemoSide
  hash: HashHex
  /** Just before the acting side's engine was asked: epoch milliseconds, fractional (performance.timeOrigin + now()). */
  actedAt: number
  /** When the other side's engine stored it, same clock; null until it has. */
  arrivedAt: number | null
}

export interface DemoStep {
  index: number
  /** Stable name of the step, e.g. `offer-500`. */
  id: string
  title: string
  actor: DemoActor
  /** The steps after the agreement (attacks, a dispute): the story is complete without them. */
  optional: boolean
  status: DemoStepStatus
  /** What the engines answered, one fact per line. */
  lines: string[]
  /** Wall time of the step. */
  ms: number | null
  /** The message this step signed or delivered. */
  hash: HashHex | null
  latency: DemoLatency | null
  /** An action the engine refused before signing anything (e.g. IMMUTABLE after BINDING). */
  refused: { side: DemoSide; code: TrustErrorCode; reason: string | null; message: string } | null
  error: ApiError | null
}

export interface DemoCheckpoint {
  /** Receipts covered. */
  size: number
  time: IsoTime
}

/** One party as its own engine sees things. */
export interface DemoParty {
  side: DemoSide
  name: string
  /** Null until the party's identity exists. */
  publicKey: PublicKeyHex | null
  fingerprint: Fingerprint | null
  /** This side's own fold; null while it does not hold the negotiation. */
  state: NegotiationState | null
  receipts: { count: number; head: HashHex | null; checkpoints: DemoCheckpoint[] }
}

/** One side's verdict on a message it holds, and the receipt it wrote for it. */
export interface DemoMessageView {
  side: DemoSide
  verdict: Verdict
  reason?: RejectReason
  /** Seq of the side's receipt for this message. */
  receipt: number | null
}

/** A node of the hash chain: one signed message, as stored by the sides that hold it. */
export interface DemoMessage {
  hash: HashHex
  /** The author the envelope names (a forgery names someone else's key). */
  author: PublicKeyHex
  type: MessageType
  seq: number
  lamport: number
  refs: HashHex[]
  time: IsoTime
  /** A few words from the body (an amount, a clause id, a terms hash). */
  label: string
  /** Whether the signature verifies against `author` (strict RFC 8032). */
  signatureValid: boolean
  views: DemoMessageView[]
}

/** `stopped`: no peers; `starting`: the DHT and the peers are coming up; `ready`: peers up. */
export type DemoPhase = 'stopped' | 'starting' | 'ready'

export interface DemoState {
  /** Grows on every start and reset: state from an older session is stale. */
  session: number
  /** Grows on every change within the process. */
  version: number
  phase: DemoPhase
  /** A step, a start or a reset is running. */
  busy: boolean
  autoplay: boolean
  /** Pause between autoplayed steps. */
  pauseMs: number
  /** Index of the next step; `steps.length` when the script is done. */
  next: number
  steps: DemoStep[]
  negotiation: NegotiationId | null
  /** Alice, then Bob. */
  parties: DemoParty[]
  /** Every message either side holds, in fold order (lamport, hash). */
  messages: DemoMessage[]
  /** Both sides BINDING (or later) with one binding hash, computed by each on its own. */
  sameBindingHash: boolean
  error: ApiError | null
}

/** A message's full signed envelope, checked by the engine. */
export interface DemoEnvelope {
  hash: HashHex
  envelope: Envelope
  /** The exact stored bytes (JCS), as text: what is hashed and replicated. */
  canonical: string
  signature: {
    /** Strict RFC 8032 verification of `sig` against `key`, over "trust-primitive/v1:" + the JCS without sig. */
    valid: boolean
    key: PublicKeyHex
    fingerprint: Fingerprint
    /** The demo name of that key, when it is one of the parties. */
    name: string | null
  }
  heldBy: DemoSide[]
}

// ---------------------------------------------------------------------------
// The methods: `area.verb` -> { params, result }

export interface TrustMethods {
  'identity.status': { params: NoParams; result: IdentityStatus }
  'identity.create': { params: { name: string; passphrase: string }; result: IdentityKey }
  'identity.unlock': { params: { passphrase: string }; result: IdentityStatus }
  'identity.lock': { params: NoParams; result: Done }
  'identity.changePassphrase': { params: { old: string; new: string }; result: Done }
  /** The encrypted identity blob (DESIGN.md section 2), as text. */
  'identity.exportBackup': { params: NoParams; result: { blob: string } }
  'identity.importBackup': { params: { blob: string; passphrase: string }; result: IdentityKey }

  'contacts.myCard': { params: NoParams; result: { card: string } }
  'contacts.add': { params: { card: string; name?: string }; result: Contact }
  'contacts.list': { params: NoParams; result: Contact[] }
  'contacts.remove': { params: { publicKey: PublicKeyHex }; result: Done }
  'contacts.trustEvents': { params: { publicKey: PublicKeyHex }; result: LedgerEvent[] }

  'negotiations.create': {
    params: {
      title: string
      /** The counterparties' public keys; the creator comes first in GENESIS. */
      participants: PublicKeyHex[]
      clauses: Clause[]
      requiredConsensus?: number
      deadline: IsoTime
      arbiters?: Arbiters
      appealWindowDays?: number
    }
    result: { negotiation: NegotiationId; invite: string }
  }
  'negotiations.invite': { params: { negotiation: NegotiationId }; result: { invite: string } }
  'negotiations.join': { params: { invite: string }; result: { negotiation: NegotiationId } }
  'negotiations.list': { params: NoParams; result: NegotiationSummary[] }
  /**
   * The state and its timeline. With `limit` (1 to 1,000), only the timeline's
   * window from index `from` (default 0): a long negotiation opens without
   * sending every message.
   */
  'negotiations.get': { params: { negotiation: NegotiationId; from?: number; limit?: number }; result: NegotiationState }
  /** With `base`, fails with STALE_TERMS unless it is still the current terms hash (the terms the user edited). */
  'negotiations.offer': {
    params: { negotiation: NegotiationId; changes: ClauseChange[]; note?: string; base?: HashHex }
    result: ActionResult
  }
  /** With `textHash`, fails with STALE_TERMS unless it is still the clause's current textHash (what the user read). */
  'negotiations.lock': { params: { negotiation: NegotiationId; clause: string; textHash?: HashHex }; result: ActionResult }
  /** Fails with STALE_TERMS when the terms changed since the user read them. */
  'negotiations.accept': { params: { negotiation: NegotiationId; termsHash: HashHex }; result: ActionResult }
  /** Fails with STALE_TERMS when the terms changed since the user read them. */
  'negotiations.finalize': { params: { negotiation: NegotiationId; termsHash: HashHex }; result: ActionResult }
  'negotiations.withdraw': { params: { negotiation: NegotiationId; reason?: string }; result: ActionResult }
  'negotiations.dispute': {
    params: { negotiation: NegotiationId; reason: string; evidence?: string }
    result: ActionResult
  }
  /** An arbiter's decision on the open dispute. */
  'negotiations.decide': {
    params: { negotiation: NegotiationId; outcome: 'upheld' | 'rejected'; remedy?: string }
    result: ActionResult
  }
  /** A signer's settlement of the open dispute. */
  'negotiations.resolve': { params: { negotiation: NegotiationId; settlement: string }; result: ActionResult }
  'negotiations.export': { params: { negotiation: NegotiationId }; result: Bundle }
  'negotiations.certificate': { params: { negotiation: NegotiationId }; result: { html: string } }
  /** One stored envelope of the negotiation, exactly as signed; NOT_FOUND for a hash it does not hold. */
  'negotiations.envelope': { params: { negotiation: NegotiationId; hash: HashHex }; result: SignedEnvelopeView }

  /**
   * `bundle` is the file's text, not a parsed object: the core parses it with its
   * strict parser (duplicate keys, lone surrogates), which JSON.parse would hide.
   */
  'bundles.verify': { params: { bundle: string; at?: IsoTime }; result: BundleVerifyReport }

  'receipts.list': { params: { from?: number; limit?: number }; result: Receipt[] }
  'receipts.verify': { params: NoParams; result: ReceiptsVerifyReport }
  /** The latest signed checkpoint note (C2SP signed-note text). */
  'receipts.checkpoint': { params: NoParams; result: { note: string } }
  'receipts.proof': { params: { seq: number }; result: ReceiptProof }

  'network.status': { params: NoParams; result: NetworkStatus }

  'updates.status': { params: NoParams; result: UpdateStatus }
  /** Fails with ILLEGAL_ACTION (reason UPDATES_UNAVAILABLE) when this build does not update. */
  'updates.setAutoCheck': { params: { enabled: boolean }; result: UpdateStatus }
  /** Checks the release feed now; the result comes as `update` events. */
  'updates.check': { params: NoParams; result: UpdateStatus }
  /**
   * Quits and installs the verified update: call it only when the user agreed.
   * ILLEGAL_ACTION with reason NO_UPDATE_READY, or ACTION_IN_FLIGHT while any other call runs.
   */
  'updates.install': { params: NoParams; result: Done }

  /** Takes the oldest file the app was opened with and not yet taken; null when none. */
  'files.takeOpened': { params: NoParams; result: OpenedFile | null }
  'settings.get': { params: NoParams; result: Settings }
  /** Changes the fields given; returns every setting after the change. */
  'settings.set': { params: Partial<Settings>; result: Settings }

  /** Reads and checks a card (BAD_CONTACT; INVALID_INPUT for your own) without saving it. */
  'contacts.inspect': { params: { card: string }; result: CardPreview }
  /** bundles.verify with everything the Verify view shows (same checks, same first failure). */
  'bundles.report': { params: { bundle: string; at?: IsoTime }; result: BundleReport }
  'receipts.summary': { params: NoParams; result: ReceiptsSummary }
  /** Good checkpoints with size >= `from` (default 0), by size, at most `limit` (1..1000, default 100). */
  'receipts.checkpoints': { params: { from?: number; limit?: number }; result: CheckpointInfo[] }
  'diagnostics.metrics': { params: NoParams; result: DiagnosticsMetrics }
  'diagnostics.logs': { params: NoParams; result: DiagnosticsLogs }

  /** Adds a seeder to the profile's list; every encrypted negotiation then uses it. Adding one twice keeps the first. */
  'seeders.add': { params: { publicKey: PublicKeyHex }; result: SeederInfo }
  /** Removes a seeder from the profile's list (NOT_FOUND if it is not there). Seeders named by invites stay. */
  'seeders.remove': { params: { publicKey: PublicKeyHex }; result: Done }
  /** The profile's seeders and those invites named, with their state. */
  'seeders.list': { params: NoParams; result: SeederInfo[] }
  /** Whether everything you signed has reached a seeder. */
  'seeders.status': { params: NoParams; result: SeedingStatus }
  /** The live demo's state (phase `stopped` until demo.start). */
  'demo.state': { params: NoParams; result: DemoState }
  /** Starts the demo's DHT and its two peers if they are not running. */
  'demo.start': { params: NoParams; result: DemoState }
  /** Runs the next step (one protocol action) and answers once both sides have it. ILLEGAL_ACTION while autoplay or another step runs, or at the end. */
  'demo.step': { params: NoParams; result: DemoState }
  /** Runs the remaining steps one after the other, `pauseMs` apart (0 to 10,000; default 1,200); again while running changes the pause. */
  'demo.autoplay': { params: { pauseMs?: number }; result: DemoState }
  /** Stops autoplay after the step that is running. */
  'demo.pause': { params: NoParams; result: DemoState }
  /** Closes the peers and deletes their profiles, then starts fresh ones with new keys. */
  'demo.reset': { params: NoParams; result: DemoState }
  /** Closes the peers and deletes their profiles. */
  'demo.stop': { params: NoParams; result: DemoState }
  /** A message's full envelope, its signature verified by the engine. */
  'demo.envelope': { params: { hash: HashHex }; result: DemoEnvelope }
  /** The agreement bundle as one side exports it (default Alice): a `*.trust.json` name and its text. */
  'demo.export': { params: { side?: DemoSide }; result: { name: string; text: string } }
}

export type TrustMethod = keyof TrustMethods
export type TrustParams<M extends TrustMethod> = TrustMethods[M]['params']
export type TrustResult<M extends TrustMethod> = TrustMethods[M]['result']
/** Params may be left out when a method takes none. */
export type TrustParamsArg<M extends TrustMethod> =
  NoParams extends TrustParams<M> ? [params?: TrustParams<M>] : [params: TrustParams<M>]

/**
 * What the core implements, flat by method name, so IPC and JSON-RPC dispatch
 * is one lookup. A method throws TrustError; the surfaces turn it into ApiError.
 */
export type TrustApi = { [M in TrustMethod]: (params: TrustParams<M>) => Promise<TrustResult<M>> }

type AreaOf<M> = M extends `${infer A}.${string}` ? A : never
export type TrustArea = AreaOf<TrustMethod>

/** The same methods grouped by area, e.g. `api.identity.status()`, for UI convenience. */
export type TrustApiByArea = {
  [A in TrustArea]: {
    [M in TrustMethod as M extends `${A}.${infer V}` ? V : never]: (
      ...params: TrustParamsArg<M>
    ) => Promise<TrustResult<M>>
  }
}

// ---------------------------------------------------------------------------
// Events (window.trust.on, JSON-RPC notifications {"method":"event","params":{type,...}})

export type TrustEvent =
  /** A negotiation's state changed. */
  | { type: 'negotiation'; negotiation: NegotiationId; status: NegotiationStatus; termsHash: HashHex }
  /** A message arrived (or was sent), with the fold's verdict. */
  | {
      type: 'message'
      negotiation: NegotiationId
      hash: HashHex
      author: PublicKeyHex
      messageType: MessageType
      verdict: Verdict
      reason?: RejectReason
    }
  | { type: 'peer'; publicKey: PublicKeyHex; connected: boolean; negotiations: NegotiationId[] }
  | { type: 'identity'; unlocked: boolean }
  /** A seeder connected or disconnected; `refusal` when it refused a request. */
  | { type: 'seeder'; publicKey: PublicKeyHex; connected: boolean; refusal?: SeederRefusal }
  | { type: 'job'; job: 'timeout' | 'checkpoint' | 'appeal'; ok: boolean; detail?: string }
  /** The update status changed (desktop app). */
  | { type: 'update'; status: UpdateStatus }
  /** A file was opened with the app: call `files.takeOpened` for it. */
  | { type: 'file-opened'; name: string }
  /** A setting changed (by this surface or another). */
  | { type: 'settings'; settings: Settings }
  /**
   * Desktop only, sent by the Electron shell (menu, trust:// links): where the
   * window should go. `to` is a `trust:` link or an app route such as `/settings`;
   * the renderer parses it like any untrusted text. The core never emits it.
   */
  | { type: 'navigate'; to: string }
  /** The live demo changed (a step, autoplay, a side's engine storing a message): its whole state. */
  | { type: 'demo'; state: DemoState }

export type TrustEventType = TrustEvent['type']
export type TrustEventOf<T extends TrustEventType> = Extract<TrustEvent, { type: T }>

/** What the preload exposes as `window.trust` (DESIGN.md section 11). */
export interface TrustBridge {
  /** Never rejects for an API error: the error comes back as `{ok: false}` with its code. */
  call<M extends TrustMethod>(method: M, ...params: TrustParamsArg<M>): Promise<ApiResult<TrustResult<M>>>
  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends TrustEventType>(type: T, listener: (event: TrustEventOf<T>) => void): () => void
}
