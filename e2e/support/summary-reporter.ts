import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/**
 * Prints a last line of the plain `N passed, N failed` form that CI reads, since Playwright's
 * own summary ends with a duration in parentheses.
 */
export default class SummaryReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped = 0;

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status === 'passed') this.passed += 1;
    else if (result.status === 'skipped') this.skipped += 1;
    // Only a test's last attempt counts as a failure.
    else if (result.retry === test.retries) this.failed += 1;
  }

  onEnd(_result: FullResult): void {
    process.stdout.write(`e2e: ${this.passed} passed, ${this.failed} failed${this.skipped > 0 ? `, ${this.skipped} skipped` : ''}\n`);
  }
}
