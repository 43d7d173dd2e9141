/**
 * The inspector page's HTML shell and style sheet. Static text: the live content is filled in
 * by the page script; the styles live in their own file so the page's Content-Security-Policy
 * can forbid inline styles and scripts.
 * @packageDocumentation
 */

/** The page shell: one section per view, filled by the page script. */
export const INSPECTOR_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>remora inspector</title>
<link rel="stylesheet" href="/inspector.css">
<script type="module" src="/inspector.js"></script>
</head>
<body>
<header>
  <h1>remora inspector</h1>
  <span id="conn" class="muted">connecting…</span>
</header>
<section id="totals" class="totals" aria-label="totals"></section>
<div class="grid">
  <section class="card wide"><h2>Sessions <small>one row per renderer; closed ones grey out, then leave</small></h2><div id="sessions"></div></section>
  <section class="card"><h2>Calls/s and refs <small>one point a second, up to 60 s</small></h2><div id="chart"></div></section>
  <section class="card wide"><h2>Actors <small>by supervision group</small></h2><div id="actors"></div></section>
  <section class="card"><h2>Methods <small id="window"></small></h2><div id="methods"></div></section>
  <section class="card wide"><h2>Timeline
    <span class="filters">
      <select id="f-session" aria-label="session filter"><option value="">all sessions</option></select>
      <select id="f-actor" aria-label="actor filter"><option value="">all actors</option></select>
      <select id="f-kind" aria-label="kind filter"><option value="">all kinds</option></select>
      <button id="pause" type="button">Pause</button>
    </span></h2>
    <div id="tl-note" class="muted note"></div>
    <div id="timeline" class="timeline"></div>
  </section>
  <section class="card"><h2>Dead letters</h2><div id="dead"></div></section>
</div>
</body>
</html>
`;

/** The page's style sheet. */
export const INSPECTOR_CSS = `
:root { color-scheme: dark; font: 13px/1.4 system-ui, sans-serif; }
body { margin: 0; padding: 16px 20px; background: #0f1419; color: #d8dee9; }
header { display: flex; align-items: baseline; gap: 14px; margin-bottom: 10px; }
h1 { margin: 0; font-size: 19px; color: #fff; }
h2 { margin: 0 0 8px; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: #8fa1b3; font-weight: 600; }
h2 small { text-transform: none; letter-spacing: 0; font-weight: 400; color: #6b7a88; margin-left: 6px; }
.muted { color: #6b7a88; }
.ok { color: #a3be8c; }
.bad { color: #ef6b73; }
.warn { color: #ebcb8b; }
.totals { display: flex; gap: 10px; margin-bottom: 12px; flex-wrap: wrap; }
.stat { background: #182029; border: 1px solid #243040; border-radius: 8px; padding: 6px 12px; min-width: 84px; }
.stat b { display: block; font: 600 20px/1.2 ui-monospace, monospace; color: #8fd3ff; }
.stat span { font-size: 11px; color: #8fa1b3; text-transform: uppercase; letter-spacing: .05em; }
.grid { display: grid; grid-template-columns: 2fr 1fr; gap: 12px; }
.card { background: #182029; border: 1px solid #243040; border-radius: 10px; padding: 10px 12px; min-width: 0; overflow: hidden; }
.full { grid-column: span 2; }
table { border-collapse: collapse; width: 100%; font: 12px/1.5 ui-monospace, monospace; }
th { text-align: left; color: #8fa1b3; font-weight: 600; border-bottom: 1px solid #243040; padding: 2px 8px 2px 0; white-space: nowrap; }
td { padding: 1px 8px 1px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 340px; }
td.n, th.n { text-align: right; }
tr.closed td { color: #56626e; text-decoration: line-through; text-decoration-color: #3b4652; }
tr.group td { color: #b48ead; font-weight: 600; padding-top: 4px; }
.filters { float: right; text-transform: none; letter-spacing: 0; font-weight: 400; display: flex; gap: 6px; align-items: center; }
select, button { background: #0f1419; color: #d8dee9; border: 1px solid #2f3d4d; border-radius: 5px; padding: 2px 6px; font: 12px system-ui, sans-serif; }
button { cursor: pointer; }
.note { min-height: 1.4em; }
.timeline { max-height: 260px; overflow: auto; clear: both; }
.chart text { fill: #8fa1b3; font: 10px ui-monospace, monospace; }
.empty { color: #56626e; font-style: italic; }
`;
