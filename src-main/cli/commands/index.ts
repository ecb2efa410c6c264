/**
 * Every `trust` subcommand, in the order `trust --help` lists them. A new
 * command is one file in this folder and one line here.
 */
import type { Command } from '../command.js'
import { bootstrapCommand } from './bootstrap.js'
import { certificateCommand } from './certificate.js'
import { demoCommand } from './demo.js'
import { exportCommand } from './export.js'
import { seederCommand } from './seeder.js'
import { serveCommand } from './serve.js'
import { verifyCommand } from './verify.js'

export const COMMANDS: readonly Command[] = [demoCommand, verifyCommand, certificateCommand, exportCommand, serveCommand, bootstrapCommand, seederCommand]
