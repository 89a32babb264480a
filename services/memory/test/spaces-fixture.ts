import type { ServiceApp } from '@lift/kit';

/** A two-dimension space for the conceptual tests: formality 0–10 and urgency 0–1, weighted alike. */
export const toneSpace = {
  name: 'tone',
  description: 'how a message reads',
  dimensions: [
    { name: 'formality', min: 0, max: 10 },
    { name: 'urgency', min: 0, max: 1 },
  ],
};

export async function createSpace(app: ServiceApp, headers: Record<string, string>, space: Record<string, unknown> = toneSpace) {
  const response = await app.inject({ method: 'POST', url: '/v1/spaces', headers, payload: space });
  if (response.statusCode !== 201) throw new Error(`creating the space failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

export const tone = (formality: number, urgency: number) => ({ space: 'tone', values: { formality, urgency } });
