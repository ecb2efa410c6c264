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
    const c = this.text[this.pos]
    switch (c) {
      case '{':
        return this.parseObject(depth)
      case '[':
        return this.parseArray(depth)
      case '"':
        return this.parseString()
      case 't':
        return this.literal('true', true)
      case 'f':
        return this.literal('false', false)
      case 'n':
        return this.literal('null', null)
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.parseNumber()
        return this.fail(c === undefined ? 'unexpected end' : `unexpected character ${JSON.stringify(c)}`)
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
    const seen = new Set<string>()
    this.skipWhitespace()
    if (this.text[this.pos] === '}') {
      this.pos++
      return out
    }
    for (;;) {
      this.skipWhitespace()
      if (this.text[this.pos] !== '"') this.fail('expected a string key')
      const key = this.parseString()
      if (seen.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`)
      seen.add(key)
      this.skipWhitespace()
      if (this.text[this.pos] !== ':') this.fail('expected :')
      this.pos++
      this.skipWhitespace()
      setMember(out, key, this.parseValue(depth + 1))
      this.skipWhitespace()
      const c = this.text[this.pos]
      if (c === ',') {
        this.pos++
        continue
      }
      if (c === '}') {
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
    if (this.text[this.pos] === ']') {
      this.pos++
      return out
    }
    for (;;) {
      this.skipWhitespace()
      out.push(this.parseValue(depth + 1))
      this.skipWhitespace()
      const c = this.text[this.pos]
      if (c === ',') {
        this.pos++
        continue
      }
      if (c === ']') {
        this.pos++
        return out
      }
      this.fail('expected , or ]')
    }
  }

  parseString(): string {
    const start = this.pos
    this.pos++ // opening quote
    const t = this.text
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string')
      const c = t.charCodeAt(this.pos)
      if (c === 0x22) break
      if (c < 0x20) this.fail('control character in string')
      if (c === 0x5c) {
        const e = t[this.pos + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) this.fail('bad \\u escape')
          this.pos += 6
          continue
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail('bad escape')
        this.pos += 2
        continue
      }
      this.pos++
    }
    this.pos++ // closing quote
    // The syntax is checked above, so JSON.parse of the literal cannot fail; it decodes escapes.
    const value = JSON.parse(t.slice(start, this.pos)) as string
    if (hasLoneSurrogate(value)) {
      this.pos = start
      this.fail('string holds a lone surrogate')
    }
    return value
  }

  parseNumber(): number {
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400))
    if (!m) return this.fail('bad number')
    const literal = m[0]
    const value = Number(literal)
    if (this.strict) {
      if (m[1] !== undefined || m[2] !== undefined) this.fail('floats and exponents are not allowed')
      if (Object.is(value, -0)) this.fail('-0 is not allowed')
      if (!Number.isSafeInteger(value)) this.fail('integers beyond 2^53 are not allowed')
    } else if (!Number.isFinite(value)) {
      this.fail('number out of range')
    }
    this.pos += literal.length
    return value
  }
}

/**
 * A member of a plain object. A `__proto__` key is defined as an own property, so
 * it stays data and never reaches the prototype (assignment would set it).
 */
function setMember(obj: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}
