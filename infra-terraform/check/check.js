#!/usr/bin/env node
// Offline check of the Terraform tree: syntax (two parsers: tree-sitter-hcl, which keeps
// lines, and HashiCorp's HCL library), the AWS provider 6.x
// schema, variables, module files and pins, references, module calls, and one
// Lambda per Maven function. Prints file:line: message per error, then a summary.
//
//   node check.js [--root DIR] [--repo DIR] [--schema FILE] [--counts FILE]
//
// --counts FILE writes {"passed":N,"failed":N} to FILE and prints a labelled
// summary instead of the plain one (run.sh adds the self-tests to it).
'use strict';
const fs = require('fs');
const path = require('path');
const { runChecks } = require('./lib/checks');
const hcl = require('./lib/hcl');

function options(argv) {
  const opts = {
    root: path.resolve(__dirname, '..'),
    repo: null,
    schema: path.join(__dirname, 'aws-provider-schema.json'),
    counts: null,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts) || argv[i + 1] === undefined) {
      console.error(`usage: check.js [--root DIR] [--repo DIR] [--schema FILE] [--counts FILE] (bad argument ${argv[i]})`);
      process.exit(2);
    }
    opts[key] = path.resolve(argv[i + 1]);
  }
  opts.repo = opts.repo || path.dirname(opts.root);
  return opts;
}

// An independent second parser (HashiCorp's own HCL library compiled to WASM):
// a file it rejects fails even if tree-sitter's grammar accepts it.
async function secondParser(report, files) {
  const { parse } = require('@cdktf/hcl2json');
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    report.check(`hcl2json parse of ${file}`, () => {});
    const check = report.checks[report.checks.length - 1];
    try {
      await parse(path.basename(file), text);
    } catch (e) {
      const message = String((e && e.message) || e);
      const m = /:(\d+),\d+/.exec(message);
      check.errors.push(`${report.where(file, m ? Number(m[1]) : 1)}: syntax error (hcl2json): ${message.split('\n')[0]}`);
    }
  }
}

async function main() {
  const opts = options(process.argv.slice(2));
  await hcl.init();
  const report = runChecks({
    root: opts.root,
    repoRoot: opts.repo,
    schemaPath: opts.schema,
    exclude: [path.join(opts.root, 'check')],
  });
  const files = report.checks.filter((c) => c.name.startsWith('syntax of ')).map((c) => c.name.slice('syntax of '.length));
  await secondParser(report, files);

  for (const error of report.errors) console.log(error);
  if (opts.counts) {
    fs.writeFileSync(opts.counts, JSON.stringify({ passed: report.passed, failed: report.failed }));
    console.log(`tree checks: ${report.passed} of ${report.checks.length} passed`);
  } else {
    console.log(`${report.passed} passed, ${report.failed} failed`);
  }
  process.exitCode = report.failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exitCode = 2;
});
