// StrykerJS over the compiled dist/ (tests are node:test files run from dist/), one group of
// modules at a time: MUTATION_GROUP picks it (scripts/mutation.sh runs them all). See docs/testing.md.
import { mutationGroup } from './scripts/mutation-groups.mjs';

const group = mutationGroup(process.env.MUTATION_GROUP);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: {
    // The group's test files in one process (a third of `node --test`'s cost per mutant), and
    // property tests at 50 cases instead of hundreds: see docs/testing.md.
    command: `SWITCHBOARD_PROPERTY_RUNS=50 node --test-force-exit scripts/run-tests-in-process.mjs ${group.tests.join(' ')}`,
  },
  mutate: group.mutate,
  // The sandbox needs only the compiled code and package.json ("type": "module"); node_modules is symlinked.
  ignorePatterns: ['/*', '!/dist', '!/package.json', '!/scripts', '/dist/web', '/dist/web-tests', '/dist/bench', '**/*.map'],
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  timeoutMS: 5000,
  timeoutFactor: 1.5,
  reporters: ['clear-text', 'json', 'progress-append-only'],
  jsonReporter: { fileName: `reports/mutation/${group.name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
