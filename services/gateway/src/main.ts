import { runService } from '@lift/kit';
import { buildApp } from './app.js';
import { gatewayConfigSchema } from './config.js';
import { gatewayIdentity } from './service-identity.js';

await runService({ identity: gatewayIdentity, configSchema: gatewayConfigSchema, build: buildApp, edge: true });
