/**
 * A strict JSON parser for untrusted bytes. JSON.parse keeps the last of two
 * duplicate keys and accepts lone surrogates; two readers can then disagree on
 * what a signed message says. This parser refuses both (RFC 7493 I-JSON 2.1, 2.3),
 * and in strict mode also floats, exponents, -0 and integers beyond 2^53
 * (DESIGN section 3). Every failure is a TrustError('INVALID_ENCODING').
 */
import { TrustError } from '../errors.js'
import type { JsonValue } from './jcs.js'
import { hasLoneSurrogate } from './jcs.js'

export interface ParseOptions {
  /** Refuse non-integers, -0 and unsafe integers (the protocol's value space). Default true. */
  strict?: boolean
  /** Maximum nesting depth, against stack exhaustion. Default 64. */
  maxDepth?: number
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Decodes UTF-8 strictly (invalid sequences refused) and parses. */
export function parseJsonBytes(bytes: Uint8Array, options?: ParseOptions): JsonValue {
  let text: string
  try {
    text = fatalUtf8.decode(bytes)
  } catch {
    throw TrustError.invalidEncoding('bytes are not valid UTF-8')
  }
  return parseJson(text, options)
}

export function parseJson(text: string, options: ParseOptions = {}): JsonValue {
  if (typeof text !== 'string') throw TrustError.invalidEncoding('JSON input must be a string')
  const parser = new Parser(text, options.strict ?? true, options.maxDepth ?? 64)
  parser.skipWhitespace()
  const value = parser.parseValue(0)
  parser.skipWhitespace()
  if (parser.pos !== text.length) parser.fail('unexpected data after the JSON value')
  return value
}

class Parser {
  pos = 0
  constructor(
    readonly text: string,
    readonly strict: boolean,
    readonly maxDepth: number,
  ) {}

  fail(what: string): never {
    throw TrustError.invalidEncoding(`invalid JSON at offset ${this.pos}: ${what}`)
  }

  skipWhitespace(): void {
    const t = this.text
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++
      else break
    }
  }

  parseValue(depth: number): JsonValue {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`)
    switch (this.text.charCodeAt(this.pos)) {
      case 0x7b: // {
        return this.parseObject(depth)
      case 0x5b: // [
        return this.parseArray(depth)
      case 0x22: // "
        return this.parseString()
      case 0x74: // t
        return this.literal('true', true)
      case 0x66: // f
        return this.literal('false', false)
      case 0x6e: // n
        return this.literal('null', null)
      default: {
        const c = this.text[this.pos]
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.parseNumber()
        return this.fail(c === undefined ? 'unexpected end' : `unexpected character ${JSON.stringify(c)}`)
      }
    }
  }

  literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected ${word}`)
    this.pos += word.length
    return value
  }

  parseObject(depth: number): JsonValue {
    this.pos++ // {
    const out: Record<string, JsonValue> = {}
    this.skipWhitespace()
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++
      return out
    }
    for (;;) {
      this.skipWhitespace()
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('expected a string key')
      const key = this.parseString()
      // `out` has an own property for each key read so far and no other
      // (setMember defines even `__proto__` as one): hasOwn is "seen before".
      if (Object.hasOwn(out, key)) this.fail(`duplicate key ${JSON.stringify(key)}`)
      this.skipWhitespace()
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail('expected :')
      this.pos++
      this.skipWhitespace()
      setMember(out, key, this.parseValue(depth + 1))
      this.skipWhitespace()
      const c = this.text.charCodeAt(this.pos)
      if (c === 0x2c) {
        this.pos++
        continue
      }
      if (c === 0x7d) {
        this.pos++
        return out
      }
      this.fail('expected , or }')
    }
  }

  parseArray(depth: number): JsonValue {
    this.pos++ // [
    const out: JsonValue[] = []
    this.skipWhitespace()
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++
      return out
    }
    for (;;) {
      this.skipWhitespace()
      out.push(this.parseValue(depth + 1))
      this.skipWhitespace()
      const c = this.text.charCodeAt(this.pos)
      if (c === 0x2c) {
        this.pos++
        continue
      }
      if (c === 0x5d) {
        this.pos++
        return out
      }
      this.fail('expected , or ]')
    }
  }

  parseString(): string {
    const start = this.pos
    const t = this.text
    let i = start + 1 // after the opening quote
    let escapes = false
    let surrogates = false
    for (;;) {
      if (i >= t.length) {
        this.pos = i
        this.fail('unterminated string')
      }
      const c = t.charCodeAt(i)
      if (c === 0x22) break
      if (c < 0x20) {
        this.pos = i
        this.fail('control character in string')
      }
      if (c === 0x5c) {
        escapes = true
        const e = t[i + 1]
        if (e === 'u') {
          if (!HEX4_RE.test(t.slice(i + 2, i + 6))) {
            this.pos = i
            this.fail('bad \\u escape')
          }
          i += 6
          continue
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.pos = i
          this.fail('bad escape')
        }
        i += 2
        continue
      }
      if (c >= 0xd800 && c <= 0xdfff) surrogates = true
      i++
    }
    this.pos = i + 1 // after the closing quote
    // Without escapes the literal is the value. With them, the syntax is checked
    // above, so JSON.parse of the literal cannot fail; it decodes the escapes.
    const value = escapes ? (JSON.parse(t.slice(start, this.pos)) as string) : t.slice(start + 1, i)
    // A lone surrogate can only come from a \u escape or a surrogate in the text.
    if ((escapes || surrogates) && hasLoneSurrogate(value)) {
      this.pos = start
      this.fail('string holds a lone surrogate')
    }
    return value
  }

  /**
   * The longest prefix, within the next MAX_NUMBER_CHARS characters, of
   * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; a fraction or exponent
   * that is not complete is left unread, as the regex would leave it.
   */
  parseNumber(): number {
    const t = this.text
    const start = this.pos
    const end = Math.min(t.length, start + MAX_NUMBER_CHARS)
    let i = start
    if (t.charCodeAt(i) === 0x2d) i++ // -
    if (i >= end) return this.fail('bad number')
    const first = t.charCodeAt(i)
    if (first === 0x30) i++
    else if (first >= 0x31 && first <= 0x39) i = digitsEnd(t, i + 1, end)
    else return this.fail('bad number')
    let fraction = false
    if (i + 1 < end && t.charCodeAt(i) === 0x2e && isDigit(t.charCodeAt(i + 1))) {
      fraction = true
      i = digitsEnd(t, i + 2, end)
    }
    let exponent = false
    if (i < end && (t.charCodeAt(i) | 0x20) === 0x65) {
      // e or E
      let j = i + 1
      const sign = t.charCodeAt(j)
      if (j < end && (sign === 0x2b || sign === 0x2d)) j++
      if (j < end && isDigit(t.charCodeAt(j))) {
        exponent = true
        i = digitsEnd(t, j + 1, end)
      }
    }
    const literal = t.slice(start, i)
    const value = Number(literal)
    if (this.strict) {
      if (fraction || exponent) this.fail('floats and exponents are not allowed')
      if (Object.is(value, -0)) this.fail('-0 is not allowed')
      if (!Number.isSafeInteger(value)) this.fail('integers beyond 2^53 are not allowed')
    } else if (!Number.isFinite(value)) {
      this.fail('number out of range')
    }
    this.pos = i
    return value
  }
}

const HEX4_RE = /^[0-9a-fA-F]{4}$/

/** Longest number literal read: a longer one is cut there, and what follows is then refused as syntax. */
const MAX_NUMBER_CHARS = 400

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** The index of the first non-digit at or after `i`, at most `end`. */
function digitsEnd(t: string, i: number, end: number): number {
  while (i < end && isDigit(t.charCodeAt(i))) i++
  return i
}

/**
 * A member of a plain object. A `__proto__` key is defined as an own property, so
 * it stays data and never reaches the prototype (assignment would set it).
 */
function setMember(obj: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}
