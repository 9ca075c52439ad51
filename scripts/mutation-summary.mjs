// Prints the score of every mutated module from Stryker's JSON reports (reports/mutation/GROUP.json):
// mutants detected (killed or timed out) over those that count (detected + survived + no coverage).
// Survivors listed in scripts/mutation-equivalents.mjs do not count; they are printed with the
// reason, as are the survivors left (the behaviour no test pins yet).
// Exits 1 when a module is under 90 % or more than 10 % of its detections are timeouts.
import { readFileSync } from 'node:fs';
import { equivalenceOf } from './mutation-equivalents.mjs';

const SCORE_MIN = 90;
const TIMEOUT_SHARE_MAX = 10;

/** The code a mutant replaced, when it is on one line. */
function originalOf(lines, { start, end }) {
  return start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : '';
}

const percent = (part, whole) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`);

const groups = process.argv.slice(2);
const rows = [];
const equivalents = [];
const survivors = [];
for (const group of groups) {
  const report = JSON.parse(readFileSync(`reports/mutation/${group}.json`, 'utf8'));
  for (const [file, { mutants, source }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    const row = { file, killed: 0, timeout: 0, survived: 0, noCoverage: 0, equivalent: 0 };
    for (const mutant of mutants) {
      if (mutant.status === 'Killed') row.killed += 1;
      else if (mutant.status === 'Timeout') row.timeout += 1;
      else if (mutant.status === 'NoCoverage') row.noCoverage += 1;
      else if (mutant.status === 'Survived') {
        const original = originalOf(lines, mutant.location);
        const where = `${file}:${mutant.location.start.line} ${mutant.mutatorName} \`${original}\` → \`${mutant.replacement}\``;
        const equivalence = equivalenceOf(file, mutant, original);
        if (equivalence === undefined) {
          row.survived += 1;
          survivors.push(where);
        } else {
          row.equivalent += 1;
          equivalents.push(`${where}: ${equivalence.why}`);
        }
      }
    }
    rows.push(row);
  }
}

const out = [];
out.push('| module | score | killed | timeout | survived | no coverage | equivalent (excluded) | timeouts of detections |');
out.push('|---|---|---|---|---|---|---|---|');
const line = (name, r) =>
  `| ${name} | ${percent(r.killed + r.timeout, r.killed + r.timeout + r.survived + r.noCoverage)} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.equivalent} | ${percent(r.timeout, r.killed + r.timeout)} |`;
for (const row of rows) out.push(line(`\`${row.file.replace(/^dist\//, '')}\``, row));
const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, equivalent: 0 };
for (const row of rows) for (const key of Object.keys(total)) total[key] += row[key];
out.push(line('all', total));
process.stdout.write(`${out.join('\n')}\n`);
if (equivalents.length > 0) process.stdout.write(`\nEquivalent (not counted):\n${equivalents.map((e) => `- ${e}`).join('\n')}\n`);
if (survivors.length > 0) process.stdout.write(`\nSurvived:\n${survivors.map((s) => `- ${s}`).join('\n')}\n`);

const short = rows.filter((r) => {
  const detected = r.killed + r.timeout;
  const counted = detected + r.survived + r.noCoverage;
  return (counted > 0 && (100 * detected) / counted < SCORE_MIN) || (detected > 0 && (100 * r.timeout) / detected > TIMEOUT_SHARE_MAX);
});
if (short.length > 0) {
  process.stdout.write(`\nBelow target (score >= ${SCORE_MIN} %, timeouts <= ${TIMEOUT_SHARE_MAX} % of detections): ${short.map((r) => r.file).join(', ')}\n`);
  process.exitCode = 1;
}
