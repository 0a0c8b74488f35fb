'use strict';
// The committed schema is the AWS provider 6.x one and has what the tree relies on.
const test = require('node:test');
const assert = require('node:assert/strict');
const schema = require('../aws-provider-schema.json');

test('records the 6.x provider version it was extracted from', () => {
  assert.match(schema.provider_version, /^6\.\d+\.\d+$/);
  assert.match(schema.source, /^@cdkt[fn]\/provider-aws@\d+/);
  assert.ok(Object.keys(schema.resource).length > 1000);
  assert.ok(Object.keys(schema.data).length > 400);
});

test('has nested blocks, required arguments and computed attributes', () => {
  const lambda = schema.resource.aws_lambda_function;
  assert.deepEqual(lambda.r, ['function_name', 'role']);
  assert.deepEqual(lambda.b.snap_start.a, ['apply_on']);
  assert.ok(lambda.c.includes('version'));
  const esm = schema.resource.aws_lambda_event_source_mapping;
  assert.deepEqual(esm.b.destination_config.b.on_failure.r, ['destination_arn']);
  assert.ok(esm.b.amazon_managed_kafka_event_source_config.a.includes('consumer_group_id'));
  assert.ok(schema.resource.aws_scheduler_schedule.b.target.b.retry_policy);
});

test('has the MSK topic resource (provider >= 6.38) that creates the orders topic', () => {
  assert.deepEqual(schema.resource.aws_msk_topic.r, ['cluster_arn', 'name', 'partition_count', 'replication_factor']);
  assert.ok(schema.resource.aws_msk_topic.a.includes('configs'));
});
