'use strict';
// A parser for the HCL native syntax as Terraform uses it, keeping the line of
// every block, attribute and reference (which JSON conversions lose).
//
// parse(text, file) -> { body } where
//   body  = { attributes: [{ name, line, expr }], blocks: [{ type, labels, line, body }] }
//   expr  = { kind, line, ... } with kind one of literal, template, tuple, object,
//           traversal, access, call, for, cond, binary, unary, paren
// A syntax error throws HclError with file and line.

class HclError extends Error {
  constructor(message, file, line) {
    super(message);
    this.file = file;
    this.line = line;
  }
}

const isIdStart = (c) => /[A-Za-z_]/.test(c);
const isIdPart = (c) => /[A-Za-z0-9_-]/.test(c);
const isDigit = (c) => c >= '0' && c <= '9';

class Parser {
  constructor(text, file) {
    this.src = text;
    this.file = file;
    this.pos = 0;
    this.end = text.length;
    // Whether newlines end the current expression (true at body and object level,
    // false inside parentheses, brackets, for expressions and interpolations).
    this.newlineEnds = [true];
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  lineAt(pos) {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  fail(message, pos = this.pos) {
    throw new HclError(message, this.file, this.lineAt(Math.min(pos, this.src.length)));
  }

  peek(offset = 0) {
    return this.pos + offset < this.end ? this.src[this.pos + offset] : '';
  }

  startsWith(s) {
    return this.src.startsWith(s, this.pos) && this.pos + s.length <= this.end;
  }

  // Skips blanks and comments; newlines too unless they end expressions here.
  skip(newlines = !this.newlineEnds[this.newlineEnds.length - 1]) {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\n' && newlines) this.pos++;
      else if (c === '#' || (c === '/' && this.peek(1) === '/')) {
        while (this.pos < this.end && this.src[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && this.peek(1) === '*') {
        const close = this.src.indexOf('*/', this.pos + 2);
        if (close < 0 || close >= this.end) this.fail('unterminated comment');
        this.pos = close + 2;
      } else return;
    }
  }

  expect(s) {
    this.skip();
    if (!this.startsWith(s)) this.fail(`expected "${s}"`);
    this.pos += s.length;
  }

  ident() {
    if (!isIdStart(this.peek())) this.fail('expected a name');
    const start = this.pos;
    while (this.pos < this.end && isIdPart(this.src[this.pos])) this.pos++;
    return this.src.slice(start, this.pos);
  }

  // ---- bodies -------------------------------------------------------------

  parseBody(closing) {
    const body = { attributes: [], blocks: [] };
    for (;;) {
      this.skip(true);
      if (this.pos >= this.end) {
        if (closing) this.fail(`missing "${closing}"`);
        return body;
      }
      if (closing && this.peek() === closing) return body;
      const line = this.lineAt(this.pos);
      const name = this.ident();
      this.skip(false);
      if (this.peek() === '=' && this.peek(1) !== '=') {
        this.pos++;
        const expr = this.withNewlines(true, () => this.parseExpr());
        body.attributes.push({ name, line, expr });
        this.endOfItem(closing);
        continue;
      }
      const labels = [];
      for (;;) {
        this.skip(false);
        const c = this.peek();
        if (c === '"') labels.push(this.parseQuoted().parts.join(''));
        else if (isIdStart(c)) labels.push(this.ident());
        else break;
      }
      if (this.peek() !== '{') this.fail(`expected "=" or a block after "${name}"`);
      this.pos++;
      this.newlineEnds.push(true);
      const inner = this.parseBody('}');
      this.newlineEnds.pop();
      this.pos++; // }
      body.blocks.push({ type: name, labels, line, body: inner });
      this.endOfItem(closing);
    }
  }

  endOfItem(closing) {
    this.skip(false);
    const c = this.peek();
    if (c === '\n') this.pos++;
    else if (c === '' || (closing && c === closing)) return;
    else this.fail('expected a new line after the attribute or block');
  }

  withNewlines(ends, fn) {
    this.newlineEnds.push(ends);
    try {
      return fn();
    } finally {
      this.newlineEnds.pop();
    }
  }

  // ---- expressions --------------------------------------------------------

  parseExpr() {
    const cond = this.parseBinary(0);
    this.skip();
    if (this.peek() === '?') {
      this.pos++;
      const t = this.parseExpr();
      this.expect(':');
      const f = this.parseExpr();
      return { kind: 'cond', line: cond.line, cond, t, f };
    }
    return cond;
  }

  parseBinary(level) {
    const levels = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];
    if (level === levels.length) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      this.skip();
      const op = levels[level].find((o) => this.startsWith(o) && !(o === '/' && /[/*]/.test(this.peek(1))));
      if (!op) return left;
      this.pos += op.length;
      const right = this.parseBinary(level + 1);
      left = { kind: 'binary', op, line: left.line, left, right };
    }
  }

  parseUnary() {
    this.skip();
    const c = this.peek();
    if ((c === '-' || c === '!') && this.peek(1) !== '=') {
      const line = this.lineAt(this.pos);
      this.pos++;
      return { kind: 'unary', op: c, line, expr: this.parseUnary() };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  parsePostfix(expr) {
    const parts = [];
    for (;;) {
      this.skip();
      if (this.peek() === '.' && this.peek(1) === '*') {
        this.pos += 2;
        parts.push({ type: 'splat' });
      } else if (this.peek() === '.' && this.peek(1) !== '.') {
        this.pos++;
        this.skip();
        if (isDigit(this.peek())) {
          const start = this.pos;
          while (isDigit(this.peek())) this.pos++;
          parts.push({ type: 'index', expr: { kind: 'literal', value: Number(this.src.slice(start, this.pos)), line: this.lineAt(start) } });
        } else parts.push({ type: 'attr', name: this.ident() });
      } else if (this.peek() === '[') {
        this.pos++;
        this.skip(true);
        if (this.peek() === '*') {
          this.pos++;
          this.expect(']');
          parts.push({ type: 'splat' });
        } else {
          const index = this.withNewlines(false, () => this.parseExpr());
          this.skip(true);
          this.expect(']');
          parts.push({ type: 'index', expr: index });
        }
      } else break;
    }
    if (!parts.length) return expr;
    if (expr.kind === 'traversal') return { ...expr, parts: expr.parts.concat(parts) };
    return { kind: 'access', line: expr.line, target: expr, parts };
  }

  parsePrimary() {
    this.skip();
    const c = this.peek();
    const line = this.lineAt(this.pos);
    if (c === '"') return this.parseQuoted();
    if (c === '<' && this.peek(1) === '<') return this.parseHeredoc();
    if (isDigit(c)) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.src.slice(this.pos, this.end));
      this.pos += m[0].length;
      return { kind: 'literal', value: Number(m[0]), line };
    }
    if (c === '(') {
      this.pos++;
      const inner = this.withNewlines(false, () => this.parseExpr());
      this.skip(true);
      this.expect(')');
      return { kind: 'paren', line, expr: inner };
    }
    if (c === '[') return this.parseTuple();
    if (c === '{') return this.parseObject();
    if (isIdStart(c)) {
      const name = this.ident();
      if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true', line };
      if (name === 'null') return { kind: 'literal', value: null, line };
      const save = this.pos;
      this.skip(false);
      if (this.peek() === '(') {
        this.pos++;
        return this.parseCall(name, line);
      }
      this.pos = save;
      return { kind: 'traversal', root: name, parts: [], line };
    }
    this.fail(c === '\n' ? 'unexpected new line' : c ? `unexpected "${c}"` : 'unexpected end of file');
  }

  parseCall(name, line) {
    const args = [];
    let expand = false;
    this.withNewlines(false, () => {
      this.skip();
      while (this.peek() !== ')') {
        args.push(this.parseExpr());
        this.skip();
        if (this.startsWith('...')) {
          this.pos += 3;
          expand = true;
          this.skip();
        }
        if (this.peek() === ',') {
          this.pos++;
          this.skip();
        } else if (this.peek() !== ')') this.fail(`expected "," or ")" in the call of ${name}`);
      }
      this.pos++;
    });
    return { kind: 'call', name, args, expand, line };
  }

  isForKeyword() {
    const m = /^for\s+[A-Za-z_][A-Za-z0-9_-]*\s*(,|in\b)/.exec(this.src.slice(this.pos, Math.min(this.end, this.pos + 200)));
    return Boolean(m);
  }

  // "k, v in" or "v in" of a for expression or directive (after "for ").
  parseForVariables() {
    let keyVar = null;
    let valVar = this.ident();
    this.skip();
    if (this.peek() === ',') {
      this.pos++;
      this.skip();
      keyVar = valVar;
      valVar = this.ident();
      this.skip();
    }
    if (this.ident() !== 'in') this.fail('expected "in" after the variables of a for');
    return { keyVar, valVar };
  }

  parseFor(line, isObject, closing) {
    this.pos += 3;
    this.skip();
    const { keyVar, valVar } = this.parseForVariables();
    const coll = this.parseExpr();
    this.expect(':');
    let keyExpr = null;
    let valExpr;
    let grouping = false;
    if (isObject) {
      keyExpr = this.parseExpr();
      this.expect('=>');
      valExpr = this.parseExpr();
      this.skip();
      if (this.startsWith('...')) {
        this.pos += 3;
        grouping = true;
      }
    } else valExpr = this.parseExpr();
    this.skip();
    let cond = null;
    if (this.startsWith('if') && !isIdPart(this.peek(2))) {
      this.pos += 2;
      cond = this.parseExpr();
    }
    this.expect(closing);
    return { kind: 'for', line, isObject, keyVar, valVar, coll, keyExpr, valExpr, cond, grouping };
  }

  parseTuple() {
    const line = this.lineAt(this.pos);
    this.pos++;
    return this.withNewlines(false, () => {
      this.skip();
      if (this.isForKeyword()) return this.parseFor(line, false, ']');
      const items = [];
      while (this.peek() !== ']') {
        items.push(this.parseExpr());
        this.skip();
        if (this.peek() === ',') {
          this.pos++;
          this.skip();
        } else if (this.peek() !== ']') this.fail('expected "," or "]" in a list');
      }
      this.pos++;
      return { kind: 'tuple', line, items };
    });
  }

  parseObject() {
    const line = this.lineAt(this.pos);
    this.pos++;
    this.skip(true);
    if (this.isForKeyword()) return this.withNewlines(false, () => this.parseFor(line, true, '}'));
    const items = [];
    this.newlineEnds.push(true);
    try {
      for (;;) {
        this.skip(true);
        if (this.peek() === '}') break;
        const keyLine = this.lineAt(this.pos);
        let key;
        let keyName = null;
        if (isIdStart(this.peek())) {
          const save = this.pos;
          const name = this.ident();
          this.skip(false);
          if (this.peek() === '=' || this.peek() === ':') {
            keyName = name;
            key = { kind: 'literal', value: name, line: keyLine };
          } else {
            this.pos = save;
            key = this.parseExpr();
          }
        } else {
          key = this.withNewlines(false, () => this.parseBinary(0));
          if (key.kind === 'template' && key.parts.every((p) => typeof p === 'string')) keyName = key.parts.join('');
        }
        this.skip(false);
        if (this.peek() !== '=' && this.peek() !== ':') this.fail('expected "=" after an object key');
        this.pos++;
        const value = this.parseExpr();
        items.push({ key, keyName, value, line: keyLine });
        this.skip(false);
        if (this.peek() === ',') this.pos++;
        else if (this.peek() !== '\n' && this.peek() !== '}') this.fail('expected "," or a new line between object items');
      }
    } finally {
      this.newlineEnds.pop();
    }
    this.pos++;
    return { kind: 'object', line, items };
  }

  // ---- templates ----------------------------------------------------------

  parseQuoted() {
    const line = this.lineAt(this.pos);
    this.pos++;
    const parts = this.parseTemplate((p) => {
      if (p.peek() === '\n' || p.pos >= p.end) p.fail('unterminated string');
      return p.peek() === '"';
    }, true);
    this.pos++;
    return { kind: 'template', line, parts };
  }

  parseHeredoc() {
    const line = this.lineAt(this.pos);
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(this.src.slice(this.pos, this.end));
    if (!m) this.fail('malformed heredoc');
    const contentStart = this.pos + m[0].length;
    const marker = new RegExp(`^[ \\t]*${m[2]}[ \\t]*\\r?$`, 'm');
    const rest = this.src.slice(contentStart, this.end);
    const found = marker.exec(rest);
    if (!found) this.fail(`heredoc ${m[2]} is never closed`);
    const contentEnd = contentStart + found.index;
    const savedEnd = this.end;
    this.pos = contentStart;
    this.end = contentEnd;
    const parts = this.parseTemplate((p) => p.pos >= p.end, false);
    this.end = savedEnd;
    this.pos = contentEnd + found[0].length;
    return { kind: 'template', line, parts, heredoc: true };
  }

  // Literal text and interpolated expressions up to isEnd; strings keep escapes decoded.
  parseTemplate(isEnd, quoted) {
    const parts = [];
    let text = '';
    const flush = () => {
      if (text) parts.push(text);
      text = '';
    };
    while (!isEnd(this)) {
      const c = this.peek();
      if ((c === '$' || c === '%') && this.peek(1) === '{') {
        flush();
        const directive = c === '%';
        this.pos += 2;
        const expr = this.withNewlines(false, () => {
          this.skip();
          if (this.peek() === '~') this.pos++;
          const e = directive ? this.parseDirective() : this.parseExpr();
          this.skip();
          if (this.peek() === '~') this.pos++;
          return e;
        });
        this.expect('}');
        parts.push(expr);
      } else if (quoted && c === '\\') {
        const n = this.peek(1);
        const map = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (n === 'u') {
          text += String.fromCharCode(parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          text += map[n] !== undefined ? map[n] : n;
          this.pos += 2;
        }
      } else if ((c === '$' || c === '%') && this.peek(1) === c && this.peek(2) === '{') {
        // "$${" and "%%{" are a literal "${" and "%{"
        text += c + '{';
        this.pos += 3;
      } else {
        text += c;
        this.pos++;
      }
    }
    flush();
    return parts;
  }

  // %{ if cond } / %{ else } / %{ endif } / %{ for x in coll } / %{ endfor }
  parseDirective() {
    const line = this.lineAt(this.pos);
    const word = this.ident();
    this.skip();
    if (word === 'if') return { kind: 'directive', word, line, expr: this.parseExpr() };
    if (word === 'for') {
      const { keyVar, valVar } = this.parseForVariables();
      return { kind: 'directive', word, line, keyVar, valVar, expr: this.parseExpr() };
    }
    if (['else', 'endif', 'endfor'].includes(word)) return { kind: 'directive', word, line, expr: null };
    this.fail(`unknown template directive "${word}"`);
  }
}

function parse(text, file) {
  const parser = new Parser(text.replace(/^\uFEFF/, ''), file);
  return { body: parser.parseBody(null) };
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

module.exports = { parse, references, HclError };
