'use strict';
// Each AWS-side rule fails on its mistake planted in a copy of the real tree
// (infra-terraform, the poms, the Java main sources), and only there.
const test = require('node:test');
const hcl = require('../lib/hcl');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runChecks } = require('../lib/checks');

const repo = path.resolve(__dirname, '..', '..', '..');
const schemaPath = path.join(__dirname, '..', 'aws-provider-schema.json');
const SKIP = new Set(['check', 'node_modules', 'target', 'test', '.terraform']);

let copy = null;

// A copy of what the check reads, made once.
function pristine() {
  if (copy) return copy;
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-rules-'));
  const filter = (src) => !SKIP.has(path.basename(src));
  // verbatimSymlinks: prod's links to dev's files stay inside the copy (never write to the tree)
  fs.cpSync(path.join(repo, 'infra-terraform'), path.join(copy, 'infra-terraform'), { recursive: true, filter, verbatimSymlinks: true });
  fs.cpSync(path.join(repo, 'functions'), path.join(copy, 'functions'), { recursive: true, filter });
  fs.cpSync(path.join(repo, 'shared', 'src', 'main'), path.join(copy, 'shared', 'src', 'main'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'pom.xml'), path.join(copy, 'pom.xml'));
  return copy;
}

const errorsOf = (root) => runChecks({ root: path.join(root, 'infra-terraform'), repoRoot: root, schemaPath }).errors;

// The errors the planted change adds: file is relative to the repository, from must occur in it.
function planted(file, from, to) {
  const root = pristine();
  const target = path.join(root, file);
  const original = fs.readFileSync(target, 'utf8');
  assert.ok(original.includes(from), `${file} no longer contains ${JSON.stringify(from)}: update the test`);
  const before = new Set(errorsOf(root));
  fs.writeFileSync(target, original.replace(from, to));
  try {
    return errorsOf(root).filter((e) => !before.has(e));
  } finally {
    fs.writeFileSync(target, original);
  }
}

test.after(() => copy && fs.rmSync(copy, { recursive: true, force: true }));


test.before(() => hcl.init());
test('prod without a storage maximum above its 100 GB fails at the DB instance', () => {
  const errors = planted('infra-terraform/environments/prod/main.tf', '    max_allocated_storage   = 500\n', '');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^infra-terraform\/modules\/database\/main\.tf:\d+: aws_db_instance\.this in prod: max_allocated_storage 100 must be above allocated_storage 100 \(RDS refuses the apply\), or 0$/);
});

test('a Redis parameter group that may evict fails at the parameter group', () => {
  const errors = planted('infra-terraform/modules/redis/main.tf', 'value = "noeviction"', 'value = "volatile-lru"');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^infra-terraform\/modules\/redis\/main\.tf:\d+: aws_elasticache_parameter_group\.this must set maxmemory-policy = noeviction \(is "volatile-lru"\)/);
});

test('an alarm on a custom metric no code emits fails at the alarm', () => {
  const errors = planted('infra-terraform/modules/alarms/main.tf', 'metric      = "ReconciliationDiscrepancies"', 'metric      = "ReconciliationDiscrepancy"');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^infra-terraform\/modules\/alarms\/main\.tf:\d+: alarm metric FlashSale\/ReconciliationDiscrepancy is emitted by no code/);
});

test('a dashboard widget on a custom metric no code emits fails at the widget', () => {
  const errors = planted('infra-terraform/modules/dashboard/main.tf', '["FlashSale", "OrdersPersisted",', '["FlashSale", "OrderPersisted",');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^infra-terraform\/modules\/dashboard\/main\.tf:\d+: dashboard widget metric FlashSale\/OrderPersisted is emitted by no code/);
});

test('a dashboard widget metric built by a for expression is checked too', () => {
  const errors = planted('infra-terraform/modules/dashboard/main.tf',
    '[["FlashSale", "DeadLetters", "function", var.consumer_function_name]]',
    '[for name in [var.consumer_function_name] : ["FlashSale", "DeadLetter", "function", name]]');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /dashboard widget metric FlashSale\/DeadLetter is emitted by no code/);
});

test('Terraform older than 1.10 (no use_lockfile) fails at required_version', () => {
  // prod's versions.tf is a link to dev's: both environments fail
  assert.deepEqual(planted('infra-terraform/environments/dev/versions.tf', '">= 1.10"', '">= 1.6"').sort(), [
    'infra-terraform/environments/dev/versions.tf:2: required_version must require Terraform >= 1.10, which use_lockfile of the S3 backend needs (is ">= 1.6")',
    'infra-terraform/environments/prod/versions.tf:2: required_version must require Terraform >= 1.10, which use_lockfile of the S3 backend needs (is ">= 1.6")',
  ]);
});

test('SnapStart on a function that publishes no version fails at publish', () => {
  const errors = planted('infra-terraform/modules/function/main.tf', 'publish = true', 'publish = false');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^infra-terraform\/modules\/function\/main\.tf:\d+: aws_lambda_function\.this has snap_start but does not set publish = true/);
});

test('a secret setting a function reads that Terraform does not pass fails at the setting', () => {
  const errors = planted('functions/functions.json', '"uses": ["redis", "token_keys", "altcha_key", "captcha"]', '"uses": ["redis", "token_keys", "captcha"]');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^functions\/token\/src\/main\/resources\/application\.yml:\d+: function "token" reads ALTCHA_KEY_SECRET_ARN, which Terraform does not pass to it: none of its uses \(redis, token_keys, captcha\) sets it/);
});

test('a secret passed to a function that may not read it fails at its setting in Terraform', () => {
  const errors = planted('infra-terraform/modules/flashsale/main.tf', 'webhook_secret = [local.secret_arns["payment-webhook"]]', 'webhook_secret = []');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^infra-terraform\/modules\/flashsale\/main\.tf:\d+: PAYMENT_WEBHOOK_SECRET_ARN names the secret "payment-webhook", but local\.secrets_by_dependency gives function "admin" no GetSecretValue on it/);
});

test('a use of the manifest that Terraform does not map fails at both maps', () => {
  const errors = planted('functions/functions.json', '"uses": ["redis", "database", "webhook_secret"]', '"uses": ["redis", "database", "webhook"]');
  assert.equal(errors.length, 3);
  assert.match(errors[0], /^infra-terraform\/modules\/flashsale\/main\.tf:\d+: function "admin" uses "webhook" \(functions\/functions\.json\), which local\.environment_by_dependency does not map/);
  assert.match(errors[1], /^infra-terraform\/modules\/flashsale\/main\.tf:\d+: function "admin" uses "webhook" \(functions\/functions\.json\), which local\.secrets_by_dependency does not map/);
  assert.match(errors[2], /^functions\/admin\/src\/main\/resources\/application\.yml:\d+: function "admin" reads PAYMENT_WEBHOOK_SECRET_ARN, which Terraform does not pass to it/);
});

test('a function logging in with IAM tokens needs no database password secret, and one without them does', () => {
  const errors = planted('infra-terraform/modules/flashsale/main.tf', '      FLASHSALE_DATABASE_IAM_AUTH = "true"\n', '');
  assert.deepEqual(errors.map((e) => e.replace(/:\d+: .*reads (\w+),.*/, ' $1')).sort(), ['admin', 'migrate', 'order-consumer', 'reconciliation', 'result']
    .map((fn) => `functions/${fn}/src/main/resources/application.yml DATABASE_SECRET_ARN`));
});
