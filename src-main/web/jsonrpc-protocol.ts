/**
 * JSON-RPC 2.0 message handling, transport-free (https://www.jsonrpc.org/specification).
 * DESIGN section 11: errors from the core are `{code: -32000, message, data: {code:
 * <TrustError code>}}`; malformed requests get the standard codes and never take the
 * peer down. Params are by name only (an object) or absent.
 */
import { TrustError, type TrustErrorCode } from '../core/errors.js'
import { parseJson } from '../core/protocol/json.js'

export const RPC_PARSE_ERROR = -32700
export const RPC_INVALID_REQUEST = -32600
export const RPC_METHOD_NOT_FOUND = -32601
export const RPC_INVALID_PARAMS = -32602
export const RPC_INTERNAL_ERROR = -32603
/** Server-defined code for every TrustError (DESIGN section 11). */
export const RPC_TRUST_ERROR = -32000

export type JsonRpcId = string | number | null

export interface JsonRpcError {
  code: number
  message: string
  data?: { code: TrustErrorCode }
}

export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: JsonRpcId; result: unknown }
  | { jsonrpc: '2.0'; id: JsonRpcId; error: JsonRpcError }

export type Dispatch = (method: string, params: unknown) => Promise<unknown>

export interface RpcHandlerOptions {
  dispatch: Dispatch
  methods: ReadonlySet<string>
  /** Most requests in one batch. Default 100. */
  maxBatch?: number
  /** Nesting limit of a request, against stack exhaustion in handlers. Default 64. */
  maxDepth?: number
  /** Told about non-TrustError failures, which clients only see as "Internal error". */
  onInternalError?: (err: unknown, method: string) => void
}

/**
 * Handles one WebSocket text message (a request, a notification or a batch) and
 * returns the response text, or undefined when nothing must be sent (notifications
 * only). Never throws and never rejects.
 */
export async function handleRpcText(text: string, options: RpcHandlerOptions): Promise<string | undefined> {
  let message: unknown
  try {
    message = parseJson(text, { strict: false, maxDepth: options.maxDepth ?? 64 })
  } catch (err) {
    const why = err instanceof TrustError ? err.message : 'not JSON'
    return serialize(errorResponse(null, RPC_PARSE_ERROR, `Parse error: ${why}`))
  }
  if (!Array.isArray(message)) {
    return handleRequest(message, options)
  }
  const maxBatch = options.maxBatch ?? 100
  if (message.length === 0) return serialize(errorResponse(null, RPC_INVALID_REQUEST, 'Invalid Request: empty batch'))
  if (message.length > maxBatch) {
    return serialize(
      errorResponse(null, RPC_INVALID_REQUEST, `Invalid Request: batch of ${message.length}; the limit is ${maxBatch}`),
    )
  }
  // Sequential on purpose: calls in one batch take effect in the order sent.
  const parts: string[] = []
  for (const item of message) {
    const response = await handleRequest(item, options)
    if (response !== undefined) parts.push(response)
  }
  return parts.length === 0 ? undefined : `[${parts.join(',')}]`
}

/** A parse error response, for frames that are not even text (binary frames). */
export function parseErrorText(why: string): string {
  return serialize(errorResponse(null, RPC_PARSE_ERROR, `Parse error: ${why}`))
}

/** Builds the notification sent to clients for a core event (DESIGN section 11). */
export function eventNotificationText(event: { type: string }): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'event', params: event })
}

/** Returns the serialized response, or undefined for a notification. */
async function handleRequest(request: unknown, options: RpcHandlerOptions): Promise<string | undefined> {
  const response = await answer(request, options)
  if (response === undefined || typeof response === 'string') return response
  return serialize(response)
}

async function answer(request: unknown, options: RpcHandlerOptions): Promise<JsonRpcResponse | string | undefined> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return errorResponse(null, RPC_INVALID_REQUEST, 'Invalid Request: a request must be an object')
  }
  const r = request as Record<string, unknown>
  const hasId = Object.hasOwn(r, 'id')
  const idIsValid = !hasId || isValidId(r.id)
  // Per the spec, an id that cannot be read is answered as null.
  const id: JsonRpcId = hasId && idIsValid ? (r.id as JsonRpcId) : null
  if (!idIsValid) return errorResponse(null, RPC_INVALID_REQUEST, 'Invalid Request: id must be a string, a number or null')
  if (r.jsonrpc !== '2.0') return errorResponse(id, RPC_INVALID_REQUEST, 'Invalid Request: jsonrpc must be "2.0"')
  if (typeof r.method !== 'string') return errorResponse(id, RPC_INVALID_REQUEST, 'Invalid Request: method must be a string')
  const method = r.method
  const isNotification = !hasId
  if (!options.methods.has(method)) {
    return isNotification ? undefined : errorResponse(id, RPC_METHOD_NOT_FOUND, `Method not found: ${clip(method)}`)
  }
  const params = r.params
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    return isNotification
      ? undefined
      : errorResponse(id, RPC_INVALID_PARAMS, 'Invalid params: params must be an object (by name) or absent')
  }

  let result: unknown
  try {
    result = await options.dispatch(method, params)
  } catch (err) {
    if (err instanceof TrustError) {
      return isNotification ? undefined : errorResponse(id, RPC_TRUST_ERROR, err.message, { code: err.code })
    }
    options.onInternalError?.(err, method)
    return isNotification ? undefined : errorResponse(id, RPC_INTERNAL_ERROR, 'Internal error')
  }
  if (isNotification) return undefined
  // Serialized here so an unserializable result (a cycle, a BigInt) becomes an error, not a crash.
  try {
    return serialize({ jsonrpc: '2.0', id, result: result === undefined ? null : result })
  } catch (err) {
    options.onInternalError?.(err, method)
    return errorResponse(id, RPC_INTERNAL_ERROR, 'Internal error: the result is not JSON')
  }
}

function isValidId(id: unknown): boolean {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

function errorResponse(id: JsonRpcId, code: number, message: string, data?: { code: TrustErrorCode }): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: data ? { code, message, data } : { code, message } }
}

function serialize(response: JsonRpcResponse): string {
  return JSON.stringify(response)
}

/** Method names are echoed in errors; a hostile one is cut short. */
function clip(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}...` : text)
}
