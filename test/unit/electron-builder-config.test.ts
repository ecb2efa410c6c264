/**
 * electron-builder.yml (DESIGN.md section 12), checked the way electron-builder
 * itself reads and validates it (app-builder-lib's loader and its JSON-schema
 * validator), plus what the schema cannot say: the fuses, the trust:// protocol,
 * the *.trust.json association, per-user Windows install, hardened macOS
 * runtime, and that every file it names exists. The real packer runs on it in
 * test/integration/packaging.test.ts.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'

const projectDir = path.resolve(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)

type Config = Record<string, unknown> & {
  appId: string
  productName: string
  files: string[]
  asarUnpack: string[]
  electronFuses: Record<string, boolean>
  protocols: { name: string; schemes: string[] }[]
  fileAssociations: { ext: string; name: string; mimeType: string; role: string }[]
  publish: { provider: string }[]
  mac: Record<string, unknown> & { target: { target: string }[]; entitlements: string; entitlementsInherit: string; icon: string }
  win: Record<string, unknown> & { target: { target: string }[]; icon: string }
  nsis: Record<string, unknown>
  linux: Record<string, unknown> & { target: { target: string }[]; icon: string; category: string }
}

interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Config>
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>
}

const builderConfig = require('app-builder-lib/out/util/config/config.js') as ConfigModule
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

async function load(): Promise<Config> {
  return builderConfig.getConfig(projectDir, null, null)
}

async function validate(config: unknown): Promise<void> {
  await builderConfig.validateConfiguration(config, new DebugLogger(false))
}

describe('electron-builder.yml', () => {
  it('validates against the installed electron-builder schema', async () => {
    const config = await load()
    expect(config.appId).toBe('org.trustprimitive.app')
    await expect(validate(config)).resolves.toBeUndefined()
  })

  it('the validator is live: a misspelt option is refused', async () => {
    const config = await load()
    await expect(validate({ ...config, nsis: { ...config.nsis, oneclick: true } })).rejects.toThrow(/nsis/)
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).rejects.toThrow(/electronFuses/)
  })

  it('is what electron-builder loads (no second config in package.json)', async () => {
    const onDisk = parseYaml(fs.readFileSync(path.join(projectDir, 'electron-builder.yml'), 'utf8')) as Config
    const pkg = JSON.parse(fs.readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as { build?: unknown }
    expect(pkg.build).toBeUndefined()
    expect((await load()).appId).toBe(onDisk.appId)
  })

  it('flips the fuses of a hardened build', async () => {
    const { electronFuses } = await load()
    expect(electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    })
  })

  it('registers trust:// and *.trust.json on every platform', async () => {
    const config = await load()
    expect(config.protocols.flatMap((p) => p.schemes)).toEqual(['trust'])
    expect(config.fileAssociations).toHaveLength(1)
    const [association] = config.fileAssociations
    expect(association).toMatchObject({ ext: 'trust.json', role: 'Viewer' })
    expect(association!.mimeType).toMatch(/^application\/[a-z0-9.+-]+\+json$/)
    // the association must not be overridden per platform
    for (const platform of [config.mac, config.win, config.linux]) {
      expect(platform['fileAssociations']).toBeUndefined()
      expect(platform['protocols']).toBeUndefined()
    }
  })

  it('builds every installer the issue names, per-user on Windows, hardened on macOS', async () => {
    const config = await load()
    expect(config.linux.target.map((t) => t.target).sort()).toEqual(['AppImage', 'deb'])
    expect(config.linux.category).toBe('Office')
    expect(config.mac.target.map((t) => t.target).sort()).toEqual(['dmg', 'zip'])
    expect(config.mac['hardenedRuntime']).toBe(true)
    expect(config.mac['notarize']).not.toBe(false)
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis'])
    expect(config.nsis).toMatchObject({ perMachine: false, deleteAppDataOnUninstall: false })
    expect(config.publish.map((p) => p.provider)).toEqual(['github'])
    expect(config['npmRebuild']).not.toBe(false)
  })

  it('names files that exist, and macOS entitlements limited to the JIT', async () => {
    const config = await load()
    for (const rel of [config.mac.icon, config.win.icon, config.mac.entitlements, config.mac.entitlementsInherit]) {
      expect(fs.existsSync(path.join(projectDir, rel)), rel).toBe(true)
    }
    expect(fs.readdirSync(path.join(projectDir, config.linux.icon))).toContain('512x512.png')
    const entitlements = fs.readFileSync(path.join(projectDir, config.mac.entitlements), 'utf8')
    expect([...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual(['com.apple.security.cs.allow-jit'])
  })

  it('packs only the build output and package.json of the project itself', async () => {
    // the file as written: electron-builder's loader turns `files` into file sets
    const config = parseYaml(fs.readFileSync(path.join(projectDir, 'electron-builder.yml'), 'utf8')) as Config
    const included = config.files.filter((f) => !f.startsWith('!'))
    expect(included.sort()).toEqual(['out/**/*', 'package.json'])
  })
})
