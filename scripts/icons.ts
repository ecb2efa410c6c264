/**
 * `npm run icons`: every icon size and format the installers need, generated
 * from the one source resources/icon.svg (DESIGN.md section 12) and committed:
 *   resources/icons/<n>x<n>.png  Linux (AppImage, deb), 16 to 1024 px
 *   resources/icon.png           1024 px, the generic fallback
 *   resources/icon.ico           Windows, 16 to 256 px
 *   resources/icon.icns          macOS, 16 to 1024 px (with the @2x variants)
 * The SVG is rasterised by resvg; ICO and ICNS containers are written by
 * @shockpkg/icon-encoder. test/unit/icons.test.ts checks the committed files.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Resvg } from '@resvg/resvg-js'
import { IconIcns, IconIco } from '@shockpkg/icon-encoder'

export const RESOURCES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../resources')
export const SOURCE_SVG = path.join(RESOURCES_DIR, 'icon.svg')

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const
/** ICNS element types and their pixel sizes, in the order iconutil writes them. */
export const ICNS_TYPES: readonly (readonly [string, number])[] = [
  ['ic12', 64], // 32@2x
  ['ic07', 128],
  ['ic13', 256], // 128@2x
  ['ic08', 256],
  ['ic04', 16],
  ['ic14', 512], // 256@2x
  ['ic09', 512],
  ['ic05', 32],
  ['ic10', 1024], // 512@2x
  ['ic11', 32], // 16@2x
]

/** The SVG drawn at size x size pixels, as PNG. */
export function renderPng(svg: string, size: number): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } })
  const image = resvg.render()
  if (image.width !== size || image.height !== size) throw new Error(`icon.svg must be square: got ${image.width}x${image.height}`)
  return Buffer.from(image.asPng())
}

/** Every generated file, by path relative to resources/. */
export async function buildIcons(svg: string): Promise<Map<string, Buffer>> {
  const sizes = new Set<number>([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, size]) => size)])
  const png = new Map<number, Buffer>()
  for (const size of sizes) png.set(size, renderPng(svg, size))
  const at = (size: number): Buffer => png.get(size)!

  const files = new Map<string, Buffer>()
  for (const size of LINUX_SIZES) files.set(`icons/${size}x${size}.png`, at(size))
  files.set('icon.png', at(1024))

  const ico = new IconIco()
  // largest first, as Windows' own tools write them; PNG inside for 256, BMP below (null = the encoder's choice)
  for (const size of [...ICO_SIZES].reverse()) await ico.addFromPng(at(size), null, false)
  files.set('icon.ico', Buffer.from(ico.encode()))

  const icns = new IconIcns()
  icns.toc = true
  for (const [type, size] of ICNS_TYPES) await icns.addFromPng(at(size), [type], false)
  files.set('icon.icns', Buffer.from(icns.encode()))
  return files
}

async function main(): Promise<void> {
  const files = await buildIcons(fs.readFileSync(SOURCE_SVG, 'utf8'))
  for (const [rel, data] of files) {
    const target = path.join(RESOURCES_DIR, rel)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, data)
    console.log(`${path.relative(process.cwd(), target)}  ${data.length} bytes`)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
