/* The comms content editor: pick an item, edit it, preview what the bot will say (web and SMS), save a
   draft, publish, and see or roll back every published version. Text is only ever set as textContent. */
(function () {
  'use strict';

  const { el, api } = window.StaffPage;
  const state = { kinds: [], kind: null, key: null, fieldsByKind: {} };

  function $(id) { return document.getElementById(id); }

  /* replaceChildren, leaving out what a condition left empty (the DOM would show null as text). */
  function fill(node, ...children) {
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  }

  function say(message) {
    const status = $('status');
    status.textContent = message;
    status.hidden = !message;
  }

  function errorBox(error) {
    const messages = (error && error.errors) || [error.detail || String(error)];
    return el('div', { class: 'errors', role: 'alert', id: 'errors' },
      el('strong', {}, messages.length > 1 ? 'Please fix these:' : 'Please fix this:'),
      el('ul', {}, messages.map((m) => el('li', {}, m))));
  }

  /* StaffPage.api keeps `detail`; the editor's API puts one problem a line in it. */
  async function call(method, path, body) {
    try {
      return await api(method, path, body);
    } catch (error) {
      error.errors = String(error.detail || 'Something went wrong.').split('\n');
      throw error;
    }
  }

  // ------------------------------------------------------------------------------------------- overview

  async function load() {
    const overview = await call('GET', '/api/content');
    state.kinds = overview.kinds;
    state.files = overview.files;
    for (const kind of overview.kinds) state.fieldsByKind[kind.kind] = kind.fields;
    fill($('kinds'), ...overview.kinds.map((kind) => el('li', {},
      el('button', { type: 'button', class: 'button button--secondary', id: 'kind-' + kind.kind,
        'aria-current': state.kind === kind.kind ? 'true' : 'false', onclick: () => showKind(kind.kind) },
      kind.label + ' (' + kind.count + ')'))));
    $('show-drafts').textContent = 'Drafts (' + overview.drafts.length + ')';
    return overview;
  }

  async function showKind(kind) {
    state.kind = kind;
    await load();
    const listed = await call('GET', '/api/content/' + kind);
    const spec = state.kinds.find((k) => k.kind === kind);
    const list = $('list');
    fill(list,
      el('h2', { id: 'list-title' }, listed.label),
      spec.many ? el('button', { type: 'button', class: 'button', id: 'add-item', onclick: () => editItem(kind, null) }, 'Add new') : null,
      el('ul', { class: 'item-list' }, listed.items.map((item) => el('li', {},
        el('button', { type: 'button', dataset: { key: item.key }, onclick: () => editItem(kind, item.key) },
          item.title, item.draft ? ' ' : null, item.draft ? el('span', { class: 'tag tag--l2' }, 'draft') : null,
          item.verify ? ' ' : null, item.verify ? el('span', { class: 'tag tag--l1' }, 'verify') : null)))),
    );
    if (!spec.many && listed.items.length) editItem(kind, listed.items[0].key);
  }

  // ------------------------------------------------------------------------------------------- the form

  function fieldId(path) { return 'f-' + path.join('-'); }

  function renderField(spec, value, path) {
    const id = fieldId(path);
    const help = spec.help ? el('p', { class: 'field-help', id: id + '-help' }, spec.help) : null;
    const described = spec.help ? id + '-help' : null;
    const label = spec.label + (spec.required ? '' : ' (optional)');
    switch (spec.widget) {
      case 'checkbox':
        return el('div', { class: 'field-check' },
          el('input', { type: 'checkbox', id, checked: Boolean(value), 'aria-describedby': described }),
          el('label', { for: id }, spec.label), help);
      case 'choice':
        return el('div', {}, el('label', { for: id }, label), help,
          el('select', { id, 'aria-describedby': described },
            spec.optional || !spec.required ? el('option', { value: '' }, '(none)') : null,
            spec.options.map((o) => el('option', { value: o, selected: o === value }, o))));
      case 'group': {
        const inner = spec.fields.map((f) => renderField(f, value ? value[f.name] : null, path.concat(f.name)));
        if (spec.fields.every((f) => f.widget === 'time')) {
          return el('div', { class: 'field-inline' }, el('strong', {}, spec.label + (spec.optional ? ' (empty: closed)' : '')), inner);
        }
        return el('fieldset', {}, el('legend', {}, label), help, inner);
      }
      case 'lines':
        return el('div', {}, el('label', { for: id }, label + ' (one a line)'), help,
          (() => { const t = el('textarea', { id, rows: 3, 'aria-describedby': described }); t.value = (value || []).join('\n'); return t; })());
      case 'json':
        return el('div', {}, el('label', { for: id }, label + ' (JSON)'), help,
          (() => { const t = el('textarea', { id, rows: 8, class: 'yaml', 'aria-describedby': described }); t.value = JSON.stringify(value === undefined ? null : value, null, 2); return t; })());
      case 'textarea':
        return el('div', {}, el('label', { for: id }, label), help,
          (() => { const t = el('textarea', { id, rows: spec.name === 'answer' ? 6 : 3, 'aria-describedby': described }); t.value = value || ''; return t; })());
      default:
        return el('div', {}, el('label', { for: id }, label), help,
          el('input', { id, type: spec.widget === 'number' ? 'number' : 'text', value: value === null || value === undefined ? '' : String(value),
            inputmode: spec.widget === 'time' ? 'numeric' : null, placeholder: spec.widget === 'time' ? 'HH:MM' : null,
            'aria-describedby': described, autocomplete: 'off' }));
    }
  }

  /* The form's values as the item's data; empty optional values become null, empty required ones are left
     out so the service says which are required. */
  function readFields(fields, path, problems) {
    const data = {};
    for (const spec of fields) {
      const here = path.concat(spec.name);
      const value = readField(spec, here, problems);
      if (value !== undefined) data[spec.name] = value;
    }
    return data;
  }

  function readField(spec, path, problems) {
    const node = $(fieldId(path));
    switch (spec.widget) {
      case 'checkbox': return node.checked;
      case 'group': {
        const value = readFields(spec.fields, path, problems);
        if (spec.optional && Object.values(value).every((v) => v === undefined || v === null)) return null;
        return value;
      }
      case 'lines': {
        const lines = node.value.split('\n').map((l) => l.trim()).filter(Boolean);
        return spec.item === 'number' ? lines.map(Number) : lines;
      }
      case 'json':
        try { return JSON.parse(node.value); } catch (error) { problems.push(spec.label + ': this is not valid JSON.'); return undefined; }
      case 'number':
        return node.value === '' ? (spec.optional ? null : undefined) : Number(node.value);
      default: {
        const value = node.value.trim();
        if (value === '') return spec.optional ? null : undefined;
        return value;
      }
    }
  }

  async function editItem(kind, key) {
    state.kind = kind;
    state.key = key;
    say('');
    const fields = state.fieldsByKind[kind];
    let shown = null; let item = null;
    if (key !== null) {
      item = await call('GET', '/api/content/' + kind + '/' + encodeURIComponent(key));
      shown = item.draft && item.draft.data ? item.draft.data : item.published;
    }
    const form = el('form', { id: 'item-form', novalidate: true },
      el('h2', {}, key === null ? 'New item' : (shown && (shown.question || shown.name || shown.title)) || key),
      item && item.draft ? el('p', { class: 'notice', id: 'draft-notice' },
        (item.draft.delete ? 'Draft: delete this item' : 'You are editing the draft') + ' saved by ' + item.draft.author + '. The bot still says the published version until you publish.') : null,
      item && item.published ? el('p', { class: 'field-help' }, 'Published, last changed by ' + item.updated_by + '.') : null,
      el('div', { id: 'form-errors' }),
      fields.map((spec) => renderField(spec, shown ? shown[spec.name] : null, [spec.name])),
      el('p', {},
        el('button', { type: 'button', class: 'button button--secondary', id: 'preview', onclick: () => previewItem() }, 'Preview'),
        el('button', { type: 'button', class: 'button button--secondary', id: 'save-draft', onclick: () => saveDraft() }, 'Save draft'),
        el('button', { type: 'submit', class: 'button', id: 'publish' }, 'Publish'),
        item && item.draft ? el('button', { type: 'button', class: 'button button--secondary', id: 'discard', onclick: () => discard() }, 'Discard draft') : null,
        item && item.published && state.kinds.find((k) => k.kind === kind).many ?
          el('button', { type: 'button', class: 'button button--warning', id: 'delete', onclick: () => deleteItem() }, 'Delete…') : null),
    );
    form.addEventListener('submit', (event) => { event.preventDefault(); publishItem(); });
    fill($('work'), form, el('section', { id: 'preview-area', 'aria-label': 'Preview' }),
      item && item.diff.length ? diffTable(item.diff, 'Draft compared with what is published') : null);
  }

  function formData(problems) {
    return readFields(state.fieldsByKind[state.kind], [], problems);
  }

  function showErrors(error) {
    const box = $('form-errors');
    fill(box, errorBox(error));
    box.scrollIntoView({ block: 'nearest' });
  }

  function clientCheck() {
    const problems = [];
    const data = formData(problems);
    if (problems.length) { showErrors({ errors: problems }); return null; }
    fill($('form-errors'));
    return data;
  }

  async function previewItem() {
    const data = clientCheck();
    if (!data) return;
    let shown;
    try { shown = await call('POST', '/api/content/preview/' + state.kind, { data }); } catch (error) { showErrors(error); return; }
    const area = $('preview-area');
    if (shown.note) { fill(area, el('h2', {}, 'Preview'), el('p', {}, shown.note)); return; }
    fill(area,
      el('h2', {}, 'Preview'),
      el('p', {}, 'A parent asking ', el('q', {}, shown.asked), ' gets:'),
      shown.warnings.length ? el('div', { class: 'warnings', id: 'preview-warnings' }, el('ul', {}, shown.warnings.map((w) => el('li', {}, w)))) : null,
      el('div', { class: 'preview' },
        el('div', { id: 'preview-web' }, el('h3', {}, 'Web chat'),
          shown.web.map((m) => el('div', { class: 'bubble' }, m.text, el('div', {}, m.buttons.map((b) => el('span', { class: 'chip' }, b)))))),
        el('div', { id: 'preview-sms' }, el('h3', {}, 'SMS (' + shown.sms.length + (shown.sms.length === 1 ? ' text, ' : ' texts, ') + shown.sms_segments + ' segment' + (shown.sms_segments === 1 ? '' : 's') + ')'),
          shown.sms.map((p) => el('div', { class: 'bubble bubble--sms' }, p.text,
            el('span', { class: 'bubble__meta' }, p.characters + ' characters, ' + p.segments + ' segment' + (p.segments === 1 ? '' : 's')))))),
    );
  }

  async function saveDraft() {
    const data = clientCheck();
    if (!data) return null;
    let draft;
    try {
      draft = state.key === null
        ? await call('POST', '/api/content/' + state.kind, { data })
        : await call('PUT', '/api/content/' + state.kind + '/' + encodeURIComponent(state.key) + '/draft', { data });
    } catch (error) { showErrors(error); return null; }
    state.key = draft.key;
    await showKind(state.kind);
    await editItem(state.kind, draft.key);
    say('Draft saved. The bot says the published version until you publish.');
    return draft;
  }

  async function publishItem() {
    const draft = await saveDraft();
    if (!draft) return;
    await publishRefs([{ kind: draft.kind, key: draft.key }]);
  }

  async function publishRefs(items) {
    let version;
    try { version = await call('POST', '/api/content/publish', { items }); } catch (error) {
      if ($('form-errors')) showErrors(error); else say(error.detail);
      return;
    }
    if (state.kind) { await showKind(state.kind); if (state.key !== null) await editItem(state.kind, state.key); }
    say('Published as version ' + version.version + '. The bot says it now.');
  }

  async function discard() {
    try { await call('DELETE', '/api/content/' + state.kind + '/' + encodeURIComponent(state.key) + '/draft'); } catch (error) { showErrors(error); return; }
    await showKind(state.kind);
    try { await editItem(state.kind, state.key); } catch (error) { fill($('work')); }
    say('Draft discarded.');
  }

  async function deleteItem() {
    if (!window.confirm('Delete this item? It is drafted for deletion; the bot stops using it when you publish.')) return;
    try { await call('POST', '/api/content/' + state.kind + '/' + encodeURIComponent(state.key) + '/delete'); } catch (error) { showErrors(error); return; }
    await showKind(state.kind);
    await editItem(state.kind, state.key);
    say('Drafted for deletion. Publish it from Drafts.');
  }

  // ------------------------------------------------------------------------------------------- drafts, history

  function shortValue(value) {
    if (value === null || value === undefined) return '(empty)';
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  function diffTable(rows, caption) {
    return el('table', { class: 'diff' },
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Field'), el('th', { scope: 'col' }, 'Before'), el('th', { scope: 'col' }, 'After'))),
      el('tbody', {}, rows.map((r) => el('tr', {}, el('td', {}, r.field),
        el('td', {}, el('del', {}, shortValue(r.before))), el('td', {}, el('ins', {}, shortValue(r.after)))))));
  }

  async function showDrafts() {
    const overview = await load();
    fill($('work'),
      el('h2', {}, 'Drafts'),
      overview.drafts.length ? el('ul', { class: 'item-list', id: 'draft-list' }, overview.drafts.map((d) => el('li', {},
        el('button', { type: 'button', onclick: () => editItem(d.kind, d.key) },
          d.kind + ': ' + d.title + (d.delete ? ' (delete)' : '') + ' - ' + d.author)))) : el('p', {}, 'No drafts.'),
      overview.drafts.length ? el('button', { type: 'button', class: 'button', id: 'publish-all', onclick: () => publishRefs(null) }, 'Publish all drafts') : null,
    );
  }

  async function showHistory() {
    const { versions } = await call('GET', '/api/content/history');
    fill($('work'),
      el('h2', {}, 'History'),
      versions.length ? null : el('p', {}, 'Nothing has been published yet.'),
      el('div', { id: 'history' }, versions.map((v) => el('article', { class: 'version', dataset: { version: v.version } },
        el('h3', {}, 'Version ' + v.version + ': ' + v.action + (v.rollback_of ? ' of version ' + v.rollback_of : '') + ' by ' + v.author),
        el('p', { class: 'field-help' }, new Date(v.at).toLocaleString('en-GB'), v.note ? ' - ' + v.note : ''),
        v.changes.map((c) => diffTable(c.diff, c.kind + ' ' + c.key + ' (' + c.change + ')')),
        el('button', { type: 'button', class: 'button button--warning', dataset: { rollback: v.version },
          onclick: () => rollback(v.version) }, 'Roll back version ' + v.version)))),
    );
  }

  async function rollback(version) {
    let done;
    try { done = await call('POST', '/api/content/history/' + version + '/rollback'); } catch (error) { say(error.detail); return; }
    await showHistory();
    if (state.kind) await showKind(state.kind);
    say('Version ' + version + ' rolled back (as version ' + done.version + '). The bot says the earlier content now.');
  }

  function showFiles() {
    const select = el('select', { id: 'file' }, state.files.map((f) => el('option', { value: f }, f)));
    const text = el('textarea', { id: 'import-yaml', class: 'yaml', 'aria-describedby': 'import-help' });
    const result = el('div', { id: 'import-result', role: 'status' });
    const exportLink = el('a', { id: 'export', href: '/api/content/export/' + state.files[0], download: state.files[0] }, 'Download ' + state.files[0]);
    select.addEventListener('change', () => {
      exportLink.href = '/api/content/export/' + select.value;
      exportLink.download = select.value;
      exportLink.textContent = 'Download ' + select.value;
    });
    fill($('work'),
      el('h2', {}, 'Import / export'),
      el('p', {}, 'The content as the same YAML files as the repository\'s data/content/, for review in version control.'),
      el('label', { for: 'file' }, 'File'), select,
      el('p', {}, exportLink),
      el('label', { for: 'import-yaml' }, 'Import: paste the file\'s YAML'),
      el('p', { class: 'field-help', id: 'import-help' }, 'Every item that differs from what is published becomes a draft; nothing changes until you publish.'),
      text,
      el('button', { type: 'button', class: 'button', id: 'import', onclick: async () => {
        try {
          const done = await call('POST', '/api/content/import/' + select.value, { yaml: text.value });
          fill(result, el('p', { class: 'notice' }, done.drafted.length + ' drafts, ' + done.unchanged + ' unchanged' +
            (done.not_in_file.length ? '; not in the file (left as they are): ' + done.not_in_file.join(', ') : '') + '.'));
          await load();
        } catch (error) { fill(result, errorBox(error)); }
      } }, 'Import as drafts'),
      result,
    );
  }

  /* Built on each sign-in: StaffPage empties #app when someone signs out. */
  function skeleton() {
    return [
      el('nav', { 'aria-label': 'Content', class: 'editor-nav' },
        el('ul', { id: 'kinds', class: 'editor-kinds' }),
        el('p', {},
          el('button', { type: 'button', class: 'button button--secondary', id: 'show-drafts' }, 'Drafts'),
          el('button', { type: 'button', class: 'button button--secondary', id: 'show-history' }, 'History'),
          el('button', { type: 'button', class: 'button button--secondary', id: 'show-files' }, 'Import / export'))),
      el('p', { id: 'status', class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true }),
      el('div', { class: 'editor-columns' },
        el('section', { id: 'list', 'aria-labelledby': 'list-title', class: 'editor-panel' }),
        el('section', { id: 'work', 'aria-live': 'polite', class: 'editor-panel editor-work' })),
    ];
  }

  window.StaffPage.start({
    roles: ['comms', 'admin'],
    onReady: async () => {
      state.kind = null;
      state.key = null;
      fill($('app'), ...skeleton());
      $('show-drafts').onclick = showDrafts;
      $('show-history').onclick = showHistory;
      $('show-files').onclick = showFiles;
      await load();
      fill($('list'), el('h2', { id: 'list-title' }, 'Choose what to edit'),
        el('p', {}, 'FAQ answers, hubs, services and timetable sessions. Changes are live as soon as you publish: no retrain.'));
    },
  });
}());
