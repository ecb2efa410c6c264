// The layering of DESIGN.md section 1 is enforced by eslint.config.js. These
// tests run the real ESLint on small snippets placed (virtually) in each folder
// and check that every forbidden edge is reported, and that clean code is not.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, it, expect } from 'vitest'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const fixtures = new URL('../fixtures/layering/', import.meta.url)
const eslint = new ESLint({ cwd: repoRoot })

interface Finding {
  ruleId: string | null
  message: string
  fatal: boolean
}

/** Lints a fixture as if it were the file at `filePath` (relative to the repo root). */
async function lintAs(fixture: string, filePath: string): Promise<Finding[]> {
  const text = readFileSync(new URL(fixture, fixtures), 'utf8')
  const [result] = await eslint.lintText(text, { filePath: `${repoRoot}${filePath}` })
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`)
  return result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message, fatal: m.fatal === true }))
}

const violations: { fixture: string; filePath: string; rule: string; mentions: RegExp }[] = [
  { fixture: 'core-imports-electron.ts.txt', filePath: 'src-main/core/store/bad.ts', rule: 'no-restricted-imports', mentions: /electron/ },
  { fixture: 'core-imports-electron-type.ts.txt', filePath: 'src-main/core/bad.ts', rule: 'no-restricted-imports', mentions: /electron/ },
  { fixture: 'core-dynamic-import-electron.ts.txt', filePath: 'src-main/core/jobs/bad.ts', rule: 'no-restricted-syntax', mentions: /plain Node/ },
  { fixture: 'core-dynamic-import-app.ts.txt', filePath: 'src-main/core/store/bad.ts', rule: 'no-restricted-syntax', mentions: /src-main\/app/ },
  { fixture: 'core-uses-document.ts.txt', filePath: 'src-main/core/bundle/bad.ts', rule: 'no-restricted-globals', mentions: /document/ },
  { fixture: 'core-uses-local-storage.ts.txt', filePath: 'src-main/core/bad.ts', rule: 'no-restricted-globals', mentions: /localStorage/ },
  { fixture: 'core-imports-app.ts.txt', filePath: 'src-main/core/store/bad.ts', rule: 'no-restricted-imports', mentions: /src-main\/app/ },
  { fixture: 'core-imports-renderer.ts.txt', filePath: 'src-main/core/store/bad.ts', rule: 'no-restricted-imports', mentions: /src-renderer/ },
  { fixture: 'core-imports-react.ts.txt', filePath: 'src-main/core/bad.ts', rule: 'no-restricted-imports', mentions: /react/ },
  { fixture: 'renderer-imports-core-value.ts.txt', filePath: 'src-renderer/src/bad.ts', rule: 'no-restricted-imports', mentions: /src-main/ },
  { fixture: 'renderer-imports-core-type.ts.txt', filePath: 'src-renderer/src/bad.ts', rule: 'no-restricted-imports', mentions: /src-main/ },
  { fixture: 'renderer-imports-api-value.ts.txt', filePath: 'src-renderer/src/bad.ts', rule: 'no-restricted-imports', mentions: /import type/ },
  { fixture: 'renderer-dynamic-import-core.ts.txt', filePath: 'src-renderer/src/bad.ts', rule: 'no-restricted-syntax', mentions: /window\.trust/ },
  { fixture: 'renderer-dynamic-import-node.ts.txt', filePath: 'src-renderer/src/bad.ts', rule: 'no-restricted-syntax', mentions: /Node modules/ },
  { fixture: 'renderer-imports-node-fs.ts.txt', filePath: 'src-renderer/src/bad.ts', rule: 'no-restricted-imports', mentions: /node:fs/ },
  { fixture: 'renderer-imports-bare-fs.ts.txt', filePath: 'src-renderer/src/bad.ts', rule: 'no-restricted-imports', mentions: /'fs'/ },
  { fixture: 'renderer-imports-electron.ts.txt', filePath: 'src-renderer/src/bad.ts', rule: 'no-restricted-imports', mentions: /electron/ },
  { fixture: 'renderer-uses-process.ts.txt', filePath: 'src-renderer/src/bad.ts', rule: 'no-restricted-globals', mentions: /process/ },
  { fixture: 'preload-imports-core-value.ts.txt', filePath: 'src-preload/bad.ts', rule: 'no-restricted-imports', mentions: /src-main/ },
  { fixture: 'preload-imports-node-fs.ts.txt', filePath: 'src-preload/bad.ts', rule: 'no-restricted-imports', mentions: /node:fs/ },
]

describe('layering lint (DESIGN.md section 1)', () => {
  for (const v of violations) {
    it(`reports ${v.fixture} as ${v.filePath}`, async () => {
      const findings = await lintAs(v.fixture, v.filePath)
      expect(findings.filter((f) => f.fatal)).toEqual([])
      const hits = findings.filter((f) => f.ruleId === v.rule)
      expect(hits.length).toBeGreaterThan(0)
      expect(hits.map((h) => h.message).join('\n')).toMatch(v.mentions)
    })
  }

  it('lets core import node: modules, its own modules and types from src-main/api.ts', async () => {
    expect(await lintAs('core-clean.ts.txt', 'src-main/core/protocol/clean.ts')).toEqual([])
  })

  it('lets the renderer use React, the DOM and `import type` from src-main/api.ts', async () => {
    expect(await lintAs('renderer-clean.tsx.txt', 'src-renderer/src/clean.tsx')).toEqual([])
  })

  it('lets the preload use electron and `import type` from src-main/api.ts', async () => {
    expect(await lintAs('preload-clean.ts.txt', 'src-preload/clean.ts')).toEqual([])
  })

  it('applies the core rules to core only: the same electron import is fine in src-main/app', async () => {
    const inCore = await lintAs('core-imports-electron.ts.txt', 'src-main/core/bad.ts')
    const inApp = await lintAs('core-imports-electron.ts.txt', 'src-main/app/fine.ts')
    expect(inCore.map((f) => f.ruleId)).toContain('no-restricted-imports')
    expect(inApp).toEqual([])
  })
})
