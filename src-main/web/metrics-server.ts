/**
 * A metrics-only HTTP server on 127.0.0.1 (`trust seeder --metrics-port`): GET
 * /metrics with the token (`?token=` or `Authorization: Bearer`), like the one
 * `trust serve` has beside its API (DESIGN section 11). The Host check keeps a web
 * page that rebinds a name to 127.0.0.1 out even if it guessed the port.
 */
import http from 'node:http'
import { TrustError } from '../core/errors.js'
import type { Logger } from '../core/telemetry/logger.js'
import { checkApiToken, tokenMatches } from './api-token.js'

const HOST = '127.0.0.1'

export interface MetricsServer {
  readonly port: number
  /** http://127.0.0.1:<port>/metrics (without the token) */
  readonly url: string
  close(): Promise<void>
}

export async function startMetricsServer(opts: { port: number; token: string; text: () => Promise<string>; logger?: Logger }): Promise<MetricsServer> {
  if (!Number.isSafeInteger(opts.port) || opts.port < 0 || opts.port > 65_535) throw TrustError.invalidInput('port must be an integer from 0 to 65535')
  const token = checkApiToken(opts.token)
  let boundPort = opts.port
  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Cache-Control', 'no-store')
    const plain = (status: number, text: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers })
      res.end(text)
    }
    const host = (req.headers.host ?? '').toLowerCase()
    if (host !== `${HOST}:${boundPort}` && host !== `localhost:${boundPort}`) return plain(403, 'forbidden host')
    let url: URL
    try {
      url = new URL(req.url ?? '/', `http://${HOST}`)
    } catch {
      return plain(400, 'bad request')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'method not allowed', { Allow: 'GET, HEAD' })
    if (url.pathname !== '/metrics') return plain(404, 'not found')
    const auth = req.headers.authorization
    const presented = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : url.searchParams.get('token')
    if (!tokenMatches(token, presented)) return plain(401, 'unauthorized', { 'WWW-Authenticate': 'Bearer' })
    opts.text().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
        res.end(req.method === 'HEAD' ? undefined : text)
      },
      (err: unknown) => {
        opts.logger?.error({ err }, 'metrics failed')
        if (!res.headersSent) plain(500, 'internal error')
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new TrustError('NETWORK', `cannot listen on ${HOST}:${opts.port}: ${err.message}`)))
    server.listen(opts.port, HOST, () => resolve())
  })
  const address = server.address()
  boundPort = typeof address === 'object' && address !== null ? address.port : opts.port
  return {
    port: boundPort,
    url: `http://${HOST}:${boundPort}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
