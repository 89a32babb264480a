// Preloaded with `node --import` (NODE_OPTIONS) by tests that must know which modules a process
// loaded: every ES module URL it loads is appended to the file LIFT_LOADED_MODULES_FILE names.
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, next) {
  appendFileSync(file, url + '\\n');
  return next(url, context);
}`;
if (process.env.LIFT_LOADED_MODULES_FILE) register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { file: process.env.LIFT_LOADED_MODULES_FILE } });
