import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentedServiceNames, liveOpenApiDocument } from '../support/live-openapi-documents.js';
import { contractChanges, contractOf, snapshotText } from '../support/openapi-contract.js';
import { repositoryRoot } from '../support/service-process.js';

/**
 * Each service's OpenAPI document, as it serves it, against the copy committed in
 * tests/contracts/openapi/<service>.json: an API change shows up as a diff a reviewer reads.
 * After a deliberate change, write the new copies and commit them with it:
 *
 *   UPDATE_CONTRACTS=1 npx vitest run tests/contracts/openapi-snapshots.test.ts
 */
const updating = process.env.UPDATE_CONTRACTS === '1';
const snapshotFolder = join(repositoryRoot, 'tests/contracts/openapi');
const update = 'UPDATE_CONTRACTS=1 npx vitest run tests/contracts/openapi-snapshots.test.ts';

describe('every service\'s API matches its committed contract', () => {
  it.each(documentedServiceNames)('%s', async (name) => {
    const live = contractOf(await liveOpenApiDocument(name));
    const file = join(snapshotFolder, `${name}.json`);
    if (updating) {
      mkdirSync(snapshotFolder, { recursive: true });
      writeFileSync(file, snapshotText(live));
      return;
    }
    expect(existsSync(file), `no committed contract for ${name}: run ${update}`).toBe(true);
    const committedText = readFileSync(file, 'utf8');
    const changes = contractChanges(JSON.parse(committedText), live);
    const message = `${name}'s API differs from tests/contracts/openapi/${name}.json:\n  ${changes.join('\n  ')}\nIf that is intended, run ${update} and commit the file with the change.`;
    expect(changes, message).toEqual([]);
    // Same content, but not as the update writes it (edited by hand, keys reordered): rewrite it.
    expect(committedText === snapshotText(live), `tests/contracts/openapi/${name}.json is not in the form the update writes: run ${update}`).toBe(true);
  });

  it('keeps no contract of a service that is gone', () => {
    const committed = readdirSync(snapshotFolder).filter((file) => file.endsWith('.json'));
    expect(committed.sort()).toEqual(documentedServiceNames.map((name) => `${name}.json`).sort());
  });
});
