// CI logs are read for a plain closing line "N passed, N failed, N skipped".
export function summaryReporter() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const count = (suite) => {
    for (const test of suite.tests) {
      if (test.skipped) skipped += 1;
      else if (test.passed) passed += 1;
      else failed += 1;
    }
    for (const child of suite.suites) count(child);
  };
  return {
    onTestRunFinished({ sessions }) {
      for (const session of sessions) {
        if (session.testResults) count(session.testResults);
        // A file that failed to load or threw outside a test counts as a failure.
        else if (!session.passed) failed += 1;
        if (session.testResults && !session.passed && session.errors?.length) failed += session.errors.length;
      }
    },
    start() {
      // The runner prints its own summary after reporters stop; print ours after everything.
      process.once('exit', () => console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`));
    },
  };
}
