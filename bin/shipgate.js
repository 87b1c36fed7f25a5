#!/usr/bin/env node
// The only place that sets the process exit code (STYLE.md: thin CLI).
import { main } from '../dist/cli/main.js';

const code = await main(process.argv.slice(2));
process.exitCode = code;
