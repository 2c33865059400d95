// The segment rule editor: live validation by the engine (the error underlined at its offset, the message and a
// "did you mean" fix), and keyboard-accessible completion of column names, keywords and the column's values.

const KEYWORDS = [
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS NULL',
  'IS NOT NULL',
  'BETWEEN',
  'CONTAINS',
  'STARTS WITH',
  'ENDS WITH',
  'TRUE',
  'FALSE',
  'TODAY',
];

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

const quoteIdent = (name) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.includes(name.toUpperCase())
    ? name
    : `"${name.replaceAll('"', '""')}"`;
const quoteValue = (value) => `'${String(value).replaceAll("'", "''")}'`;

export class RuleEditor {
  constructor({ textarea, highlights, suggestions, feedback, validate, t, fmt }) {
    Object.assign(this, { textarea, highlights, suggestions, feedback, validate, t, fmt });
    this.columns = [];
    this.items = [];
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

  setColumns(columns) {
    this.columns = columns;
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
    this.timer = setTimeout(() => this.validateNow(), 160);
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
    const hint = /did you mean `([^`]+)`/.exec(err.message);
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
      out.append(text, '\n');
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

  // --- completion ------------------------------------------------------------------------------------------
  context() {
    const text = this.textarea.value;
    const pos = this.textarea.selectionStart;
    const before = text.slice(0, pos);
    const token = /('(?:[^']|'')*|"[^"]*|[A-Za-z_][\w]*)$/.exec(before)?.[0] ?? '';
    const head = before.slice(0, before.length - token.length);
    const valueCtx =
      /("(?:[^"]|"")+"|[A-Za-z_]\w*)\s*(?:=|!=|<>|<=|>=|<|>|(?:NOT\s+)?IN\s*\((?:[^)]*,\s*)?|(?:NOT\s+)?(?:CONTAINS|STARTS\s+WITH|ENDS\s+WITH|BETWEEN)|AND(?=\s*$))\s*$/i.exec(
        head,
      );
    let column = null;
    if (valueCtx) {
      const raw = valueCtx[1].startsWith('"') ? valueCtx[1].slice(1, -1).replaceAll('""', '"') : valueCtx[1];
      column =
        this.columns.find((c) => c.name === raw) ??
        this.columns.find((c) => c.name.toLowerCase() === raw.toLowerCase()) ??
        null;
      if (column && /^and$/i.test(valueCtx[0].trim().split(/\s+/).pop()) && !/BETWEEN/i.test(head)) column = null;
    }
    return { token, start: pos - token.length, end: pos, column };
  }

  suggest(force) {
    const { token, column } = this.context();
    const needle = token.replace(/^['"]/, '').toLowerCase();
    let items = [];
    if (column && (token.startsWith("'") || token === '' || force)) {
      if (/bool/.test(column.type)) items = ['TRUE', 'FALSE'].map((v) => ({ label: v, insert: v, hint: column.name }));
      else if (column.values?.length) {
        items = column.values
          .filter((v) => v.value.toLowerCase().includes(needle))
          .map((v) => ({
            label: v.value,
            insert: /utf8|dictionary/.test(column.type) ? quoteValue(v.value) : v.value,
            hint: this.fmt().integer(v.count),
          }));
      } else if (column.min !== undefined) {
        items = [
          { label: column.min, insert: column.min, hint: 'min' },
          { label: column.max, insert: column.max, hint: 'max' },
        ];
      }
    } else if (!token.startsWith("'") && (token.length > 0 || force)) {
      items = this.columns
        .filter((c) => c.name.toLowerCase().includes(needle))
        .map((c) => ({ label: c.name, insert: quoteIdent(c.name), hint: c.type }));
      if (needle)
        items.push(
          ...KEYWORDS.filter((k) => k.toLowerCase().startsWith(needle)).map((k) => ({ label: k, insert: k, hint: '' })),
        );
    }
    if (!force && items.length === 1 && items[0].insert === token) items = [];
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
      const hint = document.createElement('small');
      hint.textContent = item.hint;
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
    if (!item) return;
    const { start, end } = this.context();
    const text = this.textarea.value;
    const insert = item.insert + ' ';
    this.textarea.value = text.slice(0, start) + insert + text.slice(end);
    const caret = start + insert.length;
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
