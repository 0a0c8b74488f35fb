'use strict';
// tree-sitter-hcl, through lib/hcl.js, keeps lines; it must read what HashiCorp's parser reads.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { init, parse, references, HclError } = require('../lib/hcl');
const { findModuleDirs } = require('../lib/terraform');

const refs = (text) => {
  const out = [];
  const walk = (body) => {
    body.attributes.forEach((a) => references(a.expr).forEach((r) => out.push(`${r.line}:${r.root}.${r.parts.filter((p) => p.type === 'attr').map((p) => p.name).join('.')}`)));
    body.blocks.forEach((b) => walk(b.body));
  };
  walk(parse(text, 'x.tf').body);
  return out;
};

test.before(() => init());

test('blocks, one-line blocks, labels and attribute lines', () => {
  const { body } = parse('# c\nresource "aws_x" "y" {\n  a = 1 // c\n  b { c = 2 }\n  /* c */\n}\n', 'x.tf');
  const block = body.blocks[0];
  assert.deepEqual([block.type, block.labels, block.line], ['resource', ['aws_x', 'y'], 2]);
  assert.deepEqual(block.body.attributes.map((a) => [a.name, a.line]), [['a', 3]]);
  assert.deepEqual(block.body.blocks.map((b) => [b.type, b.line, b.body.attributes[0].name]), [['b', 4, 'c']]);
});

test('references in templates, heredocs, calls, conditionals, splats and indexes', () => {
  const text = [
    'locals {',
    '  a = "x-${var.name}-$${literal}"',
    '  b = <<-EOT',
    '    id=${aws_vpc.this.id}',
    '  EOT',
    '  c = merge(local.a, [for s in var.list : s.id]...)',
    '  d = var.on ? module.m[0].out : data.aws_region.current.region',
    '  e = aws_subnet.private[*].id',
    '  f = { for k, v in var.map : k => v if v != null }',
    '}',
  ].join('\n');
  assert.deepEqual(refs(text), [
    '2:var.name',
    '4:aws_vpc.this.id',
    '6:local.a',
    '6:var.list',
    '7:var.on',
    '7:module.m.out',
    '7:data.aws_region.current.region',
    '8:aws_subnet.private.id',
    '9:var.map',
  ]);
});

test('object keys are names, not references; for variables are bound', () => {
  assert.deepEqual(refs('x = { name = 1, "q" = 2, (var.k) = 3 }\ny = [for name in local.n : name]\n'), ['1:var.k', '2:local.n']);
});

test('a syntax error names its line', () => {
  assert.throws(() => parse('a = 1\nb = \n', 'x.tf'), (e) => e instanceof HclError && e.line === 2 && e.file === 'x.tf');
  assert.throws(() => parse('resource "a" "b" {\n  x = 1\n', 'x.tf'), (e) => e instanceof HclError);
});

test('agrees with hcl2json on the blocks and attributes of every file of the tree', async () => {
  const { parse: hcl2json } = require('@cdktf/hcl2json');
  const root = path.join(__dirname, '..', '..');
  const files = findModuleDirs(root, [path.join(root, 'check')]).flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.tf')).map((f) => path.join(d, f)));
  assert.ok(files.length > 20);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const ours = parse(text, file).body;
    const theirs = await hcl2json(path.basename(file), text);
    const oursShape = {};
    for (const b of ours.blocks) {
      const key = [b.type, ...b.labels].join('.');
      const names = b.body.attributes.map((a) => a.name).concat(b.body.blocks.map((x) => (x.type === 'dynamic' ? `dynamic.${x.labels[0]}` : x.type)));
      oursShape[key] = [...new Set([...(oursShape[key] || []), ...names])].sort();
    }
    const theirsShape = {};
    const collect = (node, prefix, depth) => {
      if (depth === 0) {
        const items = Array.isArray(node) ? node : [node];
        const names = new Set(theirsShape[prefix] || []);
        for (const item of items) {
          for (const [k, v] of Object.entries(item)) {
            if (k === 'dynamic') Object.keys(v).forEach((d) => names.add(`dynamic.${d}`));
            else names.add(k);
          }
        }
        theirsShape[prefix] = [...names].sort();
        return;
      }
      for (const [k, v] of Object.entries(node)) collect(v, prefix ? `${prefix}.${k}` : k, depth - 1);
    };
    const labelDepth = { resource: 2, data: 2, module: 1, variable: 1, output: 1, provider: 1, locals: 0, terraform: 0 };
    for (const [type, node] of Object.entries(theirs)) collect(node, type, labelDepth[type]);
    assert.deepEqual(oursShape, theirsShape, file);
  }
});
