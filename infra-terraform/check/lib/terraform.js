'use strict';
// Loads Terraform modules (directories of .tf files) into indexes of what they
// declare, with the file and line of every declaration.
const fs = require('fs');
const path = require('path');
const { parse, HclError } = require('./hcl');

const SKIP_DIRS = new Set(['node_modules', '.terraform', '.git']);

// Directories below root holding .tf files (linked .tf files count; linked directories are not followed).
function findModuleDirs(root, exclude = []) {
  const found = [];
  const walk = (dir) => {
    if (exclude.some((e) => path.resolve(dir) === path.resolve(e))) return;
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.tf'))) found.push(dir);
    for (const e of entries) if (e.isDirectory() && !SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name));
  };
  walk(root);
  return found.sort();
}

function literalString(expr) {
  if (!expr) return null;
  if (expr.kind === 'template' && expr.parts.every((p) => typeof p === 'string')) return expr.parts.join('');
  if (expr.kind === 'literal' && typeof expr.value === 'string') return expr.value;
  return null;
}

const attr = (body, name) => body.attributes.find((a) => a.name === name);

function loadModule(dir) {
  const mod = {
    dir,
    files: [],
    parseErrors: [],
    variables: new Map(),
    locals: new Map(),
    outputs: new Map(),
    resources: new Map(),
    data: new Map(),
    modules: new Map(),
    terraform: [],
    providers: [],
    duplicates: [],
  };
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  for (const name of files) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    let ast;
    try {
      ast = parse(text, file);
    } catch (e) {
      if (!(e instanceof HclError)) throw e;
      mod.parseErrors.push({ file, line: e.line, message: `syntax error: ${e.message}` });
      continue;
    }
    mod.files.push({ file, text, ast });
    const declare = (map, key, value, what) => {
      if (map.has(key)) mod.duplicates.push({ file, line: value.line, message: `${what} ${key} is declared twice (also ${path.basename(map.get(key).file)}:${map.get(key).line})` });
      else map.set(key, value);
    };
    for (const block of ast.body.blocks) {
      const entry = { file, line: block.line, block };
      switch (block.type) {
        case 'variable':
          declare(mod.variables, block.labels[0], entry, 'variable');
          break;
        case 'output':
          declare(mod.outputs, block.labels[0], entry, 'output');
          break;
        case 'locals':
          for (const a of block.body.attributes) declare(mod.locals, a.name, { file, line: a.line, expr: a.expr, block }, 'local');
          break;
        case 'resource':
          declare(mod.resources, `${block.labels[0]}.${block.labels[1]}`, entry, 'resource');
          break;
        case 'data':
          declare(mod.data, `${block.labels[0]}.${block.labels[1]}`, entry, 'data source');
          break;
        case 'module':
          declare(mod.modules, block.labels[0], entry, 'module');
          break;
        case 'terraform':
          mod.terraform.push(entry);
          break;
        case 'provider':
          mod.providers.push(entry);
          break;
        default:
          break;
      }
    }
  }
  return mod;
}

// Resolves a module call's local source ("../x") to a directory, or null.
function moduleSource(callerDir, block) {
  const source = literalString(attr(block.body, 'source') && attr(block.body, 'source').expr);
  if (source === null || !(source.startsWith('./') || source.startsWith('../'))) return { source, dir: null };
  return { source, dir: path.resolve(callerDir, source) };
}

module.exports = { findModuleDirs, loadModule, moduleSource, literalString, attr };
