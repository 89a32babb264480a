import type { ServerResponse } from 'node:http';
import { embedText } from '../src/embedding/local-embedder.js';
import { sendJson, startStandIn, type ReceivedRequest, type StandIn } from '../../../tests/support/stand-in-server.js';

/**
 * A local HTTP server that answers like OpenAI's `POST /v1/embeddings` (the request and answer
 * shapes of its API reference: `{ model, input[] }` → `{ object: 'list', data: [{ object:
 * 'embedding', index, embedding }], model, usage }`). Its vectors are the local embedder's at
 * `dimensions`, so neural search through it finds what the local one would. `fault` may answer a
 * request itself (a 429, a 503 …) instead; `calls` records each request's inputs.
 */
export async function startOpenAiStandIn(options: { dimensions: number; key?: string; fault?: (call: number, request: ReceivedRequest, response: ServerResponse) => boolean }): Promise<StandIn & { calls: string[][] }> {
  const calls: string[][] = [];
  const standIn = await startStandIn((request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') return sendJson(response, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
    if (options.key !== undefined && request.headers.authorization !== `Bearer ${options.key}`) {
      return sendJson(response, 401, { error: { message: `Incorrect API key provided: ${String(request.headers.authorization)}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    const body = JSON.parse(request.body) as { model: string; input: string[] };
    calls.push(body.input);
    if (options.fault?.(calls.length, request, response)) return;
    sendJson(response, 200, {
      object: 'list',
      // Out of order on purpose: the API gives each vector's `index`, and clients must use it.
      data: body.input.map((text, index) => ({ object: 'embedding', index, embedding: Array.from(embedText(text, options.dimensions)) })).reverse(),
      model: body.model,
      usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
    });
  });
  return Object.assign(standIn, { calls });
}
