'use strict';
// The HCL native syntax as Terraform uses it, read by tree-sitter-hcl (the grammar the
// tree-sitter-grammars project maintains, run as WebAssembly by web-tree-sitter: no native
// build), keeping the line of every block, attribute and reference (which JSON conversions
// lose). This file only turns tree-sitter's syntax tree into the shape the checks read.
//
// await init() once, then parse(text, file) -> { body } where
//   body  = { attributes: [{ name, line, expr }], blocks: [{ type, labels, line, body }] }
//   expr  = { kind, line, ... } with kind one of literal, template, tuple, object,
//           traversal, access, call, for, cond, binary, unary, paren
// A syntax error throws HclError with file and line.
const { Parser, Language } = require('web-tree-sitter');

class HclError extends Error {
  constructor(message, file, line) {
    super(message);
    this.file = file;
    this.line = line;
  }
}

let parser = null;

// Loads the grammar (WebAssembly, asynchronous); parse() needs it done.
async function init() {
  if (parser) return;
  await Parser.init();
  const language = await Language.load(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'));
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

const lineOf = (node) => node.startPosition.row + 1;
const named = (node, type) => node.namedChildren.filter((c) => c.type === type);
const first = (node, type) => node.namedChildren.find((c) => c.type === type) || null;

// The first error or missing token, as tree-sitter recovered from it. A missing token is
// placed where the next one starts; its line is that of the text it should have followed.
function firstError(node, text) {
  if (node.isMissing) {
    const before = text.slice(0, node.startIndex).trimEnd();
    return { line: before.split('\n').length, message: `missing "${node.type}"` };
  }
  if (node.isError) {
    const near = node.text.split('\n')[0].trim();
    return { line: lineOf(node), message: near ? `unexpected "${near.slice(0, 40)}"` : 'unexpected new line' };
  }
  if (!node.hasError) return null;
  for (const child of node.children) {
    const found = firstError(child, text);
    if (found) return found;
  }
  return null;
}

// ---- bodies -------------------------------------------------------------------

function convertBody(node) {
  const body = { attributes: [], blocks: [] };
  if (!node) return body;
  for (const child of node.namedChildren) {
    if (child.type === 'attribute') {
      body.attributes.push({ name: first(child, 'identifier').text, line: lineOf(child), expr: convertExpression(first(child, 'expression')) });
    } else if (child.type === 'block') {
      const [type, ...labelNodes] = child.namedChildren.filter((c) => c.type === 'identifier' || c.type === 'string_lit');
      const labels = labelNodes.map((l) => (l.type === 'identifier' ? l.text : stringParts(l).join('')));
      body.blocks.push({ type: type.text, labels, line: lineOf(child), body: convertBody(first(child, 'body')) });
    }
  }
  return body;
}

// ---- expressions --------------------------------------------------------------

const OPERANDS = new Set(['variable_expr', 'literal_value', 'collection_value', 'template_expr', 'function_call',
  'for_expr', 'operation', 'conditional', 'expression']);
const POSTFIX = new Set(['get_attr', 'index', 'splat']);

// tree-sitter-hcl inlines a term with its attribute, index and splat accesses and its
// parentheses into the parent node: read a run of children as operands and operators.
function sequence(nodes) {
  const out = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.type === 'comment') continue;
    if (!n.isNamed && n.type === '(') {
      let close = i + 1;
      while (nodes[close].type !== ')') close++;
      const inner = nodes.slice(i + 1, close).find((c) => c.type === 'expression');
      out.push({ expr: { kind: 'paren', line: lineOf(n), expr: convertExpression(inner) } });
      i = close;
    } else if (n.isNamed && OPERANDS.has(n.type)) {
      out.push({ expr: convertTerm(n) });
    } else if (n.isNamed && POSTFIX.has(n.type)) {
      const last = out[out.length - 1];
      last.expr = withParts(last.expr, accessParts(n));
    } else if (!n.isNamed) {
      out.push({ op: n.type });
    }
  }
  return out;
}

function withParts(expr, parts) {
  if (expr.kind === 'traversal' || expr.kind === 'access') return { ...expr, parts: expr.parts.concat(parts) };
  return { kind: 'access', line: expr.line, target: expr, parts };
}

function accessParts(node) {
  switch (node.type) {
    case 'get_attr':
      return [{ type: 'attr', name: first(node, 'identifier').text }];
    case 'index': {
      const legacy = first(node, 'legacy_index');
      if (legacy) return [{ type: 'index', expr: { kind: 'literal', value: Number(legacy.text.replace(/^\./, '')), line: lineOf(legacy) } }];
      return [{ type: 'index', expr: convertExpression(first(first(node, 'new_index'), 'expression')) }];
    }
    case 'splat': {
      const splat = node.namedChildren[0];
      return [{ type: 'splat' }, ...splat.namedChildren.filter((c) => POSTFIX.has(c.type)).flatMap(accessParts)];
    }
    default:
      throw new Error(`unknown access ${node.type}`);
  }
}

function convertExpression(node) {
  const items = sequence(node.children);
  if (items.length !== 1 || !items[0].expr) throw new HclError(`cannot read the expression "${node.text.slice(0, 40)}"`, null, lineOf(node));
  return items[0].expr;
}

function convertTerm(node) {
  const line = lineOf(node);
  switch (node.type) {
    case 'expression':
      return convertExpression(node);
    case 'variable_expr':
      return { kind: 'traversal', root: node.namedChildren[0].text, parts: [], line };
    case 'literal_value': {
      const v = node.namedChildren[0];
      if (v.type === 'numeric_lit') return { kind: 'literal', value: Number(v.text), line };
      if (v.type === 'bool_lit') return { kind: 'literal', value: v.text === 'true', line };
      if (v.type === 'null_lit') return { kind: 'literal', value: null, line };
      return { kind: 'template', line, parts: stringParts(v) };
    }
    case 'collection_value':
      return convertCollection(node.namedChildren[0]);
    case 'template_expr':
      return convertTemplate(node.namedChildren[0]);
    case 'function_call': {
      const args = first(node, 'function_arguments');
      return {
        kind: 'call',
        name: first(node, 'identifier').text,
        args: args ? named(args, 'expression').map(convertExpression) : [],
        expand: Boolean(args && first(args, 'ellipsis')),
        line,
      };
    }
    case 'for_expr':
      return convertFor(node.namedChildren[0], line);
    case 'conditional': {
      const [cond, t, f] = named(node, 'expression').map(convertExpression);
      return { kind: 'cond', line: cond.line, cond, t, f };
    }
    case 'operation': {
      const op = node.namedChildren[0];
      const items = sequence(op.children);
      if (op.type === 'unary_operation') return { kind: 'unary', op: items[0].op, line: lineOf(op), expr: items[1].expr };
      const [left, operator, right] = items;
      return { kind: 'binary', op: operator.op, line: left.expr.line, left: left.expr, right: right.expr };
    }
    default:
      throw new HclError(`unknown expression ${node.type}`, null, line);
  }
}

function convertCollection(node) {
  const line = lineOf(node);
  if (node.type === 'tuple') return { kind: 'tuple', line, items: named(node, 'expression').map(convertExpression) };
  const items = named(node, 'object_elem').map((elem) => {
    const keyNode = elem.childForFieldName('key');
    const key = convertExpression(keyNode);
    let keyName = null;
    if (key.kind === 'traversal' && key.parts.length === 0) keyName = key.root;
    else if (key.kind === 'template' && key.parts.every((p) => typeof p === 'string')) keyName = key.parts.join('');
    return {
      key: keyName !== null && key.kind === 'traversal' ? { kind: 'literal', value: keyName, line: key.line } : key,
      keyName,
      value: convertExpression(elem.childForFieldName('val')),
      line: lineOf(elem),
    };
  });
  return { kind: 'object', line, items };
}

function convertFor(node, line) {
  const intro = first(node, 'for_intro');
  const vars = named(intro, 'identifier').map((i) => i.text);
  const [keyVar, valVar] = vars.length === 2 ? vars : [null, vars[0]];
  const coll = convertExpression(first(intro, 'expression'));
  const exprs = named(node, 'expression').map(convertExpression);
  const cond = first(node, 'for_cond') ? convertExpression(first(first(node, 'for_cond'), 'expression')) : null;
  const isObject = node.type === 'for_object_expr';
  return {
    kind: 'for', line, isObject, keyVar, valVar, coll,
    keyExpr: isObject ? exprs[0] : null,
    valExpr: isObject ? exprs[1] : exprs[0],
    cond,
    grouping: isObject && Boolean(first(node, 'ellipsis')),
  };
}

// ---- templates ----------------------------------------------------------------

const ESCAPES = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

// Literal text of a template: escapes decoded (quoted strings only), "$${" and "%%{" are "${" and "%{".
function literalText(text, quoted) {
  let out = text.replace(/([$%])\1\{/g, '$1{');
  if (quoted) {
    out = out.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (m, e) => (e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16)) : ESCAPES[e] !== undefined ? ESCAPES[e] : e));
  }
  return out;
}

// tree-sitter leaves the blanks around a template's literal text out of its template_literal
// nodes: the literal text is read from the source between the template's other pieces.
let source = '';

// The interpolations and directive pieces of a template, in order (directives flattened).
function templatePieces(node, out = []) {
  for (const child of node.namedChildren) {
    if (['template_directive', 'template_if', 'template_for'].includes(child.type)) templatePieces(child, out);
    else if (child.type !== 'template_literal' && child.type !== 'comment') out.push(child);
  }
  return out;
}

// Literal text and expressions between the source offsets start and end.
function templateParts(node, start, end, quoted) {
  const parts = [];
  let at = start;
  const text = (to) => {
    const literal = literalText(source.slice(at, to), quoted);
    if (literal) parts.push(literal);
  };
  for (const piece of templatePieces(node).filter((p) => p.startIndex >= start && p.endIndex <= end)) {
    text(piece.startIndex);
    at = piece.endIndex;
    const line = lineOf(piece);
    const expression = first(piece, 'expression');
    const vars = named(piece, 'identifier').map((i) => i.text);
    switch (piece.type) {
      case 'template_interpolation':
        parts.push(convertExpression(expression));
        break;
      case 'template_if_intro':
        parts.push({ kind: 'directive', word: 'if', line, expr: convertExpression(expression) });
        break;
      case 'template_else_intro':
        parts.push({ kind: 'directive', word: 'else', line, expr: null });
        break;
      case 'template_if_end':
        parts.push({ kind: 'directive', word: 'endif', line, expr: null });
        break;
      case 'template_for_start':
        parts.push({ kind: 'directive', word: 'for', line, keyVar: vars.length === 2 ? vars[0] : null, valVar: vars[vars.length - 1], expr: convertExpression(expression) });
        break;
      case 'template_for_end':
        parts.push({ kind: 'directive', word: 'endfor', line, expr: null });
        break;
      default:
        break;
    }
  }
  text(end);
  return parts;
}

// A quoted string or template: between its quotes.
function quotedParts(node) {
  return templateParts(node, first(node, 'quoted_template_start').endIndex, first(node, 'quoted_template_end').startIndex, true);
}

const stringParts = quotedParts;

function convertTemplate(node) {
  if (node.type === 'quoted_template') return { kind: 'template', line: lineOf(node), parts: quotedParts(node) };
  // a heredoc: from the line after <<ID to the line of the closing ID
  const [open, close] = named(node, 'heredoc_identifier');
  const start = source.indexOf('\n', open.endIndex) + 1;
  const end = source.lastIndexOf('\n', close.startIndex) + 1;
  return { kind: 'template', line: lineOf(node), parts: templateParts(node, start, end, false), heredoc: true };
}

function parse(text, file) {
  if (!parser) throw new Error('hcl: await init() before parse()');
  source = text.replace(/^\uFEFF/, '');
  const tree = parser.parse(source);
  try {
    const error = firstError(tree.rootNode, source);
    if (error) throw new HclError(error.message, file, error.line);
    try {
      return { body: convertBody(first(tree.rootNode, 'body')) };
    } catch (e) {
      if (e instanceof HclError) throw new HclError(e.message, file, e.line);
      throw e;
    }
  } finally {
    tree.delete();
  }
}

// Every reference in an expression: { root, parts, line }, leaving out names bound
// by for expressions and template for directives (scope: a Set of bound names).
function references(expr, scope = new Set(), out = []) {
  if (!expr || typeof expr === 'string') return out;
  switch (expr.kind) {
    case 'literal':
      break;
    case 'traversal':
      if (!scope.has(expr.root)) out.push(expr);
      for (const p of expr.parts) if (p.type === 'index') references(p.expr, scope, out);
      break;
    case 'access':
      references(expr.target, scope, out);
      for (const p of expr.parts) if (p.type === 'index') references(p.expr, scope, out);
      break;
    case 'template': {
      let inner = scope;
      for (const p of expr.parts) {
        if (typeof p === 'string') continue;
        if (p.kind === 'directive') {
          references(p.expr, inner, out);
          if (p.word === 'for') inner = new Set([...inner, p.valVar, ...(p.keyVar ? [p.keyVar] : [])]);
        } else references(p, inner, out);
      }
      break;
    }
    case 'tuple':
      expr.items.forEach((e) => references(e, scope, out));
      break;
    case 'object':
      for (const item of expr.items) {
        if (item.keyName === null) references(item.key, scope, out);
        references(item.value, scope, out);
      }
      break;
    case 'call':
      expr.args.forEach((e) => references(e, scope, out));
      break;
    case 'for': {
      references(expr.coll, scope, out);
      const inner = new Set([...scope, expr.valVar, ...(expr.keyVar ? [expr.keyVar] : [])]);
      references(expr.keyExpr, inner, out);
      references(expr.valExpr, inner, out);
      references(expr.cond, inner, out);
      break;
    }
    case 'cond':
      references(expr.cond, scope, out);
      references(expr.t, scope, out);
      references(expr.f, scope, out);
      break;
    case 'binary':
      references(expr.left, scope, out);
      references(expr.right, scope, out);
      break;
    case 'unary':
    case 'paren':
      references(expr.expr, scope, out);
      break;
    default:
      throw new Error(`unknown expression kind ${expr.kind}`);
  }
  return out;
}

module.exports = { init, parse, references, HclError };
