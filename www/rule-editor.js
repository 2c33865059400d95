// The segment rule editor: live validation by the engine (the error underlined at its offset, the message and a
// "did you mean" fix), token shading and keyboard-accessible completion. Everything about the language comes from
// the engine: `tokenize` (the lexer's tokens) and `complete` (columns, fitting operators, the column's real values,
// each quoted as the parser reads it). This file knows no keyword and no quoting rule.

/** UTF-8 byte offset → UTF-16 index in `text` (the engine reports byte offsets). */
export function byteToIndex(text, byteOffset) {
  let bytes = 0;
  let i = 0;
  for (const ch of text) {
    if (bytes >= byteOffset) return i;
    const cp = ch.codePointAt(0);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += ch.length;
  }
  return i;
}

export class RuleEditor {
  /**
   * `validate(rule)` → `{ size, rule, sql }` or a SegmetryError; `complete(rule, cursor)` → `{ start, end, items }`;
   * `tokenize(rule)` → `[{ kind, start, end }]` (string positions). All three may be async.
   */
  constructor({ textarea, highlights, suggestions, feedback, validate, complete, tokenize, t, fmt }) {
    Object.assign(this, { textarea, highlights, suggestions, feedback, validate, complete, tokenize, t, fmt });
    this.items = [];
    this.range = null; // { start, end } the items replace, for the text they were computed on
    this.tokens = { rule: null, list: [] };
    this.completionSeq = 0;
    this.active = -1;
    this.timer = null;
    this.seq = 0;
    this.last = null;
    textarea.addEventListener('input', () => {
      this.paint();
      this.schedule();
      this.suggest(false);
    });
    textarea.addEventListener('scroll', () => {
      this.highlights.parentElement.scrollTop = textarea.scrollTop;
    });
    textarea.addEventListener('keydown', (e) => this.onKey(e));
    // Close on a real loss of focus only: a blur followed by a refocus (a click on a suggestion, the page
    // re-rendering a panel) must not dismiss the list the user is reading.
    textarea.addEventListener('blur', () =>
      setTimeout(() => {
        if (document.activeElement !== textarea) this.close();
      }, 150),
    );
    textarea.addEventListener('click', () => this.close());
    suggestions.addEventListener('mousedown', (e) => {
      const li = e.target.closest('li[data-index]');
      if (li) {
        e.preventDefault();
        this.accept(Number(li.dataset.index));
      }
    });
  }

  /** The dataset changed: check the rule again. */
  datasetChanged() {
    this.revalidate();
  }

  setLocale() {
    if (this.last) this.show(this.last);
  }

  setValue(text) {
    this.textarea.value = text;
    this.paint();
    this.revalidate();
  }

  clear() {
    this.textarea.value = '';
    this.last = null;
    this.paint();
    this.feedback.replaceChildren();
    delete this.feedback.dataset.state;
    this.textarea.removeAttribute('aria-invalid');
  }

  schedule() {
    clearTimeout(this.timer);
    this.feedback.dataset.state = 'pending';
    this.timer = setTimeout(() => {
      this.validateNow();
      this.shade();
    }, 160);
  }

  revalidate() {
    if (this.textarea.value.trim()) this.validateNow();
  }

  async validateNow() {
    clearTimeout(this.timer);
    const rule = this.textarea.value;
    const mine = ++this.seq;
    if (!rule.trim()) {
      this.clear();
      return null;
    }
    this.feedback.dataset.state = 'pending';
    let result;
    try {
      const r = await this.validate(rule);
      result = { ok: true, rule, size: r.size, canonical: r.rule, sql: r.sql };
    } catch (err) {
      result = { ok: false, rule, error: err };
    }
    if (mine !== this.seq) return result;
    this.last = result;
    this.show(result);
    return result;
  }

  show(result) {
    const { t, fmt } = this;
    this.paint();
    this.feedback.replaceChildren();
    if (result.ok) {
      this.textarea.removeAttribute('aria-invalid');
      this.feedback.dataset.state = 'valid';
      this.feedback.dataset.size = String(result.size);
      const p = document.createElement('p');
      p.className = 'valid';
      p.textContent = t('ruleValid', { size: fmt().integer(result.size) });
      this.feedback.append(p);
      return;
    }
    const err = result.error;
    this.textarea.setAttribute('aria-invalid', 'true');
    this.feedback.dataset.state = 'invalid';
    this.feedback.dataset.code = err.code ?? 'ERROR';
    delete this.feedback.dataset.size;
    const box = document.createElement('div');
    box.className = 'rule-error';
    box.setAttribute('role', 'alert');
    const code = document.createElement('strong');
    code.textContent = err.code ?? 'ERROR';
    const msg = document.createElement('span');
    msg.className = 'message';
    msg.textContent = ` ${err.message.split('\n')[0]}`;
    box.append(code, msg);
    // The engine words its "did you mean" in the dashboard's language (`lang` of ds.segment).
    const hint = /(?:did you mean|tarkoititko) `([^`]+)`/.exec(err.message);
    if (hint && err.start !== undefined) {
      const p = document.createElement('p');
      p.className = 'suggestion';
      p.textContent = `${t('suggestion', { value: hint[1] })} `;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link';
      b.dataset.action = 'apply-suggestion';
      b.textContent = t('apply');
      b.addEventListener('click', () => {
        const text = this.textarea.value;
        const s = byteToIndex(text, err.start);
        const e = byteToIndex(text, err.end);
        this.setValue(text.slice(0, s) + hint[1] + text.slice(e));
        this.textarea.focus();
      });
      p.append(b);
      box.append(p);
    }
    this.feedback.append(box);
  }

  /** Mirror the text in the backdrop, with the error range underlined. */
  paint() {
    const text = this.textarea.value;
    const out = this.highlights;
    out.replaceChildren();
    const err = this.last && !this.last.ok && this.last.rule === text ? this.last.error : null;
    if (!err || err.start === undefined) {
      out.append(...this.shaded(text), '\n');
      return;
    }
    const s = byteToIndex(text, err.start);
    const e = Math.max(byteToIndex(text, err.end), s);
    const mark = document.createElement('mark');
    mark.dataset.start = String(s);
    mark.dataset.end = String(e);
    mark.textContent = e > s ? text.slice(s, e) : ' ';
    if (e === s) mark.className = 'at-end';
    out.append(text.slice(0, s), mark, text.slice(e), '\n');
  }

  /** The text as nodes, each engine token in a span whose class names its kind (tinted by style.css). */
  shaded(text) {
    if (this.tokens.rule !== text) return [text];
    const nodes = [];
    let at = 0;
    for (const tok of this.tokens.list) {
      if (tok.start > at) nodes.push(text.slice(at, tok.start));
      const span = document.createElement('span');
      span.className = `tok tok-${tok.kind}`;
      span.textContent = text.slice(tok.start, tok.end);
      nodes.push(span);
      at = tok.end;
    }
    nodes.push(text.slice(at));
    return nodes;
  }

  /** Ask the engine for the tokens, then repaint. */
  async shade() {
    const rule = this.textarea.value;
    try {
      const list = await this.tokenize(rule);
      if (this.textarea.value !== rule) return;
      this.tokens = { rule, list };
      this.paint();
    } catch {
      /* shading is a nicety: the rule is still validated */
    }
  }

  // --- completion ------------------------------------------------------------------------------------------
  async suggest(force) {
    const rule = this.textarea.value;
    const cursor = this.textarea.selectionStart;
    const mine = ++this.completionSeq;
    let completion;
    try {
      completion = await this.complete(rule, cursor);
    } catch {
      return; // no dataset yet, or a worker restart: no suggestions
    }
    if (mine !== this.completionSeq || this.textarea.value !== rule) return;
    const { start, end } = completion;
    let items = completion.items;
    // While typing, offer a list only for a word being typed or a value slot; Ctrl+Space shows everything.
    if (!force && start === end && items[0]?.kind !== 'value') items = [];
    this.range = { rule, start, end };
    // The text the list answers, so a test (or a screen reader script) can wait for the list of what is typed.
    this.suggestions.dataset.rule = rule;
    this.open(items.slice(0, 12));
  }

  open(items) {
    this.items = items;
    this.active = items.length ? 0 : -1;
    const ul = this.suggestions;
    ul.replaceChildren();
    if (!items.length) return this.close();
    items.forEach((item, i) => {
      const li = document.createElement('li');
      li.id = `rule-suggestion-${i}`;
      li.setAttribute('role', 'option');
      li.dataset.index = String(i);
      li.dataset.value = item.label;
      const label = document.createElement('span');
      label.textContent = item.label;
      li.dataset.kind = item.kind;
      const hint = document.createElement('small');
      hint.textContent = /^\d+$/.test(item.detail) ? this.fmt().integer(Number(item.detail)) : item.detail;
      li.append(label, hint);
      ul.append(li);
    });
    ul.hidden = false;
    this.textarea.setAttribute('aria-expanded', 'true');
    this.highlight();
  }

  highlight() {
    [...this.suggestions.children].forEach((li, i) =>
      li.setAttribute('aria-selected', i === this.active ? 'true' : 'false'),
    );
    if (this.active >= 0) this.textarea.setAttribute('aria-activedescendant', `rule-suggestion-${this.active}`);
  }

  close() {
    this.items = [];
    this.active = -1;
    this.suggestions.hidden = true;
    this.textarea.setAttribute('aria-expanded', 'false');
    this.textarea.removeAttribute('aria-activedescendant');
  }

  accept(index) {
    const item = this.items[index];
    const range = this.range;
    if (!item || !range || range.rule !== this.textarea.value) return;
    const text = this.textarea.value;
    this.textarea.value = text.slice(0, range.start) + item.insert + text.slice(range.end);
    const caret = range.start + item.insert.length;
    this.textarea.setSelectionRange(caret, caret);
    this.close();
    this.paint();
    this.schedule();
  }

  onKey(e) {
    if ((e.ctrlKey || e.metaKey) && e.key === ' ') {
      e.preventDefault();
      this.suggest(true);
      return;
    }
    if (e.key === 'Enter' && !this.items.length && !e.shiftKey) {
      e.preventDefault();
      this.textarea.form?.requestSubmit();
      return;
    }
    if (!this.items.length) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      this.active = (this.active + 1) % this.items.length;
      this.highlight();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      this.active = (this.active - 1 + this.items.length) % this.items.length;
      this.highlight();
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      this.accept(this.active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
    }
  }
}
