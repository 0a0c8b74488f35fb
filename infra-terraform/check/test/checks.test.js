'use strict';
// The check must catch planted defects and name their file and line.
const test = require('node:test');
const hcl = require('../lib/hcl');
const assert = require('node:assert/strict');
const path = require('path');
const { spawnSync } = require('child_process');
const { runChecks, mavenFunctions } = require('../lib/checks');

const fixtures = path.join(__dirname, 'fixtures');
const schemaPath = path.join(__dirname, '..', 'aws-provider-schema.json');

function check(fixture, repo = fixture) {
  return runChecks({ root: path.join(fixtures, fixture, 'infra-terraform'), repoRoot: path.join(fixtures, repo), schemaPath });
}


test.before(() => hcl.init());
test('a correct tree passes every check', () => {
  const report = check('good');
  assert.deepEqual(report.errors, []);
  assert.ok(report.passed > 20, `only ${report.passed} checks ran`);
});

test('a planted bogus argument fails with its file and line', () => {
  const report = check('bogus-argument');
  assert.deepEqual(report.errors, [
    'infra-terraform/modules/topic/main.tf:4: resource aws_sns_topic has no argument "retention"',
  ]);
  assert.equal(report.failed, 1);
});

test('a variable without description fails with its file and line', () => {
  const report = check('missing-description');
  assert.deepEqual(report.errors, [
    'infra-terraform/modules/bucket/variables.tf:6: variable "force_destroy" has no description',
  ]);
});

test('a dangling reference fails with its file and line', () => {
  const report = check('dangling-reference');
  assert.deepEqual(report.errors, [
    'infra-terraform/modules/logs/main.tf:3: aws_cloudwatch_log_group.application is not a resource of this module (did you mean "aws_cloudwatch_log_group.app"?)',
  ]);
});

test('a function of the Maven build without a Lambda fails at the map that lists the functions', () => {
  const report = runChecks({ root: path.join(fixtures, 'good', 'infra-terraform'), repoRoot: path.join(fixtures, 'missing-function'), schemaPath });
  assert.deepEqual(report.errors.map((e) => e.replace(/^.*fixtures\//, '')), [
    'good/infra-terraform/environments/dev/main.tf:3: function "gamma" of the Maven build (the functions/ modules of pom.xml) has no Lambda in environment dev',
  ]);
});

test('the function manifest that names another set of functions than the Maven build fails', () => {
  const report = runChecks({ root: path.join(fixtures, 'good', 'infra-terraform'), repoRoot: path.join(fixtures, 'manifest-mismatch'), schemaPath });
  const manifest = report.errors.filter((e) => e.includes('functions.json')).map((e) => e.replace(/^.*fixtures\//, ''));
  assert.deepEqual(manifest, [
    'functions/functions.json:1: function "beta" of the Maven build (the functions/ modules of pom.xml) is not in the manifest',
    'functions/functions.json:4: the manifest names function "delta", which the Maven build (the functions/ modules of pom.xml) does not have',
  ]);
});

test('the function names come from the root pom, skipping library modules', () => {
  assert.deepEqual(mavenFunctions(path.join(fixtures, 'good')).names, ['alpha', 'beta']);
  assert.deepEqual(mavenFunctions(path.join(fixtures, 'no-such-repo')).names, ['token', 'buy', 'result', 'admin', 'order-consumer', 'reconciliation']);
});

test('check.js prints file:line: message and the plain summary, and exits 1', () => {
  const run = spawnSync(process.execPath, [path.join(__dirname, '..', 'check.js'), '--root', path.join(fixtures, 'bogus-argument', 'infra-terraform')], { encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  assert.equal(run.status, 1, run.stderr);
  assert.equal(lines[0], 'infra-terraform/modules/topic/main.tf:4: resource aws_sns_topic has no argument "retention"');
  assert.match(lines[lines.length - 1], /^\d+ passed, 1 failed$/);
});
