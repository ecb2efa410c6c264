/**
 * The packaged app, short of building installers (the Electron binary cannot be
 * downloaded here): the app is built with electron-vite (in a temporary folder,
 * so the project's own out/ is never touched while other tests run), then packed
 * by the real electron-builder with electron-builder.yml (its `out/**` entry
 * pointed at that build) for a Linux `dir` target over a stand-in Electron
 * distribution (test/fixtures/packaging.ts). The resulting
 * app.asar, app.asar.unpacked and binary are checked against what the built
 * main process actually imports, so a new native dependency, a renderer library
 * left in `dependencies` or a lost entry file fails here, not on a user's machine.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import * as asar from '@electron/asar'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { minimatch } from 'minimatch'
import { parse as parseYaml } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bareImportsOf,
  dependencyClosure,
  filesOfPackage,
  isNativePackage,
  packageNameOf,
  readPackageJson,
  runCommand,
  writeFakeElectronDist,
  type InstalledPackage,
} from '../fixtures/packaging.js'

const projectDir = path.resolve(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)
const platformArch = `linux-${process.arch}`

interface BuilderConfig {
  asarUnpack: string[]
  npmRebuild?: boolean
  files: (string | { from: string; to: string; filter: string[] })[]
}

/** What electron-vite needs to build: the project's files, linked into a scratch folder. */
const BUILD_INPUTS = ['src-main', 'src-preload', 'src-renderer', 'node_modules', 'electron.vite.config.ts', 'package.json', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json']

let tmp: string
/** The fresh build output (the scratch project's out/). */
let outDir: string
let appOutDir: string
let asarPath: string
/** Every path in app.asar, without the leading slash. */
let packed: string[]
let closure: Map<string, InstalledPackage>
let mainImports: Set<string>
/** Package folders in the archive (electron-builder re-hoists the tree) -> `name@version`. */
let packedPackages: Map<string, string>
const config = parseYaml(fs.readFileSync(path.join(projectDir, 'electron-builder.yml'), 'utf8')) as BuilderConfig

function binOf(pkg: string, name: string): string {
  const pkgJsonPath = require.resolve(`${pkg}/package.json`)
  const bin = (JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8')) as { bin: Record<string, string> | string }).bin
  return path.join(path.dirname(pkgJsonPath), typeof bin === 'string' ? bin : bin[name]!)
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-packaging-'))
  const buildDir = path.join(tmp, 'build')
  fs.mkdirSync(buildDir)
  for (const name of BUILD_INPUTS) fs.symlinkSync(path.join(projectDir, name), path.join(buildDir, name))
  const build = await runCommand(process.execPath, [binOf('electron-vite', 'electron-vite'), 'build'], buildDir)
  expect(build.code, build.output).toBe(0)
  outDir = path.join(buildDir, 'out')
  // electron-builder.yml as written, but `out/**/*` taken from the scratch build
  expect(config.files).toContain('out/**/*')
  const packConfig = { ...config, files: config.files.map((f) => (f === 'out/**/*' ? { from: outDir, to: 'out', filter: ['**/*'] } : f)) }
  const packConfigPath = path.join(tmp, 'electron-builder.json')
  fs.writeFileSync(packConfigPath, JSON.stringify(packConfig))

  const electronDist = path.join(tmp, 'electron-dist')
  writeFakeElectronDist(electronDist, readPackageJson(path.join(projectDir, 'node_modules/electron')).version!)
  // npmRebuild would compile better-sqlite3 against Electron's headers, which
  // cannot be downloaded here; the release workflow runs it for real.
  const pack = await runCommand(
    process.execPath,
    [
      binOf('electron-builder', 'electron-builder'),
      '--linux',
      'dir',
      `--${process.arch}`,
      '--publish',
      'never',
      '--config',
      packConfigPath,
      `-c.electronDist=${electronDist}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${path.join(tmp, 'dist')}`,
    ],
    projectDir,
    { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
  )
  expect(pack.code, pack.output).toBe(0)
  appOutDir = path.join(tmp, 'dist', process.arch === 'x64' ? 'linux-unpacked' : `linux-${process.arch}-unpacked`)
  asarPath = path.join(appOutDir, 'resources', 'app.asar')
  packed = asar.listPackage(asarPath, { isPack: false }).map((p) => p.replace(/^[/\\]/, '').split(path.sep).join('/'))

  const builtFiles = ['main', 'preload'].flatMap((dir) =>
    fs.readdirSync(path.join(outDir, dir)).filter((f) => /\.(c|m)?js$/.test(f)).map((f) => path.join(outDir, dir, f)),
  )
  mainImports = new Set([...bareImportsOf(builtFiles)].map(packageNameOf).filter((name) => name !== 'electron'))
  closure = dependencyClosure(projectDir, mainImports)
  packedPackages = new Map()
  for (const f of packed) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/@]+)\/package\.json$/.exec(f)
    if (!match) continue
    const meta = JSON.parse(asar.extractFile(asarPath, f).toString('utf8')) as { name?: string; version?: string }
    // nested package.json files that are not a package's own (e.g. a `lib/package.json` type marker) have no name
    if (meta.name) packedPackages.set(match[1]!, `${meta.name}@${meta.version}`)
  }
}, 240_000)

const idOf = (p: InstalledPackage): string => `${p.name}@${p.version}`

/** The archive folders holding this installed package (same name and version). */
function packedDirsOf(p: InstalledPackage): string[] {
  return [...packedPackages].filter(([, id]) => id === idOf(p)).map(([rel]) => rel)
}

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

function isPacked(rel: string): boolean {
  return packed.includes(rel)
}

function isUnpacked(rel: string): boolean {
  const stat = asar.statFile(asarPath, rel) as { unpacked?: boolean }
  return stat.unpacked === true && fs.existsSync(path.join(appOutDir, 'resources', 'app.asar.unpacked', rel))
}

describe('the packed app (electron-builder over the real build output)', () => {
  it('holds the entry points: package.json main, the preload, the page and every built file', () => {
    const pkg = readPackageJson(projectDir)
    expect(pkg.main).toBe('out/main/index.js')
    expect(isPacked('package.json')).toBe(true)
    expect(isPacked(pkg.main!)).toBe(true)
    expect(isPacked('out/preload/index.cjs')).toBe(true)
    expect(isPacked('out/renderer/index.html')).toBe(true)
    // everything electron-vite wrote (main chunks, renderer assets), maps excepted
    const built: string[] = []
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(path.join(outDir, '..', dir), { withFileTypes: true })) {
        if (e.isDirectory()) walk(`${dir}/${e.name}`)
        else if (!e.name.endsWith('.map')) built.push(`${dir}/${e.name}`)
      }
    }
    walk('out')
    expect(built.length).toBeGreaterThan(4)
    expect(built.filter((f) => !isPacked(f))).toEqual([])
    // the page's scripts and styles resolve inside the archive
    const html = fs.readFileSync(path.join(outDir, 'renderer/index.html'), 'utf8')
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((r) => !/^[a-z]+:/i.test(r))
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) expect(isPacked(path.posix.normalize(`out/renderer/${ref}`)), ref).toBe(true)
  })

  it('the built main loads only packages that are production dependencies', () => {
    const pkg = readPackageJson(projectDir)
    const declared = new Set(Object.keys(pkg.dependencies ?? {}))
    expect([...mainImports].filter((name) => !declared.has(name))).toEqual([])
    expect(mainImports.has('better-sqlite3')).toBe(true)
  })

  it('unpacks and lists every native module the built main process can load', () => {
    const natives = [...closure.values()].filter((p) => isNativePackage(p.dir))
    // the known ones must be found by the derivation, or the derivation is broken
    expect(natives.map((p) => p.name)).toEqual(expect.arrayContaining(['better-sqlite3', 'sodium-native', 'udx-native', 'rocksdb-native']))
    for (const native of natives) {
      const dirs = packedDirsOf(native)
      expect(dirs, `${idOf(native)} is not packed`).not.toEqual([])
      const addons = packed.filter((f) => dirs.some((dir) => f.startsWith(`${dir}/`)) && f.endsWith('.node'))
      // one addon for this OS and CPU (a prebuild) or the compiled one
      const forHere = addons.filter((f) => f.includes(`/prebuilds/${platformArch}/`) || f.includes('/build/Release/'))
      expect(forHere, `${native.name}: no addon for ${platformArch} packed`).not.toEqual([])
      for (const addon of addons) {
        expect(isUnpacked(addon), `${addon} is inside the asar: add it to asarUnpack`).toBe(true)
        expect(config.asarUnpack.some((pattern) => minimatch(addon, pattern, { dot: true })), `${addon} matches no asarUnpack pattern`).toBe(true)
      }
    }
    // a native module built from source (better-sqlite3) must be rebuilt for Electron
    if (natives.some((p) => filesOfPackage(p.dir).includes('binding.gyp'))) expect(config.npmRebuild).not.toBe(false)
    // and every addon anywhere in the archive is unpacked
    expect(packed.filter((f) => f.endsWith('.node') && !isUnpacked(f))).toEqual([])
  })

  it('packs nothing the app does not need', () => {
    const top = new Set(packed.map((f) => f.split('/')[0]))
    expect([...top].sort()).toEqual(['node_modules', 'out', 'package.json'])
    // packages: exactly what the built main can reach (renderer libraries and dev tools are not)
    const reachable = new Set([...closure.values()].map(idOf))
    const extra = [...new Set(packedPackages.values())].filter((id) => !reachable.has(id))
    expect(extra, 'packed but not reachable from the built main: move it to devDependencies or exclude it').toEqual([])
    const missing = [...closure.values()].filter((p) => packedDirsOf(p).length === 0).map(idOf)
    expect(missing, 'reachable from the built main but not packed').toEqual([])
    const pkg = readPackageJson(projectDir)
    const reachableNames = new Set([...closure.values()].map((p) => p.name))
    for (const dev of Object.keys(pkg.devDependencies ?? {})) {
      if (!reachableNames.has(dev)) expect(isPacked(`node_modules/${dev}`), `dev dependency ${dev} packed`).toBe(false)
    }
    // no sources, maps, tests, benches, other platforms' addons or Bare runtime addons
    const unwanted = packed.filter(
      (f) =>
        /\.(map|ts|tsx|mts|cts|c|h|cc|cpp|hpp|gyp|gypi|md|markdown|bare)$/i.test(f) ||
        /^(src-main|src-renderer|src-preload|test|bench|bin|docs|resources|\.github|\.ci)(\/|$)/.test(f) ||
        (/\/prebuilds\/[^/]+\//.test(f) && !f.includes(`/prebuilds/${platformArch}/`)) ||
        /better-sqlite3\/(deps|src)\//.test(f) ||
        /test_extension\.node$/.test(f),
    )
    expect(unwanted).toEqual([])
  })

  it('flips the fuses in the packaged binary', async () => {
    const wire = await getCurrentFuseWire(path.join(appOutDir, 'trust-primitive'))
    const on = 49
    const off = 48
    expect(wire[FuseV1Options.RunAsNode]).toBe(off)
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(on)
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(off)
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(off)
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(on)
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(on)
  })
})
