/**
 * The local JSON-RPC 2.0 server over WebSocket (DESIGN section 11, browser mode):
 * `ws://127.0.0.1:<port>/api?token=<token>`, 127.0.0.1 only, refused without the
 * token; GET /metrics (token required, as `?token=` or `Authorization: Bearer`);
 * GET / serves the browser UI from `staticDir`. Plain Node: no Electron here.
 *
 * Nothing a client sends may take the server down: every frame is handled by
 * handleRpcText (never throws), oversized frames close that one connection with
 * 1009, invalid UTF-8 with 1007, and every socket has an error handler.
 */
import http from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, WebSocket, type RawData } from 'ws'
import { TrustError } from '../core/errors.js'
import type { Logger } from '../core/telemetry/logger.js'
import { checkApiToken, generateApiToken, tokenMatches } from './api-token.js'
import { eventNotificationText, handleRpcText, parseErrorText } from './jsonrpc-protocol.js'
import { resolveStaticFile, resolveStaticRoot, sendStaticFile } from './static-files.js'

export interface RpcEvent {
  type: string
  [key: string]: unknown
}

export interface RpcEventSource {
  /** Subscribes; returns the unsubscribe function. */
  on(listener: (event: RpcEvent) => void): () => void
}

export interface JsonRpcServerOptions {
  /** 0 (default) picks any free port. */
  port?: number
  dispatch: (method: string, params: unknown) => Promise<unknown>
  methods: readonly string[]
  events: RpcEventSource
  metricsText?: () => Promise<string> | string
  /** Default: 32 fresh random bytes. */
  token?: string
  staticDir?: string
  logger?: Pick<Logger, 'warn' | 'error' | 'debug'>
  /** Largest WebSocket message accepted; larger ones close the connection with 1009. Default 1 MiB. */
  maxMessageBytes?: number
  /** Default 32. */
  maxClients?: number
}

export interface JsonRpcServer {
  /** ws://127.0.0.1:<port>/api?token=<token> */
  readonly url: string
  /**
   * http://127.0.0.1:<port>/#token=<token>: the browser UI. The token rides in the
   * fragment, which browsers never send to a server nor put in a Referer.
   */
  readonly appUrl: string
  readonly port: number
  readonly token: string
  /** Number of open WebSocket clients. */
  clientCount(): number
  close(): Promise<void>
}

export const HOST = '127.0.0.1'
/** Requests one connection may have in flight before we stop reading its socket. */
const MAX_IN_FLIGHT = 16
/** A client this far behind on reading is cut off rather than buffered without end. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024

export async function startJsonRpcServer(options: JsonRpcServerOptions): Promise<JsonRpcServer> {
  const port = options.port ?? 0
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) {
    throw TrustError.invalidInput('port must be an integer from 0 to 65535')
  }
  if (typeof options.dispatch !== 'function') throw TrustError.invalidInput('dispatch must be a function')
  if (!Array.isArray(options.methods) || !options.methods.every((m) => typeof m === 'string')) {
    throw TrustError.invalidInput('methods must be an array of method names')
  }
  const token = options.token === undefined ? generateApiToken() : checkApiToken(options.token)
  const staticRoot = options.staticDir === undefined ? undefined : resolveStaticRoot(options.staticDir)
  const maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024
  const maxClients = options.maxClients ?? 32
  const methods: ReadonlySet<string> = new Set(options.methods)
  const logger = options.logger

  const httpServer = http.createServer()
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes, perMessageDeflate: false })
  const clients = new Set<WebSocket>()
  let boundPort = port

  const allowedHosts = (): Set<string> => new Set([`${HOST}:${boundPort}`, `localhost:${boundPort}`])
  const allowedOrigins = (): Set<string> => new Set([`http://${HOST}:${boundPort}`, `http://localhost:${boundPort}`])

  const rpcOptions = {
    dispatch: options.dispatch,
    methods,
    onInternalError: (err: unknown, method: string) => logger?.error({ err, method }, 'JSON-RPC method failed'),
  }

  httpServer.on('request', (req, res) => {
    setCommonHeaders(res, boundPort)
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
    if (!allowedHosts().has((req.headers.host ?? '').toLowerCase())) return plain(res, 403, 'forbidden host')
    const url = parseUrl(req.url)
    if (!url) return plain(res, 400, 'bad request')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return plain(res, 405, 'method not allowed')
    }
    if (url.pathname === '/metrics') return void serveMetrics(req, res, url)
    if (url.pathname === '/api') return plain(res, 426, 'this endpoint speaks WebSocket', { Upgrade: 'websocket' })
    if (!staticRoot) return plain(res, 404, 'not found')
    const file = resolveStaticFile(staticRoot, url.pathname)
    if (!file) return plain(res, 404, 'not found')
    sendStaticFile(req, res, file)
  })

  async function serveMetrics(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (!options.metricsText) return plain(res, 404, 'not found')
    if (!tokenMatches(token, presentedToken(req, url))) {
      return plain(res, 401, 'unauthorized', { 'WWW-Authenticate': 'Bearer' })
    }
    try {
      const text = await options.metricsText()
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
      res.end(req.method === 'HEAD' ? undefined : text)
    } catch (err) {
      logger?.error({ err }, 'metrics failed')
      if (!res.headersSent) plain(res, 500, 'internal error')
    }
  }

  httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const url = parseUrl(req.url)
    if (!allowedHosts().has((req.headers.host ?? '').toLowerCase())) return refuse(socket, 403, 'Forbidden')
    if (!url || url.pathname !== '/api') return refuse(socket, 404, 'Not Found')
    if (!tokenMatches(token, presentedToken(req, url))) return refuse(socket, 401, 'Unauthorized')
    // Browsers always send Origin; a page from anywhere else is refused even with a leaked token.
    const origin = req.headers.origin
    if (origin !== undefined && !allowedOrigins().has(origin.toLowerCase())) return refuse(socket, 403, 'Forbidden')
    if (clients.size >= maxClients) return refuse(socket, 503, 'Service Unavailable')
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws))
  })

  httpServer.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })

  function onConnection(ws: WebSocket): void {
    clients.add(ws)
    let inFlight = 0
    ws.on('error', (err) => logger?.debug({ err: err.message }, 'JSON-RPC client error'))
    ws.on('close', () => clients.delete(ws))
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return send(ws, parseErrorText('binary frames are not accepted; send JSON as text'))
      inFlight++
      if (inFlight >= MAX_IN_FLIGHT) ws.pause() // backpressure instead of an unbounded queue
      void handleRpcText(rawToString(data), rpcOptions)
        .then((response) => {
          if (response !== undefined) send(ws, response)
        })
        .finally(() => {
          inFlight--
          if (inFlight < MAX_IN_FLIGHT && ws.isPaused && ws.readyState === WebSocket.OPEN) ws.resume()
        })
    })
  }

  function send(ws: WebSocket, text: string): void {
    if (ws.readyState !== WebSocket.OPEN) return
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      logger?.warn({ buffered: ws.bufferedAmount }, 'JSON-RPC client too slow; disconnecting it')
      ws.terminate()
      return
    }
    ws.send(text, (err) => {
      if (err) logger?.debug({ err: err.message }, 'JSON-RPC send failed')
    })
  }

  const unsubscribe = options.events.on((event) => {
    let text: string
    try {
      if (typeof event?.type !== 'string') throw new TypeError('an event needs a string type')
      text = eventNotificationText(event)
    } catch (err) {
      logger?.error({ err }, 'event dropped: not serializable')
      return
    }
    for (const ws of clients) send(ws, text)
  })

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject)
      httpServer.listen({ port, host: HOST, exclusive: true }, () => {
        httpServer.removeListener('error', reject)
        resolve()
      })
    })
  } catch (err) {
    unsubscribe()
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown'
    throw new TrustError('NETWORK', `cannot listen on ${HOST}:${port} (${code})`)
  }
  httpServer.on('error', (err) => logger?.error({ err }, 'JSON-RPC HTTP server error'))
  const address = httpServer.address()
  boundPort = typeof address === 'object' && address !== null ? address.port : port

  let closing: Promise<void> | undefined
  return {
    url: `ws://${HOST}:${boundPort}/api?token=${token}`,
    appUrl: `http://${HOST}:${boundPort}/#token=${token}`,
    port: boundPort,
    token,
    clientCount: () => clients.size,
    close() {
      closing ??= (async () => {
        unsubscribe()
        const closed = [...clients].map((ws) => closeClient(ws))
        await Promise.all(closed)
        wss.close()
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve())
          httpServer.closeAllConnections()
        })
      })()
      return closing
    },
  }
}

/** Closes with 1001 (going away) and waits for the close handshake, cutting it off after 2 s. */
function closeClient(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), 2_000)
    timer.unref()
    ws.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    ws.close(1001, 'server shutting down')
  })
}

function presentedToken(req: http.IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim()
  return url.searchParams.get('token')
}

function parseUrl(raw: string | undefined): URL | null {
  if (typeof raw !== 'string' || !raw.startsWith('/')) return null
  try {
    return new URL(raw, `http://${HOST}`)
  } catch {
    return null
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

function refuse(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }
  socket.destroy()
}

function plain(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers })
  res.end(`${text}\n`)
}

/**
 * A strict CSP for the browser UI: only our own scripts and styles, and connections
 * only back to this server. Plus the usual anti-framing and anti-sniffing headers.
 */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ')
}

function setCommonHeaders(res: http.ServerResponse, port: number): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(port))
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
}
