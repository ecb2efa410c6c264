/**
 * .github/workflows/release.yml (DESIGN.md section 12), checked as data: a
 * version tag builds on Linux, macOS and Windows, each runner runs the type
 * checks and unit tests before `npm run dist`, every installer format that
 * electron-builder.yml produces is collected, and one release gets them all
 * with a SHA256SUMS file. It cannot run here; its structure can be checked.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'

const projectDir = path.resolve(import.meta.dirname, '../..')

interface Step {
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}
interface Job {
  'runs-on': string
  needs?: string | string[]
  permissions?: Record<string, string>
  strategy?: { matrix: { include: { os: string; platform: string }[] } }
  steps: Step[]
}
interface Workflow {
  on: { push: { tags: string[] } }
  permissions: Record<string, string>
  jobs: Record<string, Job>
}

const workflow = parseYaml(fs.readFileSync(path.join(projectDir, '.github/workflows/release.yml'), 'utf8')) as Workflow
const builder = parseYaml(fs.readFileSync(path.join(projectDir, 'electron-builder.yml'), 'utf8')) as Record<string, { target?: { target: string }[] }>
const pkg = JSON.parse(fs.readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }

function runs(job: Job): string {
  return job.steps.map((s) => s.run ?? '').join('\n')
}

describe('the release workflow', () => {
  it('runs on version tags only, read-only by default', () => {
    expect(workflow.on.push.tags).toEqual(['v*.*.*'])
    expect(Object.keys(workflow.on)).toEqual(['push'])
    expect(workflow.permissions).toEqual({ contents: 'read' })
  })

  it('builds on a Linux, a macOS and a Windows runner', () => {
    const build = workflow.jobs['build']!
    const oses = build.strategy!.matrix.include.map((m) => m.os.replace(/-.*/, ''))
    expect(oses.sort()).toEqual(['macos', 'ubuntu', 'windows'])
    expect(build['runs-on']).toBe('${{ matrix.os }}')
  })

  it('installs from the lock file, then type-checks and runs the unit tests before building', () => {
    const commands = workflow.jobs['build']!.steps.map((s) => s.run ?? '')
    const at = (pattern: RegExp): number => commands.findIndex((c) => pattern.test(c))
    expect(at(/^npm ci\b/)).toBeGreaterThanOrEqual(0)
    expect(at(/npm run typecheck/)).toBeGreaterThan(at(/^npm ci\b/))
    expect(at(/vitest run test\/unit/)).toBeGreaterThan(at(/^npm ci\b/))
    expect(at(/npm run dist/)).toBeGreaterThan(at(/vitest run test\/unit/))
    expect(pkg.scripts['dist']).toMatch(/electron-vite build && electron-builder/)
    // the builders never publish on their own: the release job does, once
    expect(commands[at(/npm run dist/)]).toMatch(/--publish never/)
  })

  it('collects every installer format electron-builder.yml builds, and the update feed', () => {
    const collect = runs(workflow.jobs['build']!)
    const formats = ['linux', 'mac', 'win'].flatMap((p) => builder[p]!.target!.map((t) => t.target))
    const extensions: Record<string, string> = { AppImage: 'AppImage', deb: 'deb', dmg: 'dmg', zip: 'zip', nsis: 'exe' }
    for (const format of formats) expect(collect, format).toContain(`dist/*.${extensions[format]}`)
    expect(collect).toContain('dist/latest*.yml')
    expect(collect).toContain('dist/*.blockmap')
  })

  it('publishes one release with every file and a SHA256SUMS, after every build', () => {
    const release = workflow.jobs['release']!
    expect(release.needs).toBe('build')
    expect(release.permissions).toEqual({ contents: 'write' })
    const text = runs(release)
    expect(text).toMatch(/sha256sum -- \*/)
    expect(text).toMatch(/gh release create "\$GITHUB_REF_NAME" release\/\*/)
    const download = release.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))
    expect(download?.with).toMatchObject({ pattern: 'installers-*', 'merge-multiple': true })
  })

  it('uses each action at a pinned major version and hands tokens only where needed', () => {
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps)
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^actions\/[a-z-]+@v\d+$/)
    for (const step of steps) expect(step.run ?? '', 'no secret is printed').not.toMatch(/echo .*secrets|\$\{\{\s*secrets\./)
  })
})
