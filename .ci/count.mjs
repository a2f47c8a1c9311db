// Sums what .ci/run did into one line, `N passed, N failed`, and exits 1 if anything failed. The breakdown
// printed before it deliberately avoids that wording, so the summary is the only line of that shape.
//   node .ci/count.mjs <steps.tsv> <results dir>
// steps.tsv has one line per part of `npm test`: name, exit code (`notrun` if it never ran or was cut off), and
// the vitest project whose JSON report (<results dir>/<project>.json) it writes, or `-` (type-check, lint).
// Rules, so that nothing that went wrong can look green:
//   - a vitest step counts its report's numPassedTests / numFailedTests;
//   - ... plus 1 failed if the step exited non-zero or the report says it did not succeed while no test failed
//     (a file that would not import, an unhandled error, a crash after the report);
//   - a vitest step with no report (never ran, crashed, build failed first) counts 1 failed;
//   - any other step counts 1 failed when it exited non-zero (or never ran).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [stepsFile, resultsDir] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const lines = [];

const steps = existsSync(stepsFile)
  ? readFileSync(stepsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'))
  : [];
if (steps.length === 0) failed += 1; // nothing ran at all

for (const [name, rcText, project] of steps) {
  const rc = Number(rcText);
  if (project && project !== '-') {
    const file = join(resultsDir, `${project}.json`);
    let report;
    try {
      report = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      report = undefined;
    }
    if (!report || typeof report.numPassedTests !== 'number' || typeof report.numFailedTests !== 'number') {
      failed += 1;
      lines.push(`${name}: no test report (${file}) — counted as 1 failed`);
      continue;
    }
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    let note = '';
    if ((rc !== 0 || report.success === false) && report.numFailedTests === 0) {
      failed += 1;
      const how = Number.isNaN(rc) ? 'cut off' : `exit ${rc}`;
      note = ` — but the run failed (${how}${report.success === false ? ', success: false' : ''}): +1 failed`;
    }
    lines.push(`${name}: passed=${report.numPassedTests} failed=${report.numFailedTests}${note}`);
  } else if (rc !== 0) {
    failed += 1;
    lines.push(`${name}: ${Number.isNaN(rc) ? 'not run' : `exit ${rc}`} — counted as 1 failed`);
  } else {
    lines.push(`${name}: ok`);
  }
}

for (const line of lines) console.log(`[ci]   ${line}`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
