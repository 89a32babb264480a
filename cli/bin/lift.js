#!/usr/bin/env node
// The lift command: TypeScript run through tsx, so the CLI needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
