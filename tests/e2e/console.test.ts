import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, chromiumPath, launchChromium, recordPolicyViolations, seriousAccessibilityViolations } from '../support/browser.js';
import { freePortBase, liftIn } from '../support/lift-process.js';
import { repositoryRoot } from '../support/service-process.js';
import { skipUnless } from '../support/skip-rule.js';

/**
 * The web console in a real browser (Debian's Chromium through playwright-core) against the real
 * platform started by `lift up` on a private home and ports: what a newcomer does first, page by
 * page, each page checked by axe-core and photographed into data/test-artifacts/console/.
 */
const noChromium = skipUnless(chromiumAvailable, 'the console in a browser', `Chromium at ${chromiumPath} (apt-get install chromium)`);

const home = mkdtempSync(join(tmpdir(), 'lift-console-'));
const screenshots = join(repositoryRoot, 'data', 'test-artifacts', 'console');
let portBase = 0;
const lift = liftIn(home, () => portBase);
/** PUBLIC_URL under LIFT_PORT_BASE: the host the mails' links name, so cookies are the same site's. */
const consoleUrl = (path: string) => `http://localhost:${portBase}/console${path}`;
const admin = { email: 'operator@lift.test', password: `operator-${randomBytes(8).toString('hex')}` };

/** The link of the newest account mail to an address, once auth has written it to the mail folder. */
async function mailedLink(to: string, page: string): Promise<string> {
  const folder = join(home, 'data', 'mail');
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const files = (() => {
      try {
        return readdirSync(folder).filter((file) => file.endsWith('.eml'));
      } catch {
        return [];
      }
    })();
    for (const file of files) {
      const mail = await simpleParser(readFileSync(join(folder, file)));
      const addressedTo = [mail.to].flat().flatMap((entry) => entry?.value ?? []).some((address) => address.address === to);
      const link = mail.text?.match(new RegExp(`https?://\\S+/console/${page}\\?token=\\S+`))?.[0];
      if (addressedTo && link) return link;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${page} mail to ${to} in ${folder}`);
}

describe.skipIf(noChromium)('the console in a browser, on a platform started by lift up', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let policyViolations: string[];
  const pageErrors: string[] = [];
  const email = `newcomer-${randomBytes(4).toString('hex')}@example.test`;
  const password = `console-${randomBytes(6).toString('hex')}`;

  /** The overview's service tiles: each one's name, state badge and version line. */
  function serviceTiles(): Promise<{ name: string; state: string; about: string }[]> {
    return page.locator('[data-service]').evaluateAll((tiles) =>
      tiles.map((tile) => ({ name: tile.getAttribute('data-service') ?? '', state: tile.querySelector('.badge')?.textContent ?? '', about: tile.querySelector('p')?.textContent ?? '' })),
    );
  }

  /** The page as it is now passes axe's serious and critical WCAG checks, and is photographed. */
  async function checkPage(name: string): Promise<void> {
    expect(await seriousAccessibilityViolations(page), `${name}: axe`).toEqual([]);
    await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    portBase = await freePortBase();
    // The platform admin the second half signs in as; the monitor probes twice a second, so a
    // stopped service is seen down (three failed checks) within seconds rather than half a minute.
    writeFileSync(join(home, '.env.local'), `LIFT_ADMIN_EMAIL=${admin.email}\nLIFT_ADMIN_PASSWORD=${admin.password}\nSERVICE_CHECK_INTERVAL_MS=500\n`, { mode: 0o600 });
    const up = await lift('up', '--detach');
    if (up.code !== 0) throw new Error(`lift up failed (${up.code}):\n${up.stdout}\n${up.stderr}`);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    policyViolations = recordPolicyViolations(page);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await lift('down');
    rmSync(home, { recursive: true, force: true });
  }, 60_000);

  it('signs a newcomer up, and verifies the address from the link in the development mail folder', async () => {
    await page.goto(consoleUrl('/'));
    await page.getByRole('heading', { name: 'Sign in to Lift OS' }).waitFor();
    await checkPage('sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your Lift OS account' }).waitFor();
    await checkPage('sign-up');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Organisation name (optional)').fill('Newcomer Labs');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Organisation: Newcomer Labs' }).waitFor();
    await page.getByText('Your e-mail address is not verified yet').waitFor();

    await page.goto(await mailedLink(email, 'verify-email'));
    await page.getByRole('button', { name: 'Verify my address' }).click();
    await page.getByText('Your e-mail address is verified.').waitFor();
    await checkPage('verify-email');
    await page.getByRole('link', { name: 'Continue to the console' }).click();
    await page.getByRole('heading', { name: 'Organisation: Newcomer Labs' }).waitFor();
    expect(await page.getByText('Your e-mail address is not verified yet').count()).toBe(0);
  });

  it('keeps the session across a reload in an HttpOnly cookie scoped to the refresh route, and no token in storage', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Organisation: Newcomer Labs' }).waitFor();
    const cookies = await context.cookies();
    const refresh = cookies.find((cookie) => cookie.name === 'lift_refresh');
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth/v1/token' });
    const stored = await page.evaluate(() => {
      const { localStorage, sessionStorage } = globalThis as unknown as { localStorage: object; sessionStorage: object };
      return JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } });
    });
    expect(stored).toBe('{"local":{},"session":{}}');
  });

  let apiKey = '';
  it('creates an API key, shown once, that works against the platform', async () => {
    await page.getByLabel('Name of the new key').fill('laptop script');
    await page.getByRole('button', { name: 'Create key' }).click();
    apiKey = (await page.getByTestId('new-api-key').textContent()) ?? '';
    expect(apiKey.length).toBeGreaterThan(20);
    await page.getByRole('row', { name: /laptop script/ }).waitFor();
    await checkPage('organisation');
    // An invitation for the platform admin, who accepts it later from the mail's link.
    await page.getByLabel('E-mail to invite').fill(admin.email);
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByText(`Invitation sent to ${admin.email}.`).waitFor();
    const stored = await fetch(`http://localhost:${portBase}/memory/v1/memories`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ content: 'The nightly import runs from the laptop script', tags: ['import'] }),
    });
    expect(stored.status).toBe(201);
  });

  let requestId = '';
  it('stores a memory and finds it, with its scores, and the one the API key stored', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Memory' }).click();
    await page.getByRole('heading', { name: 'Memory', exact: true }).waitFor();
    await page.getByLabel('Content').fill('The console shows the platform in a browser');
    await page.getByLabel('Tags, comma-separated', { exact: true }).fill('console, ui');
    const answered = page.waitForResponse((response) => response.url().endsWith('/memory/v1/memories') && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Store memory' }).click();
    const response = await answered;
    expect(response.status()).toBe(201);
    requestId = (await response.headerValue('x-request-id')) ?? '';
    await page.getByText(/^Stored memory /).waitFor();

    await page.getByLabel('Search for').fill('browser');
    await page.getByRole('button', { name: 'Search' }).click();
    const hit = page.getByRole('listitem').filter({ hasText: 'The console shows the platform in a browser' });
    await hit.waitFor();
    expect(await hit.getByRole('definition').first().textContent()).toMatch(/^\d\.\d{3}$/);
    await checkPage('memory');

    await page.getByLabel('Search for').fill('nightly import');
    await page.getByLabel('Mode').selectOption('fulltext');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('listitem').filter({ hasText: 'The nightly import runs from the laptop script' }).waitFor();
  });

  it('shows the usage counted against the plan', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Usage this period' }).waitFor();
    // Metering reaches billing within seconds of the requests: the page is read again until it shows them.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('heading', { name: 'Usage this period' }).waitFor();
          const meters = page.getByRole('meter');
          await meters.first().waitFor();
          const used = await meters.evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('aria-valuenow'))));
          return Math.max(...used);
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBeGreaterThan(0);
    await checkPage('billing');
  });

  it('finds its own request in the logs, by its request id', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.getByLabel('Request id').fill(requestId);
    await page.getByRole('button', { name: 'Apply' }).click();
    // lift up ships each service's lines to observability about once a second.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return page.getByRole('row').filter({ hasText: requestId }).count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    await page.getByRole('row').filter({ hasText: 'POST /v1/memories' }).first().waitFor();
    await checkPage('logs');
  });

  it('signs out: the cookie is gone, and a reload stays signed out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Lift OS' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Lift OS' }).waitFor();
    expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('lift_refresh');
  });

  it('shows the platform admin every service up, on the overview they land on', async () => {
    await page.getByLabel('E-mail').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await expect.poll(async () => (await serviceTiles()).filter((tile) => tile.state === 'up' && /^v\d+\.\d+\.\d+ · up /.test(tile.about)).length, { timeout: 20_000, interval: 250 }).toBe(6);
    expect((await serviceTiles()).map((tile) => tile.name).sort()).toEqual(['auth', 'billing', 'gateway', 'memory', 'observability', 'registry']);
    // The admin's pages are offered to the admin only: the newcomer's navigation had none of them.
    for (const name of ['Overview', 'Modules', 'Alerts']) await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name }).waitFor();
    await checkPage('overview');
  });

  it('sees a service stopped with lift stop go down, and acknowledges its alert', async () => {
    const stopped = await lift('stop', 'memory');
    expect(stopped.code, stopped.stderr).toBe(0);
    // The overview refreshes itself every five seconds.
    await expect.poll(async () => (await serviceTiles()).find((tile) => tile.name === 'memory')?.state, { timeout: 30_000, interval: 250 }).toBe('down');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
    const alert = page.getByRole('row').filter({ hasText: 'Service down' }).filter({ hasText: 'memory' });
    await alert.waitFor({ timeout: 20_000 });
    await checkPage('alerts');
    await alert.getByRole('button', { name: /^Acknowledge/ }).click();
    await alert.getByText('acknowledged', { exact: true }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Slow memory');
    await page.getByLabel('Kind').selectOption('latency_p95');
    await page.getByLabel('Service or module (* for all)').fill('memory');
    await page.getByLabel('p95 above, ms').fill('5000');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.getByRole('row').filter({ hasText: 'Slow memory' });
    await rule.getByText('p95 above 5000 ms over 300 s').waitFor();
    await rule.getByRole('button', { name: 'Disable Slow memory' }).click();
    await rule.getByRole('button', { name: 'Enable Slow memory' }).waitFor();
    const started = await lift('start', 'memory');
    expect(started.code, started.stderr).toBe(0);
  });

  it('lists the registry\'s modules for the admin, with the form to register one', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Modules' }).click();
    await page.getByRole('heading', { name: 'Modules', exact: true }).waitFor();
    await page.getByText('No modules registered yet.').waitFor();
    await page.getByLabel('Manifest (module.json)').fill('{ "moduleId": "not-a-manifest" }');
    await page.getByRole('button', { name: 'Register' }).click();
    // The registry's problem, as it wrote it: the page says what is wrong, never goes blank.
    await page.getByRole('alert').filter({ hasText: 'Invalid input' }).waitFor();
    await checkPage('modules');
  });

  it('follows every service\'s log lines live for the admin', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Logs' }).click();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    await page.getByRole('button', { name: 'Live tail' }).click();
    await page.getByText(/^Live: /).waitFor();
    // A request after the tail opened: its access line arrives with lift up's next shipment.
    const probe = `/auth/.well-known/jwks.json?tail=${randomBytes(4).toString('hex')}`;
    expect((await fetch(`http://localhost:${portBase}${probe}`)).status).toBe(200);
    await page.getByRole('row').filter({ hasText: probe }).first().waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Stop live tail' }).click();
  });

  // Regression (review of #20): after accepting, "Switch to …" left the person on the invitation
  // page with no navigation; and the switcher switched at every arrow key.
  it('accepts an invitation from its link, lands in the organisation joined, and switches back with the switcher', async () => {
    await page.goto(await mailedLink(admin.email, 'accept-invitation'));
    await page.getByRole('button', { name: 'Accept the invitation' }).click();
    await page.getByText('You joined Newcomer Labs as member.').waitFor();
    await checkPage('accept-invitation');
    await page.getByRole('button', { name: 'Switch to Newcomer Labs' }).click();
    await page.getByRole('heading', { name: 'Organisation: Newcomer Labs' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/organisation');
    // A member: no platform pages, no API keys.
    expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Overview' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'API keys' }).count()).toBe(0);

    const switches: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/auth/v1/token/switch') switches.push(request.url());
    });
    const switcher = page.getByLabel('Organisation', { exact: true });
    await switcher.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    // Two frames: whatever the key presses set off has been sent by then.
    await page.evaluate(() => {
      const { requestAnimationFrame: nextFrame } = globalThis as unknown as { requestAnimationFrame: (callback: () => void) => void };
      return new Promise<void>((resolve) => nextFrame(() => nextFrame(resolve)));
    });
    // Choosing is not switching: still a member of Newcomer Labs until the button is pressed.
    expect(switches).toEqual([]);
    await switcher.selectOption({ label: 'Lift OS platform (owner)' });
    await page.getByRole('button', { name: 'Switch', exact: true }).click();
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Overview' }).waitFor();
    expect(switches).toHaveLength(1);
  });

  it('ran every page without a script error or a content-security-policy refusal', () => {
    expect(pageErrors).toEqual([]);
    expect(policyViolations).toEqual([]);
  });
});
