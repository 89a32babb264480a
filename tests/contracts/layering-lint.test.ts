import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/service-process.js';

/**
 * The layering rules of CONTRIBUTING.md are lint rules: a service's or module's source reaches the
 * kit and the SDK through their index only, and never another service. Linted as text at a path
 * inside the tree, with the type-aware rules off (the text is in no tsconfig program).
 */
const eslint = new ESLint({
  cwd: repositoryRoot,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off', '@typescript-eslint/await-thenable': 'off' },
  },
});

async function refusedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

const deepImports = [
  "import { LiftError } from '../../../packages/kit/src/errors.js';",
  "import { Type } from '../../../packages/sdk/src/index.js';",
  "import { problemType } from '@lift/kit/src/http/problem-details.js';",
  "import { gatewayConfigSchema } from '../../gateway/src/config.js';",
  "import { buildApp } from '@lift/billing';",
  "import { startServiceUnderTest } from '../../../tests/support/service-under-test.js';",
  "import { serviceCatalog } from '../../../cli/src/service-catalog.js';",
];

describe('imports a service or module may not make', () => {
  it.each(['services/auth/src/layering-probe.ts', 'modules/_template/src/layering-probe.ts'])('refuses deep and cross-service imports in %s', async (filePath) => {
    for (const line of deepImports) expect(await refusedImports(filePath, `${line}\nexport const probe = 1;\n`), line).toHaveLength(1);
  });

  it('lets a service import the packages by name and its own files', async () => {
    const source = "import { LiftError } from '@lift/kit';\nimport { Type } from '@lift/sdk';\nimport { authErrorCodes } from '../errors.js';\nexport const probe = [LiftError, Type, authErrorCodes];\n";
    expect(await refusedImports('services/auth/src/routes/layering-probe.ts', source)).toEqual([]);
  });
});

describe('the storage seam', () => {
  it('keeps kysely out of domain code and routes, and lets stores and migrations use it', async () => {
    const source = "import { sql } from 'kysely';\nexport const probe = sql;\n";
    expect(await refusedImports('services/billing/src/layering-probe.ts', source)).toHaveLength(1);
    expect(await refusedImports('services/billing/src/routes/layering-probe.ts', source)).toHaveLength(1);
    expect(await refusedImports('services/billing/src/store/layering-probe.ts', source)).toEqual([]);
    expect(await refusedImports('services/registry/src/migrations/layering-probe.ts', source)).toEqual([]);
  });

  it('keeps every kysely entry point out of domain code: kysely/helpers/postgres too', async () => {
    const source = "import { jsonArrayFrom } from 'kysely/helpers/postgres';\nexport const probe = jsonArrayFrom;\n";
    expect(await refusedImports('services/billing/src/layering-probe.ts', source)).toHaveLength(1);
    expect(await refusedImports('services/billing/src/store/layering-probe.ts', source)).toEqual([]);
  });

  it('still refuses deep imports in a store', async () => {
    expect(await refusedImports('services/billing/src/store/layering-probe.ts', "import { LiftError } from '../../../../packages/kit/src/errors.js';\nexport const probe = LiftError;\n")).toHaveLength(1);
  });
});

describe('the SDK depends on the kit only, through its index', () => {
  const sdkFile = 'packages/sdk/src/wire/layering-probe.ts';
  it.each([
    "import { buildApp } from '@lift/billing';",
    "import { run } from '@lift/cli';",
    "import { problemType } from '@lift/kit/src/http/problem-details.js';",
    "import { LiftError } from '../../../kit/src/errors.js';",
    "import { LiftError } from '../../../../packages/kit/src/errors.js';",
    "import { gatewayConfigSchema } from '../../../../services/gateway/src/config.js';",
    "import { startServiceUnderTest } from '../../../../tests/support/service-under-test.js';",
  ])('refuses %s', async (line) => {
    expect(await refusedImports(sdkFile, `${line}\nexport const probe = 1;\n`)).toHaveLength(1);
  });

  it('lets it import @lift/kit and its own files', async () => {
    const source = "import { LiftError } from '@lift/kit';\nimport { Type } from '@sinclair/typebox';\nimport { probe as other } from './route-table.js';\nexport const probe = [LiftError, Type, other];\n";
    expect(await refusedImports(sdkFile, source)).toEqual([]);
  });
});

describe('the kit depends on no workspace package', () => {
  it.each(["import { platformClient } from '@lift/sdk';", "import type { RouteTable } from '../../sdk/src/wire/route-table.js';", "import type { RouteTable } from '../../../packages/sdk/src/index.js';"])(
    'refuses %s',
    async (line) => {
      expect(await refusedImports('packages/kit/src/http/layering-probe.ts', `${line}\nexport const probe = 1;\n`)).toHaveLength(1);
    },
  );
});
