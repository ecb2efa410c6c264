// ESLint flat config. Besides typescript-eslint's recommended rules (syntax
// only, not type-aware, to keep `npm run lint` fast), it enforces the layering
// of DESIGN.md section 1 mechanically, folder by folder:
//   src-main/core     plain Node: no electron, no UI, no DOM globals
//   src-renderer      talks only to window.trust: `import type` of src-main/api.ts, no Node
//   src-preload       electron's contextBridge + `import type` of src-main/api.ts
// test/unit/layering.test.ts proves each rule fires.
import { builtinModules } from 'node:module'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

/** Globals that only exist in a browser: core must run under plain Node. */
const DOM_GLOBALS = [
  'window', 'document', 'navigator', 'location', 'history', 'localStorage',
  'sessionStorage', 'indexedDB', 'self', 'alert', 'confirm', 'prompt',
  'requestAnimationFrame', 'cancelAnimationFrame', 'XMLHttpRequest', 'WebSocket',
  'HTMLElement', 'customElements', 'getComputedStyle', 'matchMedia', 'screen',
].map((name) => ({ name, message: 'src-main/core is plain Node (DESIGN.md section 1): no DOM globals.' }))

/** Globals that only exist in Node: the renderer never sees Node (DESIGN.md section 1). */
const NODE_GLOBALS = ['process', 'require', 'module', 'Buffer', 'global', '__dirname', '__filename', 'setImmediate'].map(
  (name) => ({ name, message: 'The renderer never sees Node: use window.trust (DESIGN.md section 1).' }),
)

/** Every Node built-in, bare and with the node: prefix. */
const NODE_BUILTINS = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '')))].flatMap((m) => [m, `node:${m}`])

const UI_PACKAGES = ['electron', 'react', 'react-dom', 'react/jsx-runtime', 'zustand']

// Relative paths from inside src-main/core that climb out to the Electron, web
// or CLI layers (core has no folders of those names), and any path naming them.
const OUTER_LAYERS = /(^|\/)(src-renderer|src-preload|src-main\/(app|web|cli))(\/|$)|^(\.\.\/)+(app|web|cli)(\/|$)/.source

// src-main/api.ts, from anywhere (with or without extension).
const API_FILE = /(^|\/)src-main\/api(\.js|\.ts)?$/.source
// Anything under src-main other than api.ts (by name, or climbing into it).
const MAIN_NOT_API = /(^|\/)src-main\/(?!api(\.js|\.ts)?$)/.source

// esquery regex literals cannot contain '/', even escaped: spell it \u002f.
const noSlash = (source) => source.replaceAll('\\/', '\\u002f')

/** import() of src-main code or of a Node module, which no-restricted-imports does not see. */
const DYNAMIC_IMPORT_OF_MAIN_OR_NODE = {
  selector: `ImportExpression > Literal[value=/(^|\\u002f)src-main\\u002f|^node:|^(${NODE_BUILTINS.filter((m) => !m.startsWith('node:') && !m.includes('/')).join('|')})$/]`,
  message: 'No import() of src-main code or Node modules here: the page reaches the core only through window.trust.',
}

export default defineConfig([
  globalIgnores([
    'node_modules/',
    'out/',
    'dist/',
    'release/',
    'coverage/',
    '.tmp/',
    // deliberately violating snippets, linted by test/unit/layering.test.ts
    'test/fixtures/layering/',
  ]),

  ...tseslint.configs.recommended,

  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // `interface Name extends Row {}` is a deliberate alias that names a concept
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },

  {
    files: ['src-main/core/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: UI_PACKAGES.map((name) => ({
            name,
            message: 'src-main/core is plain Node (DESIGN.md section 1): no Electron, no UI libraries.',
          })),
          patterns: [
            {
              regex: OUTER_LAYERS,
              message: 'src-main/core may not import src-main/app, src-main/web, src-main/cli, src-preload or src-renderer.',
            },
            { regex: '^(react|react-dom|electron)/', message: 'src-main/core is plain Node: no UI libraries.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
      // no-restricted-imports sees only static imports: close the import()/require() door too
      'no-restricted-syntax': [
        'error',
        {
          selector: `:matches(ImportExpression, CallExpression[callee.name='require']) > Literal[value=/^(electron|react|react-dom|zustand)(\\u002f|$)/]`,
          message: 'src-main/core is plain Node (DESIGN.md section 1): no Electron, no UI libraries.',
        },
        {
          selector: `:matches(ImportExpression, CallExpression[callee.name='require']) > Literal[value=/${noSlash(OUTER_LAYERS)}/]`,
          message: 'src-main/core may not import src-main/app, src-main/web, src-main/cli, src-preload or src-renderer.',
        },
      ],
    },
  },

  {
    files: ['src-renderer/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks only to window.trust.' },
            ...NODE_BUILTINS.map((name) => ({ name, message: 'The renderer never sees Node (DESIGN.md section 1).' })),
          ],
          patterns: [
            {
              regex: API_FILE,
              allowTypeImports: true,
              message: 'Only `import type` from src-main/api.ts: the renderer reaches the core through window.trust.',
            },
            {
              regex: MAIN_NOT_API,
              message: 'The renderer may import nothing from src-main but types from src-main/api.ts.',
            },
            { regex: '(^|/)src-preload(/|$)', message: 'The renderer talks only to window.trust.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...NODE_GLOBALS],
      'no-restricted-syntax': ['error', DYNAMIC_IMPORT_OF_MAIN_OR_NODE],
    },
  },

  {
    files: ['src-preload/**/*.{ts,tsx,js,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          // a sandboxed preload has no Node modules (Electron sandbox docs)
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'The preload is sandboxed: no Node modules.' })),
          patterns: [
            {
              regex: API_FILE,
              allowTypeImports: true,
              message: 'Only `import type` from src-main/api.ts: the preload forwards calls over IPC.',
            },
            { regex: MAIN_NOT_API, message: 'The preload may import nothing from src-main but types from src-main/api.ts.' },
            { regex: '(^|/)src-renderer(/|$)', message: 'The preload may not import the renderer.' },
            { regex: '^(react|react-dom)(/|$)', message: 'The preload has no UI.' },
          ],
        },
      ],
      'no-restricted-syntax': ['error', DYNAMIC_IMPORT_OF_MAIN_OR_NODE],
    },
  },
])
