/**
 * A token bucket (DESIGN section 5, hostile peers): `burst` tokens at most,
 * refilled at `ratePerSecond`. The clock is an argument so the arithmetic can
 * be tested without waiting.
 */
import { TrustError } from '../errors.js'

export type Clock = () => number

export class TokenBucket {
  readonly ratePerSecond: number
  readonly burst: number
  private tokens: number
  private last: number
  private readonly now: Clock

  constructor(opts: { ratePerSecond: number; burst: number; now?: Clock }) {
    const { ratePerSecond, burst } = opts
    if (!Number.isFinite(ratePerSecond) || ratePerSecond <= 0) {
      throw TrustError.invalidInput('a token bucket rate must be a positive number')
    }
    if (!Number.isSafeInteger(burst) || burst < 1) {
      throw TrustError.invalidInput('a token bucket burst must be a positive integer')
    }
    this.ratePerSecond = ratePerSecond
    this.burst = burst
    this.now = opts.now ?? Date.now
    this.tokens = burst
    this.last = this.now()
  }

  /** Tokens available now (fractional while refilling). */
  available(): number {
    this.refill()
    return this.tokens
  }

  /** Takes `count` tokens if they are all there; otherwise takes none and returns false. */
  take(count = 1): boolean {
    if (!Number.isSafeInteger(count) || count < 1) throw TrustError.invalidInput('take() needs a positive integer')
    this.refill()
    if (this.tokens < count) return false
    this.tokens -= count
    return true
  }

  private refill(): void {
    const t = this.now()
    // A clock that steps backwards refills nothing rather than draining the bucket.
    const elapsed = Math.max(0, t - this.last)
    this.last = Math.max(this.last, t)
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000)
  }
}
