// Runs first on the strict-CSP page: records every policy violation for the test to read.
window.violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.violations.push(`${event.violatedDirective}: ${event.blockedURI || event.sample}`);
});
window.errors = [];
window.addEventListener('error', (event) => window.errors.push(String(event.message)));
