// The operator's filter in the Temporal UI's workflow list, in a real (headless) browser: Debian's
// chromium driven by playwright-core. A finished run (the real workflow code with stub activities)
// is found by its search attributes; a filter it does not match shows no results.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StubWorker, startStubWorker, stubs } from '../support/stub-worker.js';

const UI_URL = process.env.TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233';
const NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'default';
const CHROMIUM = process.env.SPECKIT_CHROMIUM ?? '/usr/bin/chromium';

let worker: StubWorker;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (installs chromium)`);
  worker = await startStubWorker('ui-filter-test');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', // as root, and in containers without user namespaces
      // The browser talks to the local UI only: every other host name fails to resolve.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/** The UI's workflow list filtered by `query`, requests to anything but loopback refused. */
async function workflowList(query: string): Promise<Page> {
  const page = await browser.newPage();
  await page.route('**/*', (route) =>
    ['127.0.0.1', 'localhost'].includes(new URL(route.request().url()).hostname)
      ? route.continue()
      : route.abort(),
  );
  await page.goto(`${UI_URL}/namespaces/${NAMESPACE}/workflows?query=${encodeURIComponent(query)}`);
  return page;
}

/** The workflow ids of the list's rows (each row links to its run's history, several times). */
async function listedIds(page: Page): Promise<string[]> {
  const hrefs = await page
    .locator('a[href*="/workflows/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const ids = hrefs.map((href) => /\/workflows\/([^/?]+)\/[^/?]+\/history/.exec(href)?.[1]);
  return [...new Set(ids.filter((id) => id !== undefined))];
}

/** Visibility is eventually consistent: waits until the server lists the run for `query`. */
async function visible(query: string, workflowId: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    for await (const wf of worker.env.client.workflow.list({ query }))
      if (wf.workflowId === workflowId) return;
    if (Date.now() > deadline) throw new Error(`${workflowId} not listed for ${query} within 15 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the Temporal UI workflow list', () => {
  const repo = `/srv/git/ui-${Math.random().toString(36).slice(2)}.git`;
  let workflowId: string;

  beforeAll(async () => {
    const handle = await worker.start(stubs(), { repo });
    await handle.result();
    workflowId = handle.workflowId;
    await visible(`SpecKitStatus="succeeded" AND SpecKitRepo="${repo}"`, workflowId);
  });

  it('filtered by SpecKitStatus and SpecKitRepo shows the finished run, and only it', async () => {
    const page = await workflowList(`SpecKitStatus="succeeded" AND SpecKitRepo="${repo}"`);
    try {
      await page.getByRole('link', { name: workflowId, exact: true }).first().waitFor({ timeout: 30_000 });
      expect(await listedIds(page)).toEqual([workflowId]);
      expect(await page.getByText('No Results').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('filtered by a status the run does not have shows no results', async () => {
    const page = await workflowList(`SpecKitStatus="failed" AND SpecKitRepo="${repo}"`);
    try {
      await page.getByText('No Results', { exact: true }).first().waitFor({ timeout: 30_000 });
      expect(await listedIds(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
