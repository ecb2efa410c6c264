// electron-vite builds three parts from explicit entries (ENVIRONMENT.md):
// main (src-main/app/index.ts, ESM, dependencies left external: better-sqlite3
// is native), preload (src-preload/index.ts, CommonJS: sandboxed preloads cannot
// be ESM) and the renderer (src-renderer/index.html, React).
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

/**
 * The dev server needs an inline React refresh preamble, inline styles and a
 * websocket for HMR; the built page keeps index.html's strict CSP untouched.
 */
function devServerCsp(): Plugin {
  return {
    name: 'trust-dev-server-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:*")
    },
  }
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: resolve('src-main/app/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: resolve('src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    plugins: [react(), devServerCsp()],
    build: {
      outDir: resolve('out/renderer'),
      // Smaller files load faster (ui.load_ms); the passphrase dictionaries are split out and lazy.
      minify: true,
      rolldownOptions: {
        input: { index: resolve('src-renderer/index.html') },
      },
    },
  },
})
