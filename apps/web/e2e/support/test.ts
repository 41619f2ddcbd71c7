import AxeBuilder from '@axe-core/playwright';
import { test as base, type BrowserContext, type Page, type TestInfo } from '@playwright/test';

export { expect } from '@playwright/test';

/** One axe finding, as the failure message and the attached report show it. */
interface Finding {
  url: string;
  rule: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on every page a test opens: after each load or client-side navigation (queued, so
 * scans never overlap) and once more on each open page when the test ends. The test fails when any
 * scan found a violation; the findings are attached to the run as JSON.
 */
class AccessibilityAudit {
  private readonly findings = new Map<string, Finding>();
  private readonly queues = new Map<Page, Promise<void>>();
  /** How often each page's main frame has navigated (loads and client-side route changes). */
  private readonly navigations = new Map<Page, number>();
  readonly scanned = new Set<string>();

  watch(context: BrowserContext): void {
    for (const page of context.pages()) this.watchPage(page);
    context.on('page', (page) => this.watchPage(page));
  }

  private watchPage(page: Page): void {
    if (this.queues.has(page)) return;
    this.queues.set(page, Promise.resolve());
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return;
      this.navigations.set(page, (this.navigations.get(page) ?? 0) + 1);
      this.enqueue(page, false);
    });
  }

  private enqueue(page: Page, final: boolean): Promise<void> {
    const next = (this.queues.get(page) ?? Promise.resolve()).then(() => this.scan(page, final));
    this.queues.set(page, next);
    return next;
  }

  private async scan(page: Page, final: boolean): Promise<void> {
    if (page.isClosed()) return;
    await page.waitForLoadState('load', { timeout: 10_000 }).catch(() => undefined);
    const navigationsBefore = this.navigations.get(page) ?? 0;
    const url = page.url();
    if (!/^https?:/.test(url)) return;
    // The final scan repeats one only when the page changed since (a menu opened, a form answered).
    if (this.scanned.has(url) && (!final || !(await page.evaluate(() => (window as { __axeDirty?: boolean }).__axeDirty !== false).catch(() => false)))) return;
    try {
      // Violations only: collecting the passes too doubles the time a scan takes.
      const results = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
      // axe yields between rules and reads a tree it built at the start: a route change committed
      // meanwhile (the test clicked on) leaves it judging detached nodes, e.g. "no h1". That scan
      // describes no page; the page navigated to has its own scan queued.
      if ((this.navigations.get(page) ?? 0) !== navigationsBefore) return;
      this.scanned.add(url);
      await page
        .evaluate(() => {
          const w = window as { __axeDirty?: boolean };
          w.__axeDirty = false;
          new MutationObserver(() => (w.__axeDirty = true)).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
        })
        .catch(() => undefined);
      for (const violation of results.violations) {
        for (const node of violation.nodes) {
          const targets = node.target.map(String);
          const key = `${new URL(url).pathname} ${violation.id} ${targets.join(' ')}`;
          if (!this.findings.has(key)) {
            this.findings.set(key, { url, rule: violation.id, impact: violation.impact ?? null, help: violation.help, targets });
          }
        }
      }
    } catch {
      // The page navigated or closed while axe ran: the next page load is scanned instead.
    }
  }

  /** Scans what each open page shows now, waits for every queued scan, and reports. */
  async finish(testInfo: TestInfo): Promise<void> {
    await Promise.all([...this.queues.keys()].map((page) => this.enqueue(page, true)));
    const findings = [...this.findings.values()];
    if (this.scanned.size > 0) {
      await testInfo.attach('accessibility', {
        body: JSON.stringify({ scanned: [...this.scanned], violations: findings }, null, 2),
        contentType: 'application/json',
      });
    }
    if (findings.length > 0) {
      const lines = findings.map((f) => `  ${f.url}: ${f.rule} (${f.impact ?? 'unknown'}) ${f.help} — ${f.targets.join(', ')}`);
      throw new Error(`axe-core found ${findings.length} accessibility violation(s):\n${lines.join('\n')}`);
    }
  }
}

/**
 * The suite's `test`: Playwright's, with an axe-core audit of every page any test visits (pages of
 * contexts a test makes itself with `browser.newContext()` included).
 */
export const test = base.extend<{ accessibilityAudit: AccessibilityAudit }>({
  accessibilityAudit: [
    async ({ context, browser }, use, testInfo) => {
      const audit = new AccessibilityAudit();
      audit.watch(context);
      const newContext = browser.newContext;
      browser.newContext = async (...args: Parameters<typeof newContext>) => {
        const created = await newContext.apply(browser, args);
        audit.watch(created);
        return created;
      };
      try {
        await use(audit);
      } finally {
        browser.newContext = newContext;
      }
      await audit.finish(testInfo);
    },
    { auto: true },
  ],
});
