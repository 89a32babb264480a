import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { linkToken } from './delivered-mail.js';
import { backends, buildAuth, registerUser } from './helper.js';

/** The sender writes right after the request's commit, off the request path: a bounded poll. */
async function filesIn(directory: string): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const files = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith('.eml')) : [];
    if (files.length > 0 || Date.now() > deadline) return files;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(backends)('without SMTP_URL, on $name', ({ postgres }) => {
  it('writes the verification message to MAIL_DIR as an .eml file whose link works', async () => {
    const { app, mailDir } = await buildAuth({ postgres });
    await registerUser(app, 'ada@example.test');
    const files = await filesIn(mailDir);
    expect(files).toHaveLength(1);
    const message = await simpleParser(readFileSync(join(mailDir, files[0] as string)));
    expect(message.subject).toBe('Confirm your e-mail address');
    const token = linkToken(message, '/console/verify-email');
    expect((await app.inject({ method: 'POST', url: '/v1/email-verification/confirm', payload: { token } })).statusCode).toBe(204);
  });
});
