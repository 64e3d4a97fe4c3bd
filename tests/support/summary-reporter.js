// Prints one plain closing line, "tests: N passed, N failed, N skipped", that any CI
// log reader can count, after Jest's own summary.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // A suite that cannot even load counts as a failure here, as it does for Jest's exit code.
    const brokenSuites = results.testResults.filter((suite) => suite.testExecError !== undefined && suite.numFailingTests === 0).length;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests + brokenSuites} failed, ${skipped} skipped`;
    // Written on exit so that it is the last line, after Jest's own summary.
    process.once('exit', () => process.stdout.write(`\n${line}\n`));
  }
}
module.exports = SummaryReporter;
