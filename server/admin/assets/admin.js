// The admin page's script: the definitions editor (check as you type, show the diff, save), API keys
// and admins. No framework, no build step; every request carries the session's CSRF token.
/* global window, document, location, HTMLButtonElement, alert, confirm */
'use strict';

(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const base = location.pathname.replace(/\/+$/, '');

  async function post(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body ?? {}),
    });
    let json;
    try {
      json = await response.json();
    } catch {
      json = { ok: false, error: { message: `the server answered ${response.status}` } };
    }
    return { status: response.status, json };
  }

  function element(tag, text, attributes) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
    return node;
  }

  function show(value) {
    if (value === undefined) return '–';
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  function message(json) {
    return json?.error?.message ?? 'something went wrong';
  }

  // A link to a closed <details> (the weekly digest, say) opens it when it is the target.
  const openTarget = () => {
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && target.tagName === 'DETAILS') target.open = true;
  };
  window.addEventListener('hashchange', openTarget);
  openTarget();

  // Definitions editor.
  const editor = document.getElementById('definitions-editor');
  if (editor) {
    const text = document.getElementById('definitions-text');
    const format = document.getElementById('definitions-format');
    const reason = document.getElementById('definitions-reason');
    const errors = document.getElementById('definitions-errors');
    const diff = document.getElementById('definitions-diff');
    const save = document.getElementById('definitions-save');
    const status = document.getElementById('definitions-status');
    let previewed;
    let timer;
    let sequence = 0;

    const showErrors = (list) => {
      errors.replaceChildren();
      if (list.length === 0) return;
      const ul = element('ul');
      for (const e of list) {
        const where = e.line ? ` (line ${e.line}, column ${e.column})` : '';
        const li = element('li');
        li.append(element('code', e.path || '(document)', { class: 'path' }), ` ${e.message}${where}`);
        ul.append(li);
      }
      errors.append(element('p', `${list.length} problem${list.length === 1 ? '' : 's'}; nothing can be saved:`), ul);
    };

    const showDiff = (preview) => {
      diff.replaceChildren();
      if (preview.changes.length === 0) {
        diff.append(element('p', 'No changes against the current version.'));
        return;
      }
      diff.append(element('h4', `Changes against version ${preview.baseVersion}`));
      const ul = element('ul', undefined, { class: 'summary' });
      for (const line of preview.summary) ul.append(element('li', line));
      const table = element('table', undefined, { class: 'changes' });
      const head = element('tr');
      for (const h of ['Path', 'Change', 'Before', 'After']) head.append(element('th', h));
      table.append(head);
      for (const c of preview.changes) {
        const row = element('tr', undefined, { class: `change-${c.change}` });
        row.append(
          element('td', c.path),
          element('td', c.change),
          element('td', show(c.before)),
          element('td', show(c.after)),
        );
        table.append(row);
      }
      diff.append(ul, table);
    };

    const preview = async () => {
      const mine = ++sequence;
      const draft = { text: text.value, format: format.value };
      const { status: code, json } = await post(`${base}/definitions/preview`, draft);
      if (mine !== sequence) return;
      save.disabled = true;
      previewed = undefined;
      if (code === 422) {
        showErrors(json.errors ?? []);
        diff.replaceChildren();
        return;
      }
      if (!json.ok) {
        showErrors([{ path: '', message: message(json) }]);
        return;
      }
      showErrors([]);
      showDiff(json);
      previewed = { ...draft, baseVersion: json.baseVersion };
      save.disabled = json.changes.length === 0;
    };

    text.addEventListener('input', () => {
      save.disabled = true;
      clearTimeout(timer);
      timer = setTimeout(preview, 400);
    });
    format.addEventListener('change', preview);
    document.getElementById('definitions-preview').addEventListener('click', preview);

    editor.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!previewed || previewed.text !== text.value || previewed.format !== format.value) {
        await preview();
        return;
      }
      if (!reason.value.trim()) {
        status.textContent = 'Say why you are making this change.';
        reason.focus();
        return;
      }
      save.disabled = true;
      status.textContent = 'Saving…';
      const { status: code, json } = await post(`${base}/definitions`, { ...previewed, reason: reason.value });
      if (json.ok && json.changed) {
        location.assign(`${base}?saved=${json.version}#definitions`);
        return;
      }
      if (json.ok) status.textContent = 'Nothing changed; no new version.';
      else if (code === 422) {
        status.textContent = '';
        showErrors(json.errors ?? []);
      } else status.textContent = message(json);
      save.disabled = false;
    });
  }

  // API keys.
  const keyForm = document.getElementById('api-key-create');
  if (keyForm) {
    keyForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const label = new FormData(keyForm).get('label');
      const { json } = await post(`${base}/api-keys`, { label });
      if (!json.ok) {
        alert(message(json));
        return;
      }
      document.getElementById('api-key-value').textContent = json.data.key;
      document.getElementById('api-key-created').hidden = false;
      const row = element('tr', undefined, { 'data-key': json.data.id });
      row.append(
        element('td', json.data.id),
        element('td', String(label)),
        element('td', 'just now'),
        element('td', 'never'),
        element('td', 'active', { class: 'key-status' }),
        element('td'),
      );
      document.querySelector('#api-keys-list tbody').append(row);
      keyForm.reset();
    });
  }
  document.addEventListener('click', async (event) => {
    const target = event.target;
    if (!(target instanceof HTMLButtonElement)) return;
    if (target.classList.contains('revoke')) {
      const id = target.dataset.key;
      if (!confirm(`Revoke key ${id}? Systems using it stop being able to send data.`)) return;
      const { json } = await post(`${base}/api-keys/${id}/revoke`);
      if (!json.ok) return alert(message(json));
      target.closest('tr').querySelector('.key-status').textContent = 'revoked';
      target.remove();
    }
    if (target.classList.contains('remove-admin')) {
      const user = target.dataset.user;
      if (!confirm(`Remove user ${user} from this page's admins?`)) return;
      const { json } = await post(`${base}/admins/${user}/remove`);
      if (!json.ok) return alert(message(json));
      location.reload();
    }
  });

  // Decision log.
  const decisionForm = document.getElementById('decision-create');
  if (decisionForm) {
    decisionForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(decisionForm);
      const { json } = await post(`${base}/decisions`, {
        topic: data.get('topic'),
        subject: { kind: data.get('subjectKind'), key: data.get('subjectKey') },
        owner: data.get('owner'),
        dueOn: data.get('dueOn'),
      });
      if (!json.ok) {
        document.getElementById('decision-status').textContent = message(json);
        return;
      }
      location.assign(`${base}#decisions`);
      location.reload();
    });
  }
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!form.classList?.contains('decision-update')) return;
    event.preventDefault();
    const data = new FormData(form);
    const outcome = String(data.get('outcome') ?? '').trim();
    const { json } = await post(`${base}/decisions/${form.dataset.decision}`, {
      status: data.get('status'),
      ...(outcome ? { outcome } : {}),
    });
    if (!json.ok) return alert(message(json));
    location.reload();
  });

  // Admins.
  const adminForm = document.getElementById('admin-add');
  if (adminForm) {
    adminForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(adminForm);
      const { json } = await post(`${base}/admins`, { userId: data.get('userId'), email: data.get('email') });
      if (!json.ok) return alert(message(json));
      location.reload();
    });
  }
})();
