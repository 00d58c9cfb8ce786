import { html, type Html } from './html.ts';

/**
 * The page frame: assets from this server only (the Content-Security-Policy allows nothing else), the
 * session's CSRF token in a meta tag for the script's requests.
 */
export function adminLayout(options: { title: string; csrfToken?: string; header?: Html; body: Html }): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Closed Loop</title>
        ${options.csrfToken ? html`<meta name="csrf-token" content="${options.csrfToken}" />` : ''}
        <link rel="stylesheet" href="/admin/assets/admin.css" />
        <script src="/admin/assets/admin.js" defer></script>
      </head>
      <body>
        ${options.header ?? ''}
        <main>${options.body}</main>
      </body>
    </html>`;
}

/** A page with a message and nothing else: what a visitor who may not see the page gets. */
export function messagePage(
  title: string,
  paragraphs: (string | Html)[],
  action?: { href: string; label: string },
): Html {
  return adminLayout({
    title,
    body: html`<section class="message">
      <h1>${title}</h1>
      ${paragraphs.map((p) => html`<p>${p}</p>`)}
      ${action ? html`<p><a class="button" href="${action.href}">${action.label}</a></p>` : ''}
    </section>`,
  });
}
