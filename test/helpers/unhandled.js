// Loaded into every test page after the test framework (see web-test-runner.config.mjs): a promise
// rejection nobody handles fails the test it happened in (or, when it surfaces a moment later, the
// next one). A host page's error tracker records every one of these, so the widget must leave none.
const unhandled = [];
window.addEventListener('unhandledrejection', (event) => unhandled.push(event.reason));

const run = window.mocha.run;
window.mocha.run = function (...args) {
  this.suite.afterEach(async function () {
    // The browser reports a rejection as unhandled after the current task: give it that moment.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const reasons = unhandled.splice(0);
    if (reasons.length) throw new Error(`Unhandled promise rejection: ${reasons.map((r) => (r instanceof Error ? `${r.name}: ${r.message}` : String(r))).join('; ')}`);
  });
  return run.apply(this, args);
};
